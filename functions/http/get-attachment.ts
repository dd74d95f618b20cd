// GET /tickets/{id}/events/{eventId}/attachments/{index} — a short-lived download link for one file of a
// comment or of the ticket's creation, for a caller who may see that event (never an internal note's to a requester).
import { notFound } from '#shared/domain/errors.ts';
import { attachmentLink } from '#shared/domain/tickets/attachments.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => {
  const id = ticketIdFrom(pathParameters);
  const eventId = pathParameters.eventId ?? '';
  const index = pathParameters.index ?? '';
  if (!/^[0-9A-Za-z]{10,40}$/.test(eventId) || !/^\d{1,2}$/.test(index)) throw notFound('No such attachment.');
  const { files, clock } = attachmentDeps();
  return { status: 200, body: await attachmentLink({ files, clock, tickets: ticketDeps().tickets }, identity, id, eventId, Number(index)) };
});
