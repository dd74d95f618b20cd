import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { getTicket, listTicketEvents, listTickets, listTicketViews } from '#shared/domain/tickets/read-tickets.ts';
import type { ListTicketsQuery, Ticket } from '#shared/domain/tickets/ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { alice, bob, hana, ivan, sari } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

const ID = (n: number) => `01HZZZZZZZZZZZZZZZZZZZZZ${String(n).padStart(2, '0')}`;
const bobAsRequester = { id: bob.id, name: bob.name, email: bob.email };

/** Alice has three tickets, Bob two; one of Alice's is Ivan's, one of Bob's is in the facilities team. */
const desk = () => {
  const deps = testDeps();
  const tickets: Ticket[] = [
    aTicket({ id: ID(1), number: 1, status: 'open', assignee: 'ivan' }),
    aTicket({ id: ID(2), number: 2, status: 'new', priority: 'high' }),
    aTicket({ id: ID(3), number: 3, status: 'resolved', resolvedAt: '2026-03-02T03:00:00.000Z' }),
    aTicket({ id: ID(4), number: 4, requester: bobAsRequester, status: 'new', team: 'sarpras', category: 'facilities' }),
    aTicket({ id: ID(5), number: 5, requester: bobAsRequester, status: 'open', assignee: 'ivan' }),
  ];
  for (const ticket of tickets) deps.tickets.seed(ticket);
  return deps;
};

const query = (overrides: Partial<ListTicketsQuery> = {}): ListTicketsQuery => ({ limit: 25, sort: 'queue', ...overrides });
const numbers = (page: { items: Pick<Ticket, 'number'>[] }) => page.items.map((ticket) => ticket.number).sort();

describe('reading one ticket', () => {
  it('shows a requester their own ticket', async () => {
    expect((await getTicket(desk(), alice, ID(1))).number).toBe(1);
  });

  it('shows a requester a stranger’s ticket as not found, never forbidden', async () => {
    const error = await rejectionOf(getTicket(desk(), alice, ID(4)));
    expect(error.kind).toBe('not-found');
  });

  it('says the same for a ticket that does not exist', async () => {
    const missing = await rejectionOf(getTicket(desk(), alice, ID(99)));
    const strangers = await rejectionOf(getTicket(desk(), alice, ID(4)));
    expect(missing.kind).toBe(strangers.kind);
    expect(strangers.message).toBe(`Ticket ${ID(4)} was not found.`);
  });

  it('shows staff any ticket', async () => {
    expect((await getTicket(desk(), sari, ID(4))).number).toBe(4);
  });
});

describe('reading a ticket’s history', () => {
  const withNotes = async () => {
    const deps = desk();
    await addComment(deps, ivan, ID(1), { body: 'Router perlu diganti.', visibility: 'internal' });
    await addComment(deps, ivan, ID(1), { body: 'Sedang kami periksa.', visibility: 'public' });
    return deps;
  };

  it('never shows a requester internal notes', async () => {
    // Act
    const page = await listTicketEvents(await withNotes(), alice, ID(1), { limit: 50 });

    // Assert
    expect(page.items.map((event) => event.data)).toEqual([{ body: 'Sedang kami periksa.', visibility: 'public' }]);
    expect(JSON.stringify(page)).not.toContain('Router perlu diganti');
  });

  it('shows staff the whole history, oldest first', async () => {
    const page = await listTicketEvents(await withNotes(), sari, ID(1), { limit: 50 });
    expect(page.items.map((event) => (event.data as { body: string }).body)).toEqual(['Router perlu diganti.', 'Sedang kami periksa.']);
  });

  it('shows a requester a stranger’s history as not found', async () => {
    const error = await rejectionOf(listTicketEvents(await withNotes(), bob, ID(1), { limit: 50 }));
    expect(error.kind).toBe('not-found');
  });

  it('gives the newest first when asked, paging on from the cursor', async () => {
    // Arrange
    const deps = await withNotes();

    // Act
    const first = await listTicketEvents(deps, sari, ID(1), { limit: 1, newestFirst: true });
    const second = await listTicketEvents(deps, sari, ID(1), { limit: 1, cursor: first.cursor, newestFirst: true });

    // Assert
    expect([...first.items, ...second.items].map((event) => (event.data as { body: string }).body)).toEqual([
      'Sedang kami periksa.',
      'Router perlu diganti.',
    ]);
    expect(second.cursor).toBeUndefined();
  });
});

