// The contracts of the ticket services' stores (shared/domain/tickets/ports.ts, routing/ports.ts,
// sla/ports.ts), run against the DynamoDB stores on DynamoDB Local and against the in-memory fakes the unit
// tests use, so the fakes cannot drift from the real thing. Everything is arranged through the ports.
import { beforeEach, describe, expect, it } from 'vitest';
import { ClaimLostError } from '#shared/domain/claims.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { Sla } from '#shared/domain/sla/sla.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { RateLimitedError, VersionConflictError } from '#shared/domain/tickets/ports.ts';
import { type Ticket, type TicketEvent, ticketSummary } from '#shared/domain/tickets/ticket.ts';
import { ticketStores } from '#shared/wiring/ticket-deps.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';
import {
  InMemoryRateLimits,
  InMemoryRoutingState,
  InMemorySlaSchedule,
  InMemoryTicketNumbers,
  InMemoryTicketStore,
} from '#test/fixtures/in-memory-ticket-stores.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type Stores = Pick<TicketDeps, 'tickets' | 'numbers' | 'rateLimits' | 'idempotencyKeys' | 'routing' | 'slaSchedule'>;

/**
 * `ownTable`: the test reads whole partitions (every ticket, a team's queue, the SLA schedule), so it gets a
 * table of its own; the others share one (creating a table takes DynamoDB Local a few hundred ms).
 */
type Make = (ownTable?: boolean) => Promise<Stores>;

let shared: ReturnType<typeof localTable> | undefined;

const implementations: { name: string; make: Make }[] = [
  {
    name: 'in memory',
    make: async () => {
      const idempotencyKeys = new InMemoryClaimStore({ lockSeconds: 30, ttlSeconds: 24 * 3600 });
      const numbers = new InMemoryTicketNumbers();
      const rateLimits = new InMemoryRateLimits();
      const tickets = new InMemoryTicketStore({ idempotencyKeys, numbers, rateLimits });
      return {
        tickets,
        numbers,
        rateLimits,
        idempotencyKeys,
        routing: new InMemoryRoutingState(tickets),
        slaSchedule: new InMemorySlaSchedule(tickets),
      };
    },
  },
  {
    name: 'DynamoDB',
    make: async (ownTable = false) => {
      const { client, table } = await (ownTable ? localTable() : (shared ??= localTable()));
      return ticketStores(client, table);
    },
  },
];

const T0 = '2026-11-27T01:00:00.000Z';
const minutesAfter = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

let made = 0;
/** A ticket of its own (id and number), created at T0 + `index` minutes unless told otherwise. */
const ticketWith = (overrides: Partial<Ticket> = {}): Ticket => {
  made += 1;
  return aTicket({ id: `01JCONTRACT${String(made).padStart(15, '0')}`, number: 1000 + made, createdAt: minutesAfter(made), ...overrides });
};

const eventOf = (ticket: Ticket, id: string, overrides: Partial<TicketEvent> = {}): TicketEvent =>
  ({
    type: 'StatusChanged',
    data: { from: 'new', to: 'open' },
    id,
    ticketId: ticket.id,
    number: ticket.number,
    version: ticket.version,
    at: T0,
    actor: { id: 'ivan', role: 'agent' },
    ticket: {
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      team: ticket.team,
      assignee: null,
      channel: 'web',
    },
    ...overrides,
  }) as TicketEvent;

/** A first-response clock that warns at `warnAt` (and is due an hour later). */
const slaWarningAt = (warnAt: string): Sla => ({
  policy: 'medium',
  calendar: '24x7',
  clocks: { firstResponse: { targetMs: 3_600_000, elapsedMs: 0, runningSince: T0, warnAt, dueAt: minutesAfter(600) } },
});

