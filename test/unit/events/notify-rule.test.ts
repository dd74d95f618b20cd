// The notify-requester rule as EventBridge (and the sandbox's bus) applies it: only events that may mail the
// requester reach the notify queue; internal notes and the requester's own actions never do.
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '#sandbox/event-pattern.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { RULES } from '#shared/events/rules.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { anEvent, comment, created, statusChanged } from '#test/fixtures/notifications.ts';

const rule = RULES.find((candidate) => candidate.name === 'notify-requester')!;
const envelope = (event: TicketEvent) => ({ version: '0', source: 'helpdesk', 'detail-type': event.type, detail: event });
const requester = { id: 'user-alice', role: 'requester' as const };

describe('the notify-requester rule', () => {
  it('delivers to the notify queue', () => {
    expect(rule.queue).toBe('notify');
  });

  it.each<[string, TicketEvent]>([
    ['a new ticket', created()],
    ['a public agent reply', comment('Sudah kami cek.')],
    ["an admin's public reply", comment('Sudah kami cek.', 'public', { id: 'root', role: 'admin' })],
    ['pending', statusChanged('open', 'pending')],
    ['resolved by staff', statusChanged('open', 'resolved')],
  ])('takes %s', (_case, event) => {
    expect(matchesPattern(rule.pattern, envelope(event))).toBe(true);
  });

  it.each<[string, TicketEvent]>([
    ['an internal note', comment('rahasia', 'internal')],
    ["the requester's own comment", comment('Masih mati.', 'public', requester)],
    ['resolved by the requester', statusChanged('open', 'resolved', requester)],
    ['reopened', statusChanged('resolved', 'open')],
    ['on hold', statusChanged('open', 'on_hold')],
    ['closed', statusChanged('resolved', 'closed')],
    ['an assignment', anEvent({ type: 'Assigned', data: { from: null, to: 'ivan' } })],
    ['an SLA warning', anEvent({ type: 'SlaWarning', data: { clock: 'firstResponse', dueAt: T0 } })],
  ])('leaves %s out', (_case, event) => {
    expect(matchesPattern(rule.pattern, envelope(event))).toBe(false);
  });

  it('leaves out events of another source', () => {
    expect(matchesPattern(rule.pattern, { ...envelope(created()), source: 'erp' })).toBe(false);
  });
});
