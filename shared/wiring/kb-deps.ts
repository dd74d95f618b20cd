// Builds the knowledge base's ports once per cold start: the article and deflection stores on the table,
// the wall clock, ULIDs and the validated configuration.
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createArticleStore, createDeflectionStore } from '#shared/adapters/kb-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { FindDeps } from '#shared/domain/kb/find-articles.ts';
import type { KbDeps } from '#shared/domain/kb/manage-articles.ts';

let deps: (KbDeps & FindDeps) | undefined;

export const kbDeps = (): KbDeps & FindDeps => {
  if (!deps) {
    const client = dynamoDocumentClient();
    deps = {
      articles: createArticleStore(client, tableName()),
      deflection: createDeflectionStore(client, tableName()),
      clock: systemClock,
      ids: ulidGenerator(systemClock),
      config: loadConfig(),
      // A lazy module: read by a function when it writes an article (or reads one written before HTML was kept).
      renderHtml: async (markdown) => (await import('#shared/domain/kb/render-article.ts')).renderMarkdown(markdown),
    };
  }
  return deps;
};
