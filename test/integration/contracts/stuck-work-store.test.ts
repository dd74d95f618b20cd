// The sweeper's store (StuckWorkStore in shared/domain/stuck-work), run against the DynamoDB store on
// DynamoDB Local (its reads on gsi4 and the counted-events index gsi7) and against the in-memory fake the
// unit tests use. Everything is arranged through the ticket store, as the functions write it.
import { beforeEach, describe, expect, it } from 'vitest';
import { createStuckWorkStore } from '#shared/adapters/stuck-work-store.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import type { StuckWorkStore } from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import type { TicketStore } from '#shared/domain/tickets/ports.ts';
import { type Ticket, type TicketEvent, ticketSummary } from '#shared/domain/tickets/ticket.ts';
import { InMemoryStuckWorkStore } from '#test/fixtures/in-memory-stuck-work.ts';
import { InMemoryTicketStore } from '#test/fixtures/in-memory-ticket-stores.ts';
import { anEvent, created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type Stores = { tickets: TicketStore; stuck: StuckWorkStore };

const implementations: { name: string; make: () => Promise<Stores> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const tickets = new InMemoryTicketStore();
      return { tickets, stuck: new InMemoryStuckWorkStore(tickets) };
    },
  },
  {
    name: 'DynamoDB',
    // A table per test: the reads cover whole partitions (every new ticket, a day's counted events).
    make: async () => {
      const { client, table } = await localTable();
      return { tickets: createTicketStore(client, table), stuck: createStuckWorkStore(client, table) };
    },
  },
];

let made = 0;
const ticketAt = (createdAt: string, overrides: Partial<Ticket> = {}): Ticket => {
  made += 1;
  return aTicket({ id: `01JSTUCK${String(made).padStart(18, '0')}`, number: 5000 + made, createdAt, ...overrides });
};
const createdAt = (ticket: Ticket): TicketEvent => ({
  ...created(ticket),
  id: `01JSTUCKEV${String(made).padStart(16, '0')}`,
  at: ticket.createdAt,
});

describe.each(implementations)('the sweeper’s store ($name)', ({ make }) => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await make();
  });

  it('lists the new tickets with no assignee filed by an instant, and no others', async () => {
    // Arrange
    const due = ticketAt('2026-03-02T01:00:00.000Z');
    const atTheInstant = ticketAt('2026-03-02T01:55:00.000Z', { team: 'keuangan' });
    const later = ticketAt('2026-03-02T01:56:00.000Z');
    const assigned = ticketAt('2026-03-02T01:00:00.000Z', { status: 'open', assignee: 'ivan' });
    const unassignedOpen = ticketAt('2026-03-02T01:00:00.000Z', { status: 'open' });
    for (const ticket of [due, atTheInstant, later, assigned, unassignedOpen]) await stores.tickets.createTicket(ticket, []);

    // Act
    const found = await stores.stuck.unassignedNewTickets('2026-03-02T01:55:00.000Z');

    // Assert
    expect(found.map((ticket) => ticket.id).sort()).toEqual([due.id, atTheInstant.id].sort());
    expect(found.find((ticket) => ticket.id === due.id)).toEqual(ticketSummary(due));
  });

  it('lists the counted events written in a window across midnight, oldest first, with their type', async () => {
    // Arrange: a ticket filed before midnight (UTC) and changed after; an internal note counts nothing
    const ticket = ticketAt('2026-03-01T23:50:00.000Z');
    const filedEvent = createdAt(ticket);
    const assigned = anEvent(
      { type: 'Assigned', data: { from: null, to: 'ivan' } },
      { id: '01JSTUCKASSIGNED000000000001', at: '2026-03-02T00:10:00.000Z' },
      ticket,
    );
    const note = anEvent(
      { type: 'CommentAdded', data: { body: 'catatan', visibility: 'internal' } },
      { id: '01JSTUCKNOTE0000000000000001', at: '2026-03-02T00:11:00.000Z' },
      ticket,
    );
    const late = anEvent(
      { type: 'PriorityChanged', data: { from: 'medium', to: 'high' } },
      { id: '01JSTUCKLATE0000000000000001', at: '2026-03-02T00:30:00.000Z' },
      ticket,
    );
    await stores.tickets.createTicket(ticket, [filedEvent]);
    await stores.tickets.saveTicket({ ...ticket, version: 2 }, 1, [assigned, note, late]);

    // Act
    const refs = await stores.stuck.countedEvents('2026-03-01T23:50:00.000Z', '2026-03-02T00:10:00.000Z');

    // Assert: both window ends are in; the note is not; the change after the window is not
    expect(refs).toEqual([
      { ticketId: ticket.id, eventId: filedEvent.id, type: 'TicketCreated' },
      { ticketId: ticket.id, eventId: assigned.id, type: 'Assigned' },
    ]);
  });

  it('reads the events of refs as the history shows them, and passes over refs to nothing', async () => {
    // Arrange
    const ticket = ticketAt('2026-03-02T01:00:00.000Z');
    const filedEvent = createdAt(ticket);
    await stores.tickets.createTicket(ticket, [filedEvent]);

    // Act
    const events = await stores.stuck.getEvents([
      { ticketId: ticket.id, eventId: filedEvent.id, type: 'TicketCreated' },
      { ticketId: ticket.id, eventId: '01JSTUCKNOSUCHEVENT000000001', type: 'Assigned' },
    ]);

    // Assert
    expect(events).toEqual([filedEvent]);
    expect((await stores.tickets.listEvents(ticket.id, { limit: 10 })).items).toEqual([filedEvent]);
  });
});
