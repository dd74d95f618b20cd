// GET /kb/drafts — staff: the draft articles, whole, newest change first.
import { listDraftArticles } from '#shared/domain/kb/manage-articles.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({}, async ({ identity }) => ({
  status: 200,
  body: { items: await listDraftArticles(kbDeps(), identity) },
}));