describe('the audit records of reads', () => {
  it('are kept apart from the history: staff reads never appear in it, however many', async () => {
    // Arrange
    const deps = desk();

    // Act
    for (let read = 0; read < 3; read++) await getTicket(deps, sari, ID(1));
    await listTicketEvents(deps, ivan, ID(2), { limit: 10 });
    await getTicket(deps, alice, ID(1)); // a requester reading their own ticket leaves no trace

    // Assert
    expect(deps.tickets.historyOf(ID(1))).toEqual([]);
    expect(deps.tickets.viewsOf(ID(1)).map((view) => [view.type, view.actor.id])).toEqual([
      ['TicketViewed', 'sari'],
      ['TicketViewed', 'sari'],
      ['TicketViewed', 'sari'],
    ]);
    expect(deps.tickets.viewsOf(ID(2)).map((view) => view.actor.id)).toEqual(['ivan']);
  });

  it('are listed to staff newest first, paged; a requester may not, and a stranger finds nothing', async () => {
    // Arrange
    const deps = desk();
    await getTicket(deps, sari, ID(1));
    await getTicket(deps, ivan, ID(1));

    // Act
    const first = await listTicketViews(deps, sari, ID(1), { limit: 1 });
    const second = await listTicketViews(deps, sari, ID(1), { limit: 1, cursor: first.cursor });
    const own = await rejectionOf(listTicketViews(deps, alice, ID(1), { limit: 10 }));
    const stranger = await rejectionOf(listTicketViews(deps, bob, ID(1), { limit: 10 }));

    // Assert
    expect([...first.items, ...second.items].map((view) => view.actor.id)).toEqual(['ivan', 'sari']);
    expect(own.kind).toBe('forbidden');
    expect(stranger.kind).toBe('not-found');
  });
});

describe('listing tickets', () => {
  it('gives a requester their own tickets only, without being asked', async () => {
    expect(numbers(await listTickets(desk(), alice, query()))).toEqual([1, 2, 3]);
    expect(numbers(await listTickets(desk(), bob, query({ requester: 'me' })))).toEqual([4, 5]);
  });

  it('keeps a requester to their own tickets when they filter by a team', async () => {
    expect(numbers(await listTickets(desk(), alice, query({ team: 'sarpras' })))).toEqual([]);
    expect(numbers(await listTickets(desk(), bob, query({ team: 'sarpras' })))).toEqual([4]);
  });

  it('refuses a requester’s assignee=me, naming assignee', async () => {
    const error = await rejectionOf(listTickets(desk(), alice, query({ assignee: 'me' })));
    expect(error.kind).toBe('validation');
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['assignee']);
  });

  it('refuses an unknown team, naming team', async () => {
    const error = await rejectionOf(listTickets(desk(), hana, query({ team: 'kantin' })));
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['team']);
  });

  it('gives staff every ticket, or a filtered view', async () => {
    const deps = desk();
    expect(numbers(await listTickets(deps, sari, query()))).toEqual([1, 2, 3, 4, 5]);
    expect(numbers(await listTickets(deps, ivan, query({ assignee: 'me' })))).toEqual([1, 5]);
    expect(numbers(await listTickets(deps, sari, query({ status: 'open' })))).toEqual([1, 5]);
    expect(numbers(await listTickets(deps, sari, query({ team: 'it-support', status: 'new' })))).toEqual([2]);
    expect(numbers(await listTickets(deps, sari, query({ requester: 'me' })))).toEqual([]);
  });

  it('pages through a list with the cursor, each ticket once', async () => {
    // Arrange
    const deps = desk();
    const seen: number[] = [];
    let cursor: string | undefined;

    // Act
    do {
      const page = await listTickets(deps, sari, query({ limit: 2, cursor }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((ticket) => ticket.number));
      cursor = page.cursor;
    } while (cursor);

    // Assert
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a cursor from another person’s list, naming cursor', async () => {
    // Arrange
    const deps = desk();
    const bobsPage = await listTickets(deps, bob, query({ limit: 1 }));

    // Act
    const error = await rejectionOf(listTickets(deps, alice, query({ limit: 1, cursor: bobsPage.cursor })));

    // Assert
    expect(bobsPage.cursor).toBeDefined();
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['cursor']);
  });
});

