// POST /tickets/{id}/comments — a public reply or an internal note (staff only).
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { addComment } from '#shared/domain/add-comment.ts';
import { addCommentSchema } from '#shared/domain/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';

export const handler = httpHandler({ body: addCommentSchema }, async ({ identity, body, pathParameters }) => {
  const id = ticketIdFrom(pathParameters);
  const { ticket, comment } = await addComment(ticketDeps(), identity, id, body);
  return {
    status: 201,
    body: comment,
    headers: { location: `/tickets/${id}/events/${comment.id}`, ...ticketHeaders(ticket) },
  };
});
