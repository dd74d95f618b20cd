// POST /track/{token}/comments — the requester adds a public comment through their tracking link, with the files
// they uploaded through it (POST /track/{token}/attachments).
import { signingKey } from '#shared/adapters/signing-key.ts';
import { commentThroughTrackingLink } from '#shared/domain/access/track-ticket.ts';
import { addCommentSchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { trackingLinkRoute } from '#shared/http/signed-link.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false, body: addCommentSchema }, async ({ pathParameters, body, sourceIp }) => {
  return trackingLinkRoute(async () => {
    const { files } = attachmentDeps();
    const { comment } = await commentThroughTrackingLink(
      ticketDeps(),
      files,
      await signingKey(),
      pathParameters.token ?? '',
      body,
      sourceIp,
    );
    return { status: 201, body: { id: comment.id, at: comment.at, body: comment.type === 'CommentAdded' ? comment.data.body : '' } };
  });
});
