// The article store's port, run against its DynamoDB implementation on DynamoDB Local and against the in-memory
// fake the unit tests use: an article's HTML is kept with its version, apart from what lists and edits read.
import { describe, expect, it } from 'vitest';
import { createArticleStore } from '#shared/adapters/kb-store.ts';
import type { Article, ArticleEvent } from '#shared/domain/kb/article.ts';
import type { ArticleStore } from '#shared/domain/kb/ports.ts';
import { anArticle } from '#test/fixtures/articles.ts';
import { inMemoryArticleStore } from '#test/fixtures/in-memory-kb.ts';
import { localTable } from './local-table.ts';

const implementations: { name: string; make: () => Promise<ArticleStore> }[] = [
  { name: 'in memory', make: async () => inMemoryArticleStore() },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return createArticleStore(client, table);
    },
  },
];

const eventOf = (type: ArticleEvent['type'], article: Article): ArticleEvent => ({
  articleId: article.id,
  version: article.version,
  type,
  at: article.updatedAt,
  actor: { id: 'hana', role: 'agent' },
  article,
});

describe.each(implementations)('the article store ($name)', ({ make }) => {
  it('keeps the HTML with the version written, and leaves it out of the list, the article and its history', async () => {
    // Arrange
    const store = await make();
    const first = anArticle({ id: 'a', body: '**Satu**', html: '<p><strong>Satu</strong></p>' });
    const second = { ...first, body: '**Dua**', html: '<p><strong>Dua</strong></p>', version: 2 };

    // Act
    await store.createArticle(first, eventOf('ArticleCreated', first));
    await store.createArticle(anArticle({ id: 'b' }), eventOf('ArticleCreated', anArticle({ id: 'b' })));
    await store.saveArticle(second, 1, eventOf('ArticleUpdated', second));

    // Assert
    expect(await store.getArticleWithHtml('a')).toMatchObject({ version: 2, body: '**Dua**', html: '<p><strong>Dua</strong></p>' });
    expect((await store.listArticles()).map(({ id, html }) => [id, html]).sort()).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
    expect((await store.getArticle('a'))?.html).toBeUndefined();
    expect((await store.listHistory('a', { limit: 10 })).items.map(({ version, article }) => [version, article.html])).toEqual([
      [2, undefined],
      [1, undefined],
    ]);
    // An article written without its HTML has none kept
    expect(await store.getArticleWithHtml('b')).toBeUndefined();
  });

  it('drops the HTML of an earlier version when the next has none, and with the article when it is deleted', async () => {
    // Arrange
    const store = await make();
    const first = anArticle({ id: 'a', html: '<p>x</p>' });
    const first2 = anArticle({ id: 'c', html: '<p>y</p>' });
    await store.createArticle(first, eventOf('ArticleCreated', first));
    await store.createArticle(first2, eventOf('ArticleCreated', first2));
    const { html: _html, ...withoutHtml } = first;

    // Act
    await store.saveArticle({ ...withoutHtml, version: 2 }, 1, eventOf('ArticleUpdated', { ...withoutHtml, version: 2 }));
    await store.deleteArticle('c', 1, eventOf('ArticleDeleted', { ...first2, version: 2 }));

    // Assert: never a stale page
    expect(await store.getArticleWithHtml('a')).toBeUndefined();
    expect(await store.getArticleWithHtml('c')).toBeUndefined();
    expect(await store.getArticle('c')).toBeUndefined();
  });
});
