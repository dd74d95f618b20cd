// POST /tickets/{id}/comments — a public reply or an internal note (staff only), with the files it names
// (uploaded through POST /attachments, checked and linked here).

import { addCommentWithFiles } from '#shared/domain/tickets/attachments.ts';
import { addCommentSchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: addCommentSchema }, async ({ identity, body, pathParameters }) => {
  const id = ticketIdFrom(pathParameters);
  const { ticket, comment } = await addCommentWithFiles(ticketDeps(), attachmentDeps().files, identity, id, body);
  return {
    status: 201,
    body: comment,
    headers: { location: `/tickets/${id}/events/${comment.id}`, ...ticketHeaders(ticket) },
  };
});
