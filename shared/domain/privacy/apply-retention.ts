// Retention: a closed ticket is kept for the organisation's period (config `retention.closedTicketDays`)
// and then deleted by DynamoDB TTL, together with its history. Closing sets the ticket's date in the same
// write; this fills it in on the history items written before, which closing could not touch in one
// transaction. Items written after closing carry it from the start.
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';

export const applyRetention = async (deps: Pick<TicketDeps, 'tickets'>, ticketId: string): Promise<{ items: number }> => {
  const ticket = await deps.tickets.getTicket(ticketId);
  if (!ticket?.retainUntil) return { items: 0 };
  return { items: await deps.tickets.expireHistory(ticketId, ticket.retainUntil) };
};
