// POST /kb/deflections — the new-request form reports a suggested article opened, or the request withdrawn.
import { deflectionSchema, recordDeflection } from '#shared/domain/kb/find-articles.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ body: deflectionSchema }, async ({ identity, body }) => ({
  status: 200,
  body: await recordDeflection(kbDeps(), identity, body),
}));
