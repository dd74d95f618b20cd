// Writing the knowledge base: staff create, edit and delete articles, each change a version with who made
// it; an edit on a stale version is refused; the public sees published articles only; the seed never
// touches what the organisation changed.
import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import type { ArticleInput } from '#shared/domain/kb/article.ts';
import {
  articleHistory,
  createArticle,
  deleteArticle,
  getPublishedArticle,
  type KbDeps,
  listDraftArticles,
  listPublishedArticles,
  seedArticles,
  updateArticle,
} from '#shared/domain/kb/manage-articles.ts';
import { renderMarkdown } from '#shared/domain/kb/render-article.ts';
import { anArticle } from '#test/fixtures/articles.ts';
import { fakeClock, T0 } from '#test/fixtures/clock.ts';
import { alice, hana, sari } from '#test/fixtures/identities.ts';
import { inMemoryArticleStore } from '#test/fixtures/in-memory-kb.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

const setup = (articles = [anArticle()]) => {
  const store = inMemoryArticleStore(articles);
  const clock = fakeClock();
  const deps: KbDeps = { articles: store, clock, config: testConfig, renderHtml: async (markdown) => renderMarkdown(markdown) };
  return { store, clock, deps };
};

const input: ArticleInput = {
  title: 'Wi-Fi lambat',
  title_en: 'Slow Wi-Fi',
  category: 'network',
  tags: ['wifi'],
  language: 'id',
  status: 'draft',
  body: 'Pindah ke dekat access point.',
};

const kindOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.kind;
    throw error;
  }
};

describe('creating articles', () => {
  it('lets an agent write a draft, recorded as version 1 by them, with a slug of its English title', async () => {
    // Arrange
    const { deps, store } = setup([]);

    // Act
    const article = await createArticle(deps, hana, input);

    // Assert
    expect(article).toMatchObject({ id: 'slow-wi-fi', status: 'draft', version: 1, createdAt: T0, updatedAt: T0 });
    expect(store.history).toEqual([expect.objectContaining({ type: 'ArticleCreated', version: 1, actor: { id: 'hana', role: 'agent' } })]);
  });

  it('refuses a requester with 403 and writes nothing', async () => {
    // Arrange
    const { deps, store } = setup([]);

    // Act / Assert
    expect(await kindOf(createArticle(deps, alice, input))).toBe('forbidden');
    expect(await store.listArticles()).toEqual([]);
  });

  it('refuses a category the configuration does not have, naming the field', async () => {
    // Arrange
    const { deps } = setup([]);

    // Act
    const error = await createArticle(deps, hana, { ...input, category: 'cooking' }).catch((caught: DomainError) => caught);

    // Assert
    expect(error).toMatchObject({ kind: 'validation', details: { errors: [expect.objectContaining({ path: 'category' })] } });
  });

  it('refuses an id in use, and the id of a deleted article, with 409', async () => {
    // Arrange
    const { deps } = setup();
    await deleteArticle(deps, hana, 'printer-jam', 1);

    // Act / Assert
    expect(await kindOf(createArticle(deps, hana, { ...input, id: 'printer-jam' }))).toBe('conflict');
  });
});

