// POST /attachments — a short-lived upload URL for one file, within the configuration's type and size limits;
// the file is linked to a comment afterwards (POST /tickets/{id}/comments, `attachments`).
import { requestUpload, uploadRequestSchema } from '#shared/domain/tickets/attachments.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { attachmentDeps } from '#shared/wiring/attachment-deps.ts';

export const handler = httpHandler({ body: uploadRequestSchema }, async ({ identity, body }) => ({
  status: 201,
  body: await requestUpload(attachmentDeps(), identity, body),
}));
