// The notify-chat rule as EventBridge (and the sandbox's bus) applies it: the requester's part of the notify
// rule (a ticket filed elsewhere than in a chat, a public staff reply, waiting on them, resolved by staff), to
// the chat queue.
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '#sandbox/event-pattern.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { RULES } from '#shared/events/rules.ts';
import { anEvent, comment, created, statusChanged } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const rule = RULES.find((candidate) => candidate.name === 'notify-chat')!;
const envelope = (event: TicketEvent) => ({ version: '0', source: 'helpdesk', 'detail-type': event.type, detail: event });
const requester = { id: 'user-alice', role: 'requester' as const };

describe('the notify-chat rule', () => {
  it('delivers to the chat queue', () => {
    expect(rule.queue).toBe('chat');
  });

  it.each<[string, TicketEvent]>([
    ['a ticket filed on the web', created(aTicket({ channel: 'web' }))],
    ['a ticket filed by mail', created(aTicket({ channel: 'email' }))],
    ['a public agent reply', comment('Sudah kami cek.')],
    ['pending', statusChanged('open', 'pending')],
    ['resolved by staff', statusChanged('open', 'resolved')],
  ])('takes %s', (_case, event) => {
    expect(matchesPattern(rule.pattern, envelope(event))).toBe(true);
  });

  it.each<[string, TicketEvent]>([
    ['a ticket filed in a chat (the bot said so there)', created(aTicket({ channel: 'chat' }))],
    ['an internal note', comment('rahasia', 'internal')],
    ["the requester's own comment", comment('Masih mati.', 'public', requester)],
    ['a system record', comment('bounced', 'public', { id: 'mail', role: 'system' })],
    ['resolved by the requester', statusChanged('open', 'resolved', requester)],
    ['reopened', statusChanged('resolved', 'open')],
    ['an assignment', anEvent({ type: 'Assigned', data: { from: null, to: 'ivan' } })],
  ])('leaves %s out', (_case, event) => {
    expect(matchesPattern(rule.pattern, envelope(event))).toBe(false);
  });
});