describe('editing and deleting', () => {
  it('replaces an article as its next version, keeping its creation time', async () => {
    // Arrange
    const { deps, clock, store } = setup();
    clock.advance(60_000);

    // Act
    const article = await updateArticle(deps, sari, 'printer-jam', { ...input, category: 'hardware', status: 'published' }, 1);

    // Assert
    expect(article).toMatchObject({ id: 'printer-jam', title: 'Wi-Fi lambat', version: 2, createdAt: T0 });
    expect(article.updatedAt).not.toBe(T0);
    expect(store.history.at(-1)).toMatchObject({ type: 'ArticleUpdated', version: 2, actor: { id: 'sari', role: 'lead' } });
  });

  it('drops title_en when the new version has none', async () => {
    // Arrange
    const { deps } = setup();
    const { title_en: _none, ...withoutEnglish } = input;

    // Act / Assert
    expect(await updateArticle(deps, hana, 'printer-jam', { ...withoutEnglish, category: 'hardware' }, 1)).not.toHaveProperty('title_en');
  });

  it('refuses an edit without If-Match (428) and one on a stale version (412), changing nothing', async () => {
    // Arrange
    const { deps, store } = setup();

    // Act / Assert
    expect(await kindOf(updateArticle(deps, hana, 'printer-jam', { ...input, category: 'hardware' }, undefined))).toBe(
      'precondition-required',
    );
    expect(await kindOf(updateArticle(deps, hana, 'printer-jam', { ...input, category: 'hardware' }, 7))).toBe('precondition-failed');
    expect((await store.getArticle('printer-jam'))?.version).toBe(1);
  });

  it('refuses the loser of two concurrent edits of one version with 412', async () => {
    // Arrange
    const { deps, store } = setup();
    const save = store.saveArticle.bind(store);
    store.saveArticle = async (article, expected, event) => {
      await save({ ...article, title: 'the other edit' }, expected, { ...event });
      await save(article, expected, event);
    };

    // Act / Assert
    expect(await kindOf(updateArticle(deps, hana, 'printer-jam', { ...input, category: 'hardware' }, 1))).toBe('precondition-failed');
  });

  it('says 404 for an article that does not exist', async () => {
    // Arrange
    const { deps } = setup([]);

    // Act / Assert
    expect(await kindOf(updateArticle(deps, hana, 'nothing', { ...input }, 1))).toBe('not-found');
    expect(await kindOf(deleteArticle(deps, hana, 'nothing', 1))).toBe('not-found');
  });

  it('deletes an article at its version, recording the deletion as the next version', async () => {
    // Arrange
    const { deps, store } = setup();

    // Act
    await deleteArticle(deps, hana, 'printer-jam', 1);

    // Assert
    expect(await store.getArticle('printer-jam')).toBeUndefined();
    expect(store.history.at(-1)).toMatchObject({ type: 'ArticleDeleted', version: 2 });
  });

  it('refuses a delete without If-Match, on a stale version, or by a requester', async () => {
    // Arrange
    const { deps } = setup();

    // Act / Assert
    expect(await kindOf(deleteArticle(deps, hana, 'printer-jam', undefined))).toBe('precondition-required');
    expect(await kindOf(deleteArticle(deps, hana, 'printer-jam', 2))).toBe('precondition-failed');
    expect(await kindOf(deleteArticle(deps, alice, 'printer-jam', 1))).toBe('forbidden');
  });

  it('refuses the loser of a concurrent delete with 412', async () => {
    // Arrange
    const { deps, store } = setup();
    const remove = store.deleteArticle.bind(store);
    store.deleteArticle = async (id, expected, event) => {
      await remove(id, expected, event);
      await remove(id, expected, event);
    };

    // Act / Assert
    expect(await kindOf(deleteArticle(deps, hana, 'printer-jam', 1))).toBe('precondition-failed');
  });
});

