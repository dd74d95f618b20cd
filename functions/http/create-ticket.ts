// POST /tickets — files a new ticket; a repeated Idempotency-Key returns the first ticket, once.
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { createTicketSchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { idempotencyKeyFrom, ticketHeaders } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: createTicketSchema }, async ({ identity, body, headers }) => {
  const { ticket, created } = await createTicket(ticketDeps(), identity, body, idempotencyKeyFrom(headers));
  return {
    status: 201,
    body: ticket,
    headers: {
      location: `/tickets/${ticket.id}`,
      ...ticketHeaders(ticket),
      ...(created ? {} : { 'idempotent-replayed': 'true' }),
    },
  };
});
