// GET /openapi.json — the API description, generated from the same zod schemas that validate requests.

import { httpHandler } from '#shared/http/http-handler.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

export const handler = httpHandler({ auth: false }, async () => ({ status: 200, body: openApiDocument() }));
