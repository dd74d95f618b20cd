// POST /track/{token}/attachments — an upload URL for one file, for the requester behind a tracking link; the file
// is named in their next comment through the same link (POST /track/{token}/comments, `attachments`).
import { signingKey } from '#shared/adapters/signing-key.ts';
import { uploadThroughTrackingLink } from '#shared/domain/access/track-ticket.ts';
import { uploadRequestSchema } from '#shared/domain/tickets/attachments.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { trackingLinkRoute } from '#shared/http/signed-link.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false, body: uploadRequestSchema }, async ({ pathParameters, body }) =>
  trackingLinkRoute(async () => ({
    status: 201,
    body: await uploadThroughTrackingLink(ticketDeps(), attachmentDeps().files, await signingKey(), pathParameters.token ?? '', body),
  })),
);
