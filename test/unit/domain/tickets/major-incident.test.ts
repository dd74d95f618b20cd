// A major incident's public replies and its resolution reach its children, each once.
import { describe, expect, it } from 'vitest';
import { propagateIncident } from '#shared/domain/tickets/major-incident.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { bob } from '#test/fixtures/identities.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';
import { anEvent, comment, statusChanged } from '#test/fixtures/notifications.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const PARENT = '01HZZZZZZZZZZZZZZZZZZZZZZ1';
const CHILD = '01HZZZZZZZZZZZZZZZZZZZZZZ2';
const DONE_CHILD = '01HZZZZZZZZZZZZZZZZZZZZZZ3';

/** The incident #1 with two children: #2 open (Bob's), #3 already closed. */
const arrange = (parent: Partial<Ticket> = {}) => {
  const deps = { ...testDeps(), incidentClaims: new InMemoryClaimStore({ lockSeconds: 60, ttlSeconds: 86_400 }) };
  const incident = aTicket({
    status: 'open',
    links: [
      { id: CHILD, number: 2, kind: 'child' },
      { id: DONE_CHILD, number: 3, kind: 'child' },
    ],
    ...parent,
  });
  deps.tickets.seed(incident);
  deps.tickets.seed(
    aTicket({
      id: CHILD,
      number: 2,
      status: 'open',
      requester: { id: bob.id, email: bob.email },
      links: [{ id: PARENT, number: 1, kind: 'parent' }],
    }),
  );
  deps.tickets.seed(aTicket({ id: DONE_CHILD, number: 3, status: 'closed', links: [{ id: PARENT, number: 1, kind: 'parent' }] }));
  return { deps, incident };
};

describe('a major incident', () => {
  it('writes a public staff reply on the parent to each open child, once however often the event comes', async () => {
    // Arrange
    const { deps, incident } = arrange();
    const reply = comment('Jaringan sekolah sudah pulih.', 'public', { id: 'ivan', role: 'agent' }, incident);

    // Act
    const first = await propagateIncident(deps, reply);
    const again = await propagateIncident(deps, reply);

    // Assert
    expect(first).toEqual({ children: 2, updated: 1, unchanged: 1, duplicate: 0 });
    expect(again).toEqual({ children: 2, updated: 0, unchanged: 0, duplicate: 2 });
    const history = deps.tickets.historyOf(CHILD);
    expect(history.map((event) => [event.type, event.data, event.actor])).toEqual([
      [
        'CommentAdded',
        { body: 'Jaringan sekolah sudah pulih.', visibility: 'public', incident: { id: PARENT, number: 1 } },
        { id: 'ivan', role: 'agent' },
      ],
    ]);
    expect(deps.tickets.historyOf(DONE_CHILD)).toEqual([]);
  });

  it('resolves every child not yet resolved when the parent is resolved', async () => {
    // Arrange
    const { deps, incident } = arrange({ status: 'resolved' });

    // Act
    const outcome = await propagateIncident(deps, statusChanged('open', 'resolved', { id: 'ivan', role: 'agent' }, incident));

    // Assert
    expect(outcome.updated).toBe(1);
    expect(await deps.tickets.getTicket(CHILD)).toMatchObject({ status: 'resolved', version: 2 });
    expect(deps.tickets.historyOf(CHILD).map((event) => event.data)).toEqual([{ from: 'open', to: 'resolved' }]);
  });

  it('does nothing for an internal note, a requester’s comment, another status, a late resolution or a ticket without children', async () => {
    // Arrange
    const { deps, incident } = arrange();
    const lonely = aTicket({ id: '01HZZZZZZZZZZZZZZZZZZZZZZ4', number: 4, status: 'open' });
    deps.tickets.seed(lonely);
    const events: TicketEvent[] = [
      comment('catatan', 'internal', { id: 'ivan', role: 'agent' }, incident),
      comment('masih mati', 'public', { id: 'user-alice', role: 'requester' }, incident),
      statusChanged('open', 'pending', { id: 'ivan', role: 'agent' }, incident),
      // Resolved, then reopened before this was delivered: the parent is open again.
      statusChanged('open', 'resolved', { id: 'ivan', role: 'agent' }, incident),
      comment('pulih', 'public', { id: 'ivan', role: 'agent' }, lonely),
      anEvent({ type: 'CommentAdded', data: { body: 'x', visibility: 'public' } }, { ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ9' }),
    ];

    // Act
    const outcomes = [];
    for (const event of events) outcomes.push(await propagateIncident(deps, event));

    // Assert
    expect(outcomes.map((outcome) => outcome.updated)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(deps.tickets.historyOf(CHILD)).toEqual([]);
  });

  it('gives the claim back when a child cannot be written, so the retry writes it', async () => {
    // Arrange
    const { deps, incident } = arrange();
    const reply = comment('Pulih.', 'public', { id: 'ivan', role: 'agent' }, incident);
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    deps.tickets.saveTicket = async () => {
      throw new Error('throttled');
    };

    // Act
    const failed = await propagateIncident(deps, reply).catch((error: Error) => error.message);
    deps.tickets.saveTicket = save;
    const retried = await propagateIncident(deps, reply);

    // Assert
    expect(failed).toBe('throttled');
    expect(retried.updated).toBe(1);
    expect(deps.tickets.historyOf(CHILD)).toHaveLength(1);
  });
});
