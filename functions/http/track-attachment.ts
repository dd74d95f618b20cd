// GET /track/{token}/events/{eventId}/attachments/{index} — a short-lived download link for one file of a public
// item of the tracking link's ticket (an internal note's files are never reachable this way: 404). A browser that
// follows the tracking page's link (it asks for HTML) is sent on to the file; other callers get the link as JSON.
import { signingKey } from '#shared/adapters/signing-key.ts';
import { trackedAttachmentLink } from '#shared/domain/access/track-ticket.ts';
import { notFound } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { SIGNED_LINK_HEADERS, trackingLinkRoute } from '#shared/http/signed-link.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false }, async ({ pathParameters, headers }) => {
  const eventId = pathParameters.eventId ?? '';
  const index = pathParameters.index ?? '';
  if (!/^[0-9A-Za-z]{10,40}$/.test(eventId) || !/^\d{1,2}$/.test(index)) throw notFound('No such attachment.');
  return trackingLinkRoute(async () => {
    const link = await trackedAttachmentLink(
      ticketDeps(),
      attachmentDeps().files,
      await signingKey(),
      pathParameters.token ?? '',
      eventId,
      Number(index),
    );
    if (/text\/html/.test(headers.accept ?? '')) return { status: 302, headers: { location: link.url, ...SIGNED_LINK_HEADERS } };
    return { status: 200, body: link, headers: SIGNED_LINK_HEADERS };
  });
});
