// The notify rule as EventBridge (and the sandbox's bus) applies it: only events that may mail someone (the
// requester, or staff) reach the notify queue; internal notes only when they are staff's mail (mentions, followers).
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '#sandbox/event-pattern.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { RULES } from '#shared/events/rules.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { anEvent, comment, created, statusChanged } from '#test/fixtures/notifications.ts';

const rule = RULES.find((candidate) => candidate.name === 'notify')!;
const envelope = (event: TicketEvent) => ({ version: '0', source: 'helpdesk', 'detail-type': event.type, detail: event });
const requester = { id: 'user-alice', role: 'requester' as const };

describe('the notify rule', () => {
  it('delivers to the notify queue', () => {
    expect(rule.queue).toBe('notify');
  });

  it.each<[string, TicketEvent]>([
    ['a new ticket', created()],
    ['a public agent reply', comment('Sudah kami cek.')],
    ["an admin's public reply", comment('Sudah kami cek.', 'public', { id: 'root', role: 'admin' })],
    ['pending', statusChanged('open', 'pending')],
    ['resolved by staff', statusChanged('open', 'resolved')],
    // For staff: the assignee hears of these.
    ["the requester's own comment", comment('Masih mati.', 'public', requester)],
    ['an assignment', anEvent({ type: 'Assigned', data: { from: null, to: 'ivan' } })],
    ['an SLA warning', anEvent({ type: 'SlaWarning', data: { clock: 'firstResponse', dueAt: T0 } })],
    ['an SLA breach', anEvent({ type: 'SlaBreached', data: { clock: 'resolution', dueAt: T0 } })],
    ['a move to another team', anEvent({ type: 'TeamChanged', data: { from: 'helpdesk', to: 'it-support' } })],
    ['an escalation to the leads', anEvent({ type: 'Escalated', data: { level: 1, action: 'notify-lead', leads: ['ivan'] } })],
    // For staff only: the colleagues a note names, and those who follow the ticket.
    [
      'an internal note naming colleagues',
      anEvent({ type: 'CommentAdded', data: { body: '@iwan cek AP', visibility: 'internal', mentions: ['iwan'] } }),
    ],
    ['an internal note on a followed ticket', { ...comment('rahasia', 'internal'), ticket: { ...created().ticket, followed: true } }],
    ['a status change on a followed ticket', { ...statusChanged('open', 'on_hold'), ticket: { ...created().ticket, followed: true } }],
  ])('takes %s', (_case, event) => {
    expect(matchesPattern(rule.pattern, envelope(event))).toBe(true);
  });

  it.each<[string, TicketEvent]>([
    ['an internal note', comment('rahasia', 'internal')],
    ['resolved by the requester', statusChanged('open', 'resolved', requester)],
    ['reopened', statusChanged('resolved', 'open')],
    ['on hold', statusChanged('open', 'on_hold')],
    ['closed', statusChanged('resolved', 'closed')],
    [
      'a raised priority step (its PriorityChanged is not mail)',
      anEvent({ type: 'Escalated', data: { level: 2, action: 'raise-priority', priority: 'high' } }),
    ],
    ['a priority change', anEvent({ type: 'PriorityChanged', data: { from: 'low', to: 'high' } })],
    ['a staff read', anEvent({ type: 'TicketViewed', data: {} })],
  ])('leaves %s out', (_case, event) => {
    expect(matchesPattern(rule.pattern, envelope(event))).toBe(false);
  });

  it('leaves out events of another source', () => {
    expect(matchesPattern(rule.pattern, { ...envelope(created()), source: 'erp' })).toBe(false);
  });
});