const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe.each(implementations)('the ticket stores ($name)', ({ make }) => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await make();
  });

  describe('tickets and their history', () => {
    it('creates a ticket with its history, and finds it by id and by number', async () => {
      // Arrange: every optional attribute a ticket may carry comes back as written.
      const ticket = { ...ticketWith(), tags: ['lab-2', 'ujian'], fields: { nisn: '0012345678', unit: 3 } };

      // Act
      await stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1')]);

      // Assert
      expect(await stores.tickets.getTicket(ticket.id)).toEqual(ticket);
      expect(await stores.tickets.getTicketIdByNumber(ticket.number)).toBe(ticket.id);
      expect((await stores.tickets.listEvents(ticket.id, { limit: 10 })).items).toEqual([eventOf(ticket, 'E1')]);
      expect(await stores.tickets.getTicket('01JNOSUCHTICKET00000000000')).toBeUndefined();
      expect(await stores.tickets.getTicketIdByNumber(999_999)).toBeUndefined();
    });

    it('reads many tickets at once, each once, leaving out those that do not exist', async () => {
      // Arrange
      const one = aTicket({ id: '01JCONTRACTBATCHREAD000001', number: await stores.numbers.next() });
      const two = aTicket({ id: '01JCONTRACTBATCHREAD000002', number: await stores.numbers.next() });
      await stores.tickets.createTicket(one, []);
      await stores.tickets.createTicket(two, []);

      // Act
      const read = await stores.tickets.getTickets([two.id, '01JNOSUCHTICKET00000000000', one.id, two.id]);

      // Assert
      expect(read.sort((a, b) => a.number - b.number)).toEqual([one, two]);
      expect(await stores.tickets.getTickets([])).toEqual([]);
    });

    it('refuses a second ticket with the same id or the same number, writing nothing', async () => {
      // Arrange
      const ticket = ticketWith();
      await stores.tickets.createTicket(ticket, []);
      const sameNumber = ticketWith({ number: ticket.number });

      // Act
      const sameId = await rejectionOf(stores.tickets.createTicket({ ...ticket, subject: 'again' }, []));
      const numberTaken = await rejectionOf(stores.tickets.createTicket(sameNumber, [eventOf(sameNumber, 'E9')]));

      // Assert
      expect(sameId).toBeInstanceOf(Error);
      expect(numberTaken).toBeInstanceOf(Error);
      expect((await stores.tickets.getTicket(ticket.id))?.subject).toBe(ticket.subject);
      expect(await stores.tickets.getTicket(sameNumber.id)).toBeUndefined();
    });

    it('saves only at the expected version, and changes nothing on a conflict', async () => {
      // Arrange
      const ticket = ticketWith();
      await stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1')]);

      // Act
      await stores.tickets.saveTicket({ ...ticket, status: 'open', version: 2 }, 1, [eventOf(ticket, 'E2', { version: 2 })]);
      const stale = await rejectionOf(stores.tickets.saveTicket({ ...ticket, status: 'pending', version: 2 }, 1, [eventOf(ticket, 'E3')]));

      // Assert
      expect(stale).toBeInstanceOf(VersionConflictError);
      expect(await stores.tickets.getTicket(ticket.id)).toMatchObject({ status: 'open', version: 2 });
      expect((await stores.tickets.listEvents(ticket.id, { limit: 10 })).items.map((event) => event.id)).toEqual(['E1', 'E2']);
    });

    it('saves several tickets together, or none of them when one is stale (naming it)', async () => {
      // Arrange
      const primary = ticketWith();
      const duplicate = ticketWith();
      await stores.tickets.createTicket(primary, [eventOf(primary, 'P1')]);
      await stores.tickets.createTicket(duplicate, [eventOf(duplicate, 'D1')]);
      const merged = { ...duplicate, status: 'closed' as const, mergedInto: { id: primary.id, number: primary.number }, version: 2 };
      const grown = { ...primary, mergedFrom: [{ id: duplicate.id, number: duplicate.number }], version: 2 };

      // Act
      const stale = await rejectionOf(
        stores.tickets.saveTickets([
          { ticket: merged, expectedVersion: 1, events: [eventOf(duplicate, 'D2', { version: 2 })] },
          { ticket: grown, expectedVersion: 5, events: [eventOf(primary, 'P2', { version: 2 })] },
        ]),
      );
      const untouched = [await stores.tickets.getTicket(primary.id), await stores.tickets.getTicket(duplicate.id)];
      await stores.tickets.saveTickets([
        { ticket: merged, expectedVersion: 1, events: [eventOf(duplicate, 'D2', { version: 2 })] },
        { ticket: grown, expectedVersion: 1, events: [eventOf(primary, 'P2', { version: 2 })] },
      ]);

      // Assert
      expect(stale).toBeInstanceOf(VersionConflictError);
      expect((stale as VersionConflictError).ticketId).toBe(primary.id);
      expect(untouched).toEqual([primary, duplicate]);
      expect(await stores.tickets.getTicket(duplicate.id)).toEqual(merged);
      expect(await stores.tickets.getTicket(primary.id)).toEqual(grown);
      expect((await stores.tickets.listEvents(primary.id, { limit: 10 })).items.map((event) => event.id)).toEqual(['P1', 'P2']);
      expect((await stores.tickets.listEvents(duplicate.id, { limit: 10 })).items.map((event) => event.id)).toEqual(['D1', 'D2']);
    });

    it('appends history that changes nothing on the ticket, once per event id', async () => {
      // Arrange
      const ticket = ticketWith();
      await stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1')]);
      const note = { type: 'CommentAdded', data: { body: 'Surat tidak terkirim.', visibility: 'internal' } } as Partial<TicketEvent>;

      // Act
      await stores.tickets.appendEvent(eventOf(ticket, 'E2', note));
      const again = await rejectionOf(stores.tickets.appendEvent(eventOf(ticket, 'E2')));

      // Assert
      expect(again).toBeInstanceOf(Error);
      expect((await stores.tickets.listEvents(ticket.id, { limit: 10 })).items.map((event) => event.type)).toEqual([
        'StatusChanged',
        'CommentAdded',
      ]);
      expect(await stores.tickets.getTicket(ticket.id)).toEqual(ticket);
    });

    it('keeps audit records of reads apart from the history, once per id, listed newest first with their own cursor', async () => {
      // Arrange
      const ticket = ticketWith();
      const other = ticketWith();
      await stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1')]);
      const viewed = { type: 'TicketViewed', data: {}, actor: { id: 'sari', role: 'lead', ip: '10.0.0.7' } } as Partial<TicketEvent>;

      // Act
      for (const id of ['V2', 'V1', 'V3']) await stores.tickets.recordView(eventOf(ticket, id, viewed));
      const again = await rejectionOf(stores.tickets.recordView(eventOf(ticket, 'V1', viewed)));
      const first = await stores.tickets.listViews(ticket.id, { limit: 2 });
      const second = await stores.tickets.listViews(ticket.id, { limit: 2, cursor: first.cursor });
      const elsewhere = await rejectionOf(stores.tickets.listViews(other.id, { limit: 2, cursor: first.cursor }));
      const asHistory = await rejectionOf(stores.tickets.listEvents(ticket.id, { limit: 2, cursor: first.cursor }));

      // Assert
      expect(again).toBeInstanceOf(Error);
      expect(first.items.map((event) => [event.id, event.type, event.actor])).toEqual([
        ['V3', 'TicketViewed', { id: 'sari', role: 'lead', ip: '10.0.0.7' }],
        ['V2', 'TicketViewed', { id: 'sari', role: 'lead', ip: '10.0.0.7' }],
      ]);
      expect(second.items.map((event) => event.id)).toEqual(['V1']);
      expect(second.cursor).toBeUndefined();
      expect((elsewhere as DomainError).details.errors?.[0]?.path).toBe('cursor');
      expect((asHistory as DomainError).details.errors?.[0]?.path).toBe('cursor');
      expect((await stores.tickets.listEvents(ticket.id, { limit: 10 })).items.map((event) => event.id)).toEqual(['E1']);
      expect(await stores.tickets.getTicket(ticket.id)).toEqual(ticket);
    });

    it('pages a history newest first when asked', async () => {
      // Arrange
      const ticket = ticketWith();
      await stores.tickets.createTicket(
        ticket,
        ['E3', 'E1', 'E2'].map((id) => eventOf(ticket, id)),
      );

      // Act
      const first = await stores.tickets.listEvents(ticket.id, { limit: 2, newestFirst: true });
      const second = await stores.tickets.listEvents(ticket.id, { limit: 2, cursor: first.cursor, newestFirst: true });

      // Assert
      expect(first.items.map((event) => event.id)).toEqual(['E3', 'E2']);
      expect(second.items.map((event) => event.id)).toEqual(['E1']);
      expect(second.cursor).toBeUndefined();
    });

    it('pages a history in order with a cursor that only that history accepts', async () => {
      // Arrange
      const ticket = ticketWith();
      const other = ticketWith();
      await stores.tickets.createTicket(
        ticket,
        ['E3', 'E1', 'E2'].map((id) => eventOf(ticket, id)),
      );
      await stores.tickets.createTicket(other, [eventOf(other, 'E1')]);

      // Act
      const first = await stores.tickets.listEvents(ticket.id, { limit: 2 });
      const second = await stores.tickets.listEvents(ticket.id, { limit: 2, cursor: first.cursor });
      const elsewhere = await rejectionOf(stores.tickets.listEvents(other.id, { limit: 2, cursor: first.cursor }));

      // Assert
      expect(first.items.map((event) => event.id)).toEqual(['E1', 'E2']);
      expect(second.items.map((event) => event.id)).toEqual(['E3']);
      expect(second.cursor).toBeUndefined();
      expect((elsewhere as DomainError).details.errors?.[0]?.path).toBe('cursor');
    });

    it('rewrites history items in place, and never creates one', async () => {
      // Arrange
      const ticket = ticketWith();
      await stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1')]);

      // Act
      await stores.tickets.replaceEvents([eventOf(ticket, 'E1', { actor: { id: 'erased-1', role: 'requester' } })]);
      const missing = await rejectionOf(stores.tickets.replaceEvents([eventOf(ticket, 'E7')]));

      // Assert
      expect(missing).toBeInstanceOf(Error);
      expect((await stores.tickets.listEvents(ticket.id, { limit: 10 })).items).toEqual([
        eventOf(ticket, 'E1', { actor: { id: 'erased-1', role: 'requester' } }),
      ]);
    });

    it('gives every history item the ticket’s retention, and counts them', async () => {
      // Arrange
      const ticket = ticketWith();
      await stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1'), eventOf(ticket, 'E2')]);
      await stores.tickets.recordView(eventOf(ticket, 'V1', { type: 'TicketViewed', data: {} } as Partial<TicketEvent>));

      // Act
      const count = await stores.tickets.expireHistory(ticket.id, '2028-11-27T00:00:00.000Z');

      // Assert: the history and the audit records of reads alike
      expect(count).toBe(3);
      const events = (await stores.tickets.listEvents(ticket.id, { limit: 10 })).items;
      expect(events.map((event) => event.retainUntil)).toEqual(['2028-11-27T00:00:00.000Z', '2028-11-27T00:00:00.000Z']);
      const views = (await stores.tickets.listViews(ticket.id, { limit: 10 })).items;
      expect(views.map((event) => event.retainUntil)).toEqual(['2028-11-27T00:00:00.000Z']);
    });
  });

  describe('lists', () => {
    beforeEach(async () => {
      stores = await make(true);
    });

    it('lists as a work queue: status, then priority, then oldest first', async () => {
      // Arrange
      const open = ticketWith({ status: 'open', priority: 'critical' });
      const oldLow = ticketWith({ priority: 'low', createdAt: '2026-03-01T00:00:00.000Z' });
      const high = ticketWith({ priority: 'high' });
      const low = ticketWith({ priority: 'low' });
      for (const ticket of [open, oldLow, high, low]) await stores.tickets.createTicket(ticket, []);

      // Act
      const page = await stores.tickets.listTickets({}, { limit: 10 });

      // Assert
      expect(page.items.map((ticket) => ticket.id)).toEqual([high.id, oldLow.id, low.id, open.id]);
    });

    it('shows each ticket as a list does, from every list index: what the queue shows, not the description or the custom fields', async () => {
      // Arrange
      const ticket = ticketWith({
        status: 'open',
        assignee: 'ivan',
        description: 'Sejak pagi tidak bisa terhubung.',
        fields: { room: 'Lab 2' },
        followers: ['sari'],
        tags: ['wifi'],
      });
      await stores.tickets.createTicket(ticket, []);

      // Act
      const lists = await Promise.all(
        [{}, { team: 'it-support' }, { assignee: 'ivan' }, { requester: ticket.requester.id }, { order: 'due' as const }].map(
          async (filter) => (await stores.tickets.listTickets(filter, { limit: 10 })).items,
        ),
      );

      // Assert
      for (const items of lists) expect(items).toEqual([ticketSummary(ticket)]);
      expect(lists[0]![0]).toMatchObject({ number: ticket.number, subject: ticket.subject, tags: ['wifi'], requester: ticket.requester });
      expect(lists[0]![0]).not.toHaveProperty('description');
      expect(lists[0]![0]).not.toHaveProperty('fields');
    });

    it('honours every filter: status, team, assignee, requester and an agent’s teams', async () => {
      // Arrange
      const mine = ticketWith({ requester: { id: 'user-bob', name: 'Bob' }, team: 'sarpras', status: 'open', assignee: 'sari' });
      const theirs = ticketWith({ status: 'open', assignee: 'ivan' });
      const fresh = ticketWith();
      for (const ticket of [mine, theirs, fresh]) await stores.tickets.createTicket(ticket, []);
      const ids = async (filter: Parameters<typeof stores.tickets.listTickets>[0]) =>
        (await stores.tickets.listTickets(filter, { limit: 10 })).items.map((ticket) => ticket.id);

      // Act / Assert
      expect(await ids({ status: 'open' })).toEqual([mine.id, theirs.id]);
      expect(await ids({ team: 'it-support' })).toEqual([fresh.id, theirs.id]);
      expect(await ids({ team: 'it-support', status: 'new' })).toEqual([fresh.id]);
      expect(await ids({ assignee: 'ivan' })).toEqual([theirs.id]);
      expect(await ids({ assignee: 'ivan', team: 'sarpras' })).toEqual([]);
      expect(await ids({ requester: 'user-bob' })).toEqual([mine.id]);
      expect(await ids({ requester: 'user-alice', assignee: 'ivan' })).toEqual([theirs.id]);
      expect(await ids({ teams: ['sarpras'] })).toEqual([mine.id]);
      expect(await ids({ teams: [] })).toEqual([]);
    });

    it('pages with a cursor that only the same list accepts, naming cursor', async () => {
      // Arrange
      const tickets = [ticketWith(), ticketWith(), ticketWith()];
      for (const ticket of tickets) await stores.tickets.createTicket(ticket, []);

      // Act
      const first = await stores.tickets.listTickets({ team: 'it-support' }, { limit: 2 });
      const second = await stores.tickets.listTickets({ team: 'it-support' }, { limit: 2, cursor: first.cursor });
      const otherTeam = await rejectionOf(stores.tickets.listTickets({ team: 'sarpras' }, { limit: 2, cursor: first.cursor }));
      const otherStatus = await rejectionOf(
        stores.tickets.listTickets({ team: 'it-support', status: 'open' }, { limit: 2, cursor: first.cursor }),
      );
      const garbage = await rejectionOf(stores.tickets.listTickets({}, { limit: 2, cursor: 'not-a-cursor' }));

      // Assert
      expect([...first.items, ...second.items].map((ticket) => ticket.id)).toEqual(tickets.map((ticket) => ticket.id));
      expect(second.cursor).toBeUndefined();
      for (const refused of [otherTeam, otherStatus, garbage]) {
        expect(refused).toBeInstanceOf(DomainError);
        expect((refused as DomainError).details.errors?.[0]?.path).toBe('cursor');
      }
    });
  });

  describe('idempotency keys, completed with the ticket', () => {
    it('completes the request’s claim in the ticket’s write, with the ticket’s id', async () => {
      // Arrange
      const ticket = ticketWith();
      const key = `user-alice#${ticket.id}`;
      const holder = (await stores.idempotencyKeys.claim(key, new Date(T0), { requestHash: 'h1' }))!;

      // Act
      await stores.tickets.createTicket(ticket, [], { key, holder });

      // Assert
      expect(await stores.idempotencyKeys.read(key)).toEqual({ state: 'completed', fields: { requestHash: 'h1', ticketId: ticket.id } });
    });

    it('writes nothing when the claim was taken over meanwhile', async () => {
      // Arrange: the first request's lock ran out and a second request took the key
      const ticket = ticketWith();
      const key = `user-alice#${ticket.id}`;
      const first = (await stores.idempotencyKeys.claim(key, new Date(T0)))!;
      await stores.idempotencyKeys.claim(key, new Date(Date.parse(T0) + 31_000));

      // Act
      const lost = await rejectionOf(stores.tickets.createTicket(ticket, [eventOf(ticket, 'E1')], { key, holder: first }));

      // Assert
      expect(lost).toBeInstanceOf(ClaimLostError);
      expect(await stores.tickets.getTicket(ticket.id)).toBeUndefined();
      expect(await stores.tickets.getTicketIdByNumber(ticket.number)).toBeUndefined();
      expect((await stores.idempotencyKeys.read(key))?.state).toBe('in_progress');
    });
  });

  describe('ticket numbers', () => {
    it('hands out unique, increasing numbers, also to concurrent callers', async () => {
      const first = await stores.numbers.next();
      const concurrent = await Promise.all([stores.numbers.next(), stores.numbers.next(), stores.numbers.next()]);
      expect(new Set([first, ...concurrent]).size).toBe(4);
      expect(Math.min(...concurrent)).toBeGreaterThan(first);
    });
  });

  describe('rate limits', () => {
    it('counts uses in a fixed window, refuses past the limit with the wait, and starts again in the next window', async () => {
      // Arrange: 10:00:30, in the hour that started at 10:00
      const now = new Date('2026-11-27T10:00:30.000Z');

      // Act
      const taken = [await stores.rateLimits.take('create#ani', 2, 3600, now), await stores.rateLimits.take('create#ani', 2, 3600, now)];
      const refused = await stores.rateLimits.take('create#ani', 2, 3600, now);
      const otherKey = await stores.rateLimits.take('create#budi', 2, 3600, now);
      const nextHour = await stores.rateLimits.take('create#ani', 2, 3600, new Date('2026-11-27T11:00:00.000Z'));

      // Assert
      expect(taken.map((result) => result.allowed)).toEqual([true, true]);
      expect(refused).toEqual({ allowed: false, retryAfterSeconds: 3600 - 30 });
      expect(otherKey.allowed).toBe(true);
      expect(nextHour.allowed).toBe(true);
    });
  });

  describe('the hourly limit, counted in the create', () => {
    const use = (key: string, limit: number) => ({ key, limit, windowSeconds: 3600, now: new Date('2026-11-27T10:00:30.000Z') });

    it('counts the use with the ticket, and refuses past the limit with the wait, writing nothing', async () => {
      // Arrange: two tickets in the hour that started at 10:00
      const [first, second, third] = [ticketWith(), ticketWith(), ticketWith()];
      await stores.tickets.createTicket(first!, [eventOf(first!, 'E1')], undefined, use('create#citra', 2));
      await stores.tickets.createTicket(second!, [eventOf(second!, 'E1')], undefined, use('create#citra', 2));

      // Act
      const refused = await rejectionOf(stores.tickets.createTicket(third!, [eventOf(third!, 'E1')], undefined, use('create#citra', 2)));

      // Assert
      expect(refused).toBeInstanceOf(RateLimitedError);
      expect((refused as RateLimitedError).retryAfterSeconds).toBe(3600 - 30);
      expect(await stores.tickets.getTicket(third!.id)).toBeUndefined();
      expect(await stores.tickets.getTicketIdByNumber(third!.number)).toBeUndefined();
      expect((await stores.tickets.listEvents(third!.id, { limit: 10 })).items).toEqual([]);
      // The two creates were counted on the same counter RateLimits.take uses; the refusal counted nothing.
      expect(await stores.rateLimits.take('create#citra', 3, 3600, new Date('2026-11-27T10:59:00.000Z'))).toEqual({
        allowed: true,
        retryAfterSeconds: 0,
      });
      expect((await stores.rateLimits.take('create#citra', 3, 3600, new Date('2026-11-27T10:59:00.000Z'))).allowed).toBe(false);
    });

    it('counts every one of a requester’s concurrent creates', async () => {
      // Arrange
      const tickets = [ticketWith(), ticketWith(), ticketWith(), ticketWith()];

      // Act: four at once against a limit of three
      const outcomes = await Promise.all(
        tickets.map((ticket) => rejectionOf(stores.tickets.createTicket(ticket, [], undefined, use('create#dewi', 3)))),
      );

      // Assert
      expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(3);
      expect(outcomes.filter((outcome) => outcome instanceof RateLimitedError)).toHaveLength(1);
    });
  });

  describe('routing state', () => {
    it('lists an agent’s tickets in a working status only', async () => {
      // Arrange
      const working: string[] = [];
      for (const status of ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const) {
        const ticket = ticketWith({ status, assignee: 'ivan-counted' });
        await stores.tickets.createTicket(ticket, []);
        if (status !== 'resolved' && status !== 'closed') working.push(ticket.id);
      }
      await stores.tickets.createTicket(ticketWith({ status: 'open', assignee: 'sari-counted' }), []);

      // Act / Assert
      expect((await stores.routing.activeTickets('ivan-counted')).sort()).toEqual(working.sort());
      expect(await stores.routing.activeTickets('sari-counted')).toHaveLength(1);
      expect(await stores.routing.activeTickets('nobody')).toEqual([]);
    });

    it('moves a team’s turn on with the assignment, and only from the version read', async () => {
      // Arrange
      const team = `team-${made}`;
      const first = ticketWith({ team });
      const second = ticketWith({ team });
      await stores.tickets.createTicket(first, []);
      await stores.tickets.createTicket(second, []);
      const before = await stores.routing.getTurn(team);
      const recent = [{ ticketId: first.id, agent: 'ivan', at: T0 }];

      // Act: the first assignment moves the turn; a second router that read the same version loses
      await stores.tickets.saveTicket({ ...first, assignee: 'ivan', version: 2 }, 1, [eventOf(first, 'E1')], {
        team,
        expectedVersion: before.version,
        last: 'ivan',
        recent,
      });
      const lost = await rejectionOf(
        stores.tickets.saveTicket({ ...second, assignee: 'ivan', version: 2 }, 1, [eventOf(second, 'E2')], {
          team,
          expectedVersion: before.version,
          last: 'ivan',
          recent,
        }),
      );

      // Assert
      expect(before).toEqual({ team, version: 0, recent: [] });
      expect(await stores.routing.getTurn(team)).toEqual({ team, last: 'ivan', version: 1, recent });
      expect(lost).toBeInstanceOf(VersionConflictError);
      expect(await stores.tickets.getTicket(second.id)).toMatchObject({ assignee: null, version: 1 });
      expect((await stores.tickets.listEvents(second.id, { limit: 10 })).items).toEqual([]);
    });
  });

  describe('the SLA schedule', () => {
    beforeEach(async () => {
      stores = await make(true);
    });

    it('lists the tickets due by now, earliest first, page by page, and not those resolved or due later', async () => {
      // Arrange
      const later = ticketWith({ sla: slaWarningAt(minutesAfter(90)) });
      const second = ticketWith({ sla: slaWarningAt(minutesAfter(20)) });
      const first = ticketWith({ sla: slaWarningAt(minutesAfter(10)) });
      const resolved = ticketWith({ status: 'resolved', sla: slaWarningAt(minutesAfter(5)) });
      const noSla = ticketWith();
      for (const ticket of [later, second, first, resolved, noSla]) await stores.tickets.createTicket(ticket, []);

      // Act
      const page = await stores.slaSchedule.listDue(minutesAfter(60), { limit: 1 });
      const rest = await stores.slaSchedule.listDue(minutesAfter(60), { limit: 10, cursor: page.cursor });

      // Assert
      expect(page.items).toEqual([{ id: first.id, dueAt: minutesAfter(10) }]);
      expect(rest).toEqual({ items: [{ id: second.id, dueAt: minutesAfter(20) }], cursor: undefined });
    });

    it('drops a ticket once saved with nothing due', async () => {
      // Arrange
      const ticket = ticketWith({ sla: slaWarningAt(minutesAfter(10)) });
      await stores.tickets.createTicket(ticket, []);

      // Act
      await stores.tickets.saveTicket({ ...ticket, status: 'resolved', version: 2 }, 1, []);

      // Assert
      expect((await stores.slaSchedule.listDue(minutesAfter(60), { limit: 10 })).items).toEqual([]);
    });
  });
});
