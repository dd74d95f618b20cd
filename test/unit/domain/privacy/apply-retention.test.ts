// Retention: closing sets the ticket's deletion date; its history and its audit records of reads get the
// same date, whether written before the close (filled in afterwards, to the end of each however long) or
// after it (carried from the start); DynamoDB TTL does the rest.
import { describe, expect, it } from 'vitest';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { applyRetention } from '#shared/domain/privacy/apply-retention.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { getTicket } from '#shared/domain/tickets/read-tickets.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { ivan, sari } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

describe('retention of closed tickets', () => {
  it('dates a closed ticket and its whole history for deletion after the configured days', async () => {
    // Arrange
    const deps = testDeps();
    const ticket = aTicket({ status: 'open', assignee: 'ivan' });
    deps.tickets.seed(ticket);
    await addComment(deps, ivan, ticket.id, { body: 'Sudah diganti.', visibility: 'public' });
    await updateTicket(deps, ivan, ticket.id, { status: 'resolved' });

    // Act
    const closed = await updateTicket(deps, ivan, ticket.id, { status: 'closed' });
    const { items } = await applyRetention(deps, ticket.id);
    await getTicket(deps, sari, ticket.id); // a read after closing is recorded (an audit record), and dated too

    // Assert
    const expected = new Date(Date.parse(T0) + deps.config.retention.closedTicketDays * 86_400_000).toISOString();
    expect(closed.retainUntil).toBe(expected);
    expect(items).toBe(3);
    expect(deps.tickets.historyOf(ticket.id).map((event) => event.retainUntil)).toEqual(Array(3).fill(expected));
    expect(deps.tickets.viewsOf(ticket.id).map((event) => event.retainUntil)).toEqual([expected]);
    expect(ticketItem(closed).expiresAt).toBe(Math.floor(Date.parse(expected) / 1000));
  });

  it('leaves a ticket that is not closed alone', async () => {
    const deps = testDeps();
    deps.tickets.seed(aTicket({ status: 'resolved' }));
    expect(await applyRetention(deps, aTicket().id)).toEqual({ items: 0 });
    expect(ticketItem(aTicket()).expiresAt).toBeUndefined();
  });
});

describe('retention of a long-read ticket', () => {
  it('dates every audit record of reads too, however many', async () => {
    // Arrange: a thousand and one staff reads, then the ticket closed
    const deps = testDeps();
    const ticket = aTicket({ status: 'resolved', assignee: 'ivan' });
    deps.tickets.seed(ticket);
    for (let read = 0; read < 1_001; read++) await getTicket(deps, sari, ticket.id);
    await updateTicket(deps, ivan, ticket.id, { status: 'closed' });

    // Act
    const { items } = await applyRetention(deps, ticket.id);

    // Assert
    expect(items).toBe(1_002);
    expect(deps.tickets.viewsOf(ticket.id).every((view) => view.retainUntil !== undefined)).toBe(true);
  });
});
