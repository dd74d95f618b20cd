// The notify consumer's store contract (NotificationStore in shared/domain/mail/notify-requester.ts), run
// against the DynamoDB store on DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { createNotificationStore } from '#shared/adapters/notification-store.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import type { NotificationStore } from '#shared/domain/mail/notify.ts';
import type { TicketStore } from '#shared/domain/tickets/ports.ts';
import { comment, created, InMemoryNotificationStore } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type Stores = { store: NotificationStore; tickets: TicketStore };

const implementations: { name: string; make: () => Promise<Stores> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const store = new InMemoryNotificationStore();
      return { store, tickets: store.tickets };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return { store: createNotificationStore(client, table), tickets: createTicketStore(client, table) };
    },
  },
];

const TEN_PAST = new Date('2026-11-27T10:10:00.000Z');

describe.each(implementations)('the notification store ($name)', ({ make }) => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await make();
  });

  it('reads the ticket and its latest history, newest first', async () => {
    // Arrange
    const ticket = aTicket();
    const history = [created(ticket), comment('Satu'), comment('Dua')];
    await stores.tickets.createTicket(ticket, history);

    // Act / Assert
    expect(await stores.store.getTicket(ticket.id)).toEqual(ticket);
    expect(await stores.store.recentEvents(ticket.id, 2)).toEqual([history[2], history[1]]);
    expect(await stores.store.getTicket('01JNOSUCHTICKET00000000000')).toBeUndefined();
  });

  it('reads many tickets at once, leaving out those that do not exist', async () => {
    // Arrange
    const one = aTicket({ id: '01JCONTRACTNOTIFYTICKET001', number: 1 });
    const two = aTicket({ id: '01JCONTRACTNOTIFYTICKET002', number: 2 });
    await stores.tickets.createTicket(one, [created(one)]);
    await stores.tickets.createTicket(two, [created(two)]);

    // Act
    const read = await stores.store.getTickets([two.id, '01JNOSUCHTICKET00000000000', one.id, two.id]);

    // Assert
    expect(read.sort((a, b) => a.number - b.number)).toEqual([one, two]);
    expect(await stores.store.getTickets([])).toEqual([]);
  });

  it('counts acknowledgements per address (whatever its case) and hour, up to the limit, and takes one back', async () => {
    // Act
    const taken = [
      await stores.store.takeAcknowledgement('ani@example.org', TEN_PAST, 2),
      await stores.store.takeAcknowledgement(' Ani@Example.org', TEN_PAST, 2),
    ];
    const third = await stores.store.takeAcknowledgement('ani@example.org', TEN_PAST, 2);
    await stores.store.returnAcknowledgement('ani@example.org', TEN_PAST);
    const afterReturn = await stores.store.takeAcknowledgement('ani@example.org', TEN_PAST, 2);
    const nextHour = await stores.store.takeAcknowledgement('ani@example.org', new Date('2026-11-27T11:00:00.000Z'), 2);
    const someoneElse = await stores.store.takeAcknowledgement('budi@example.org', TEN_PAST, 2);

    // Assert
    expect(taken).toEqual([true, true]);
    expect(third).toBe(false);
    expect(afterReturn).toBe(true);
    expect(nextHour).toBe(true);
    expect(someoneElse).toBe(true);
  });

  it('never counts below zero when taking back', async () => {
    await stores.store.returnAcknowledgement('ani@example.org', TEN_PAST);
    expect(await stores.store.takeAcknowledgement('ani@example.org', TEN_PAST, 1)).toBe(true);
    expect(await stores.store.takeAcknowledgement('ani@example.org', TEN_PAST, 1)).toBe(false);
  });
});
