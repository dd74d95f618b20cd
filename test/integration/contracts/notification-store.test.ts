// The notify consumer's store contract (NotificationStore in shared/domain/mail/notify-requester.ts), run
// against the DynamoDB store on DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { createNotificationStore } from '#shared/adapters/notification-store.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import type { NotificationStore } from '#shared/domain/mail/notify.ts';
import type { TicketStore } from '#shared/domain/tickets/ports.ts';
import { comment, created, InMemoryNotificationStore } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type Stores = { store: NotificationStore; tickets: TicketStore; claims: ClaimStore };

const implementations: { name: string; make: () => Promise<Stores> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const store = new InMemoryNotificationStore();
      return { store, tickets: store.tickets, claims: store.claims };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return {
        store: createNotificationStore(client, table),
        tickets: createTicketStore(client, table),
        claims: createClaimStore(client, table, CLAIM_SPACES.notification),
      };
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
    // Arrange: each acknowledgement is a mail of its own event
    let event = 0;
    const take = async (address: string, at: Date, limit = 2) => {
      const result = await stores.store.claimAcknowledgement(`ack-${++event}`, address, at, limit);
      return typeof result === 'string' ? result : 'taken';
    };

    // Act
    const taken = [await take('ani@example.org', TEN_PAST), await take(' Ani@Example.org', TEN_PAST)];
    const third = await take('ani@example.org', TEN_PAST);
    await stores.store.returnAcknowledgement('ani@example.org', TEN_PAST);
    const afterReturn = await take('ani@example.org', TEN_PAST);
    const nextHour = await take('ani@example.org', new Date('2026-11-27T11:00:00.000Z'));
    const someoneElse = await take('budi@example.org', TEN_PAST);

    // Assert
    expect(taken).toEqual(['taken', 'taken']);
    expect(third).toBe('rate-limited');
    expect(afterReturn).toBe('taken');
    expect(nextHour).toBe('taken');
    expect(someoneElse).toBe('taken');
  });

  it('claims the acknowledgement with its count: the holder completes it, and a second claim counts nothing', async () => {
    // Act
    const first = await stores.store.claimAcknowledgement('ack-1', 'ani@example.org', TEN_PAST, 1);
    const again = await stores.store.claimAcknowledgement('ack-1', 'ani@example.org', TEN_PAST, 1);
    const holder = typeof first === 'string' ? '' : first.holder;
    await stores.claims.complete('ack-1', holder, { outcome: 'sent', messageId: 'ses-1' });

    // Assert: a duplicate, not rate-limited (the one count was the first claim's)
    expect(again).toBe('duplicate');
    expect(await stores.claims.read('ack-1')).toEqual({ state: 'completed', fields: { outcome: 'sent', messageId: 'ses-1' } });
    expect(await stores.store.claimAcknowledgement('ack-2', 'ani@example.org', TEN_PAST, 2)).toEqual({ holder: expect.any(String) });
  });

  it('records an acknowledgement past the limit as done and suppressed, so no redelivery sends it', async () => {
    // Arrange
    await stores.store.claimAcknowledgement('ack-1', 'ani@example.org', TEN_PAST, 1);

    // Act
    const limited = await stores.store.claimAcknowledgement('ack-2', 'ani@example.org', TEN_PAST, 1);
    const redelivered = await stores.store.claimAcknowledgement('ack-2', 'ani@example.org', TEN_PAST, 1);

    // Assert
    expect(limited).toBe('rate-limited');
    expect(redelivered).toBe('duplicate');
    expect(await stores.claims.read('ack-2')).toEqual({ state: 'completed', fields: { outcome: 'suppressed', reason: 'rate-limited' } });
  });

  it('never counts below zero when taking back', async () => {
    await stores.store.returnAcknowledgement('ani@example.org', TEN_PAST);
    expect(await stores.store.claimAcknowledgement('ack-1', 'ani@example.org', TEN_PAST, 1)).toEqual({ holder: expect.any(String) });
    expect(await stores.store.claimAcknowledgement('ack-2', 'ani@example.org', TEN_PAST, 1)).toBe('rate-limited');
  });
});