describe('the SLA queues (staff)', () => {
  const clock = (dueAt: string, warnAt: string) => ({
    targetMs: 3_600_000,
    elapsedMs: 0,
    runningSince: '2026-03-02T01:00:00.000Z',
    dueAt,
    warnAt,
  });
  /** Due at 03:00 (at risk from 02:30), at 05:00, at 01:30 (breached at T0 = 02:00), paused, and resolved. */
  const queueDesk = () => {
    const deps = testDeps();
    const sla = (dueAt: string, warnAt: string) => ({
      policy: 'medium' as const,
      calendar: 'business' as const,
      clocks: { resolution: clock(dueAt, warnAt) },
    });
    deps.tickets.seed(
      aTicket({ id: ID(1), number: 1, status: 'open', assignee: 'ivan', sla: sla('2026-03-02T03:00:00.000Z', '2026-03-02T01:50:00.000Z') }),
    );
    deps.tickets.seed(aTicket({ id: ID(2), number: 2, sla: sla('2026-03-02T05:00:00.000Z', '2026-03-02T04:00:00.000Z') }));
    deps.tickets.seed(
      aTicket({ id: ID(3), number: 3, status: 'open', assignee: 'ivan', sla: sla('2026-03-02T01:30:00.000Z', '2026-03-02T01:00:00.000Z') }),
    );
    deps.tickets.seed(
      aTicket({
        id: ID(4),
        number: 4,
        status: 'pending',
        sla: { policy: 'medium', calendar: 'business', clocks: { resolution: { targetMs: 1, elapsedMs: 0 } } },
      }),
    );
    deps.tickets.seed(aTicket({ id: ID(5), number: 5, status: 'resolved', resolvedAt: T0 }));
    deps.tickets.seed(
      aTicket({
        id: ID(6),
        number: 6,
        team: 'sarpras',
        category: 'facilities',
        sla: sla('2026-03-02T02:30:00.000Z', '2026-03-02T02:10:00.000Z'),
      }),
    );
    return deps;
  };
  const inOrder = (page: { items: Pick<Ticket, 'number'>[] }) => page.items.map((ticket) => ticket.number);

  it('lists an agent’s teams’ working tickets by due time, paused ones last and resolved ones not at all', async () => {
    expect(inOrder(await listTickets(queueDesk(), ivan, query({ sort: 'due' })))).toEqual([3, 1, 2, 4]);
  });

  it('narrows to the caller’s own, and to nobody’s yet', async () => {
    const deps = queueDesk();
    expect(inOrder(await listTickets(deps, ivan, query({ sort: 'due', assignee: 'me' })))).toEqual([3, 1]);
    expect(inOrder(await listTickets(deps, ivan, query({ sort: 'due', assignee: 'none' })))).toEqual([2, 4]);
    expect(inOrder(await listTickets(deps, sari, query({ sort: 'due', assignee: 'none' })))).toEqual([6, 2, 4]);
  });

  it('lists what is breached and what is at risk at the helpdesk’s own time, each by due time', async () => {
    const deps = queueDesk();
    expect(inOrder(await listTickets(deps, sari, query({ sla: 'breached' })))).toEqual([3]);
    expect(inOrder(await listTickets(deps, sari, query({ sla: 'at-risk' })))).toEqual([1]);
    deps.clock.set('2026-03-02T02:20:00.000Z');
    expect(inOrder(await listTickets(deps, sari, query({ sla: 'at-risk' })))).toEqual([6, 1]);
    expect(inOrder(await listTickets(deps, ivan, query({ sla: 'at-risk' })))).toEqual([1]);
  });

  it('refuses the SLA queues to a requester, and a status that is not in work, naming the field', async () => {
    const deps = queueDesk();
    expect((await rejectionOf(listTickets(deps, alice, query({ sort: 'due' })))).details.errors?.map((p) => p.path)).toEqual(['sort']);
    expect((await rejectionOf(listTickets(deps, alice, query({ sla: 'breached' })))).details.errors?.map((p) => p.path)).toEqual(['sla']);
    expect((await rejectionOf(listTickets(deps, alice, query({ assignee: 'none' })))).details.errors?.map((p) => p.path)).toEqual([
      'assignee',
    ]);
    expect(
      (await rejectionOf(listTickets(deps, ivan, query({ sort: 'due', status: 'resolved' })))).details.errors?.map((p) => p.path),
    ).toEqual(['status']);
  });

  it('lists unassigned tickets in the ordinary queue order too', async () => {
    expect(numbers(await listTickets(queueDesk(), sari, query({ assignee: 'none', team: 'it-support' })))).toEqual([2, 4, 5]);
  });
});