describe('reading', () => {
  it('shows the public the published articles only, by title, and a draft as 404', async () => {
    // Arrange
    const { deps } = setup([
      anArticle({ id: 'b', title: 'Beta' }),
      anArticle({ id: 'a', title: 'Alpha', category: 'network' }),
      anArticle({ id: 'd', title: 'Draft', status: 'draft' }),
    ]);

    // Act / Assert
    expect((await listPublishedArticles(deps)).map((article) => article.id)).toEqual(['a', 'b']);
    expect((await listPublishedArticles(deps, 'network')).map((article) => article.id)).toEqual(['a']);
    expect(await listPublishedArticles(deps)).not.toContainEqual(expect.objectContaining({ body: expect.anything() }));
    expect(await kindOf(getPublishedArticle(deps, 'd'))).toBe('not-found');
    expect((await getPublishedArticle(deps, 'a')).title).toBe('Alpha');
  });

  it('renders the HTML once, when a version is written, and serves the public the HTML kept with it', async () => {
    // Arrange: a renderer that counts its calls
    const { deps } = setup([]);
    const rendered: string[] = [];
    deps.renderHtml = async (markdown) => {
      rendered.push(markdown);
      return renderMarkdown(markdown);
    };
    await createArticle(deps, hana, { ...input, id: 'x', status: 'published', body: '**Satu**' });
    await updateArticle(deps, hana, 'x', { ...input, status: 'published', body: '**Dua** <script>x</script>' }, 1);

    // Act
    const first = await getPublishedArticle(deps, 'x');
    const second = await getPublishedArticle(deps, 'x');

    // Assert: each version rendered when written; the reads rendered nothing
    expect(rendered).toEqual(['**Satu**', '**Dua** <script>x</script>']);
    expect(first.html).toBe('<p><strong>Dua</strong> &lt;script&gt;x&lt;/script&gt;</p>');
    expect(second).toEqual(first);
  });

  it('renders an article written before its HTML was kept when the public reads it', async () => {
    // Arrange: a stored version without html
    const { deps } = setup([anArticle({ id: 'old', body: 'Tekan **F5**.' })]);

    // Act
    const article = await getPublishedArticle(deps, 'old');

    // Assert
    expect(article.html).toBe('<p>Tekan <strong>F5</strong>.</p>');
  });

  it('shows staff the drafts and every version, newest first; requesters neither', async () => {
    // Arrange
    const { deps } = setup([anArticle({ id: 'd', status: 'draft' })]);
    await createArticle(deps, hana, { ...input, id: 'x' });
    await updateArticle(deps, hana, 'x', { ...input, title: 'Second' }, 1);

    // Act
    const drafts = await listDraftArticles(deps, hana);
    const history = await articleHistory(deps, hana, 'x', { limit: 10 });

    // Assert
    expect(drafts.map((article) => article.id).sort()).toEqual(['d', 'x']);
    expect(history.items.map((event) => [event.version, event.type])).toEqual([
      [2, 'ArticleUpdated'],
      [1, 'ArticleCreated'],
    ]);
    expect(await kindOf(listDraftArticles(deps, alice))).toBe('forbidden');
    expect(await kindOf(articleHistory(deps, alice, 'x', { limit: 10 }))).toBe('forbidden');
    expect(await kindOf(articleHistory(deps, hana, 'never', { limit: 10 }))).toBe('not-found');
  });
});

describe('the seed of the default articles', () => {
  it('creates what is missing, as the seed, and leaves an edited or deleted article as the organisation left it', async () => {
    // Arrange
    const { deps, store } = setup([]);
    await seedArticles(deps, [
      { ...input, id: 'edited' },
      { ...input, id: 'deleted' },
    ]);
    await updateArticle(deps, hana, 'edited', { ...input, title: 'Our own words' }, 1);
    await deleteArticle(deps, hana, 'deleted', 1);

    // Act
    const created = await seedArticles(deps, [
      { ...input, id: 'edited' },
      { ...input, id: 'deleted' },
      { ...input, id: 'new-default' },
    ]);

    // Assert
    expect(created).toEqual(['new-default']);
    expect((await store.getArticle('edited'))?.title).toBe('Our own words');
    expect(await store.getArticle('deleted')).toBeUndefined();
    expect(store.history.find((event) => event.articleId === 'new-default')?.actor).toEqual({ id: 'kb-seed', role: 'system' });
  });

  it('fails loudly on a default article that is wrong, rather than skipping it', async () => {
    // Arrange
    const { deps } = setup([]);

    // Act / Assert
    expect(await kindOf(seedArticles(deps, [{ ...input, id: 'bad', category: 'nope' }]))).toBe('validation');
  });
});
