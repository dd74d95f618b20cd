// POST /tickets/{id}/comments — a public reply or an internal note (staff only).

import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { addCommentSchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: addCommentSchema }, async ({ identity, body, pathParameters }) => {
  const id = ticketIdFrom(pathParameters);
  const { ticket, comment } = await addComment(ticketDeps(), identity, id, body);
  return {
    status: 201,
    body: comment,
    headers: { location: `/tickets/${id}/events/${comment.id}`, ...ticketHeaders(ticket) },
  };
});
