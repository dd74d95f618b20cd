// GET /openapi.json — the API description, generated from the same zod schemas that validate requests.
import { openApiDocument } from '#shared/http/openapi.ts';
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({ auth: false }, async () => ({ status: 200, body: openApiDocument() }));
