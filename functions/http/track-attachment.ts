// GET /track/{token}/events/{eventId}/attachments/{index} — a short-lived download link for one file of a public
// item of the tracking link's ticket (an internal note's files are never reachable this way: 404).
import { signingKey } from '#shared/adapters/signing-key.ts';
import { trackedAttachmentLink } from '#shared/domain/access/track-ticket.ts';
import { notFound } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { trackingLinkRoute } from '#shared/http/signed-link.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false }, async ({ pathParameters }) => {
  const eventId = pathParameters.eventId ?? '';
  const index = pathParameters.index ?? '';
  if (!/^[0-9A-Za-z]{10,40}$/.test(eventId) || !/^\d{1,2}$/.test(index)) throw notFound('No such attachment.');
  return trackingLinkRoute(async () => ({
    status: 200,
    body: await trackedAttachmentLink(
      ticketDeps(),
      attachmentDeps().files,
      await signingKey(),
      pathParameters.token ?? '',
      eventId,
      Number(index),
    ),
  }));
});
