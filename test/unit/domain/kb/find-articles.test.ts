// Finding articles: search for everybody; suggestions on the new-request form, counted as shown, and an
// opened article or a withdrawn request counted once per suggestion.
import { describe, expect, it } from 'vitest';
import type { DomainError } from '#shared/domain/errors.ts';
import {
  deflectionSchema,
  type FindDeps,
  recordDeflection,
  searchArticles,
  suggestArticles,
  suggestQuerySchema,
} from '#shared/domain/kb/find-articles.ts';
import { anArticle, defaultKnowledgeBase } from '#test/fixtures/articles.ts';
import { fakeClock, sequentialIds } from '#test/fixtures/clock.ts';
import { alice, bob } from '#test/fixtures/identities.ts';
import { inMemoryArticleStore, inMemoryDeflectionStore } from '#test/fixtures/in-memory-kb.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

const setup = (articles = defaultKnowledgeBase()) => {
  const deflection = inMemoryDeflectionStore();
  const deps: FindDeps = {
    articles: inMemoryArticleStore(articles),
    deflection,
    clock: fakeClock(),
    ids: sequentialIds('01K'),
    config: testConfig,
  };
  return { deps, deflection };
};

const suggest = (deps: FindDeps, subject: string, description = '') =>
  suggestArticles(deps, alice, suggestQuerySchema.parse({ subject, description }));

describe('search', () => {
  it('finds published articles, best first, with their titles and scores', async () => {
    // Arrange
    const { deps } = setup();

    // Act
    const result = await searchArticles(deps, { q: 'lupa password e-rapor', limit: 2 });

    // Assert
    expect(result.articles).toHaveLength(2);
    expect(result.articles[0]).toMatchObject({
      id: 'reset-password-erapor',
      title: 'Reset kata sandi e-Rapor',
      title_en: 'Resetting your e-Rapor password',
      category: 'accounts',
    });
    expect(result.confidence).toBeGreaterThan(0.5);
  });

  it('never finds a draft', async () => {
    // Arrange
    const { deps } = setup([anArticle({ id: 'secret', title: 'Rahasia toner', status: 'draft' })]);

    // Act / Assert
    expect((await searchArticles(deps, { q: 'toner', limit: 10 })).articles).toEqual([]);
  });

  it('sees an edited article at once (the index follows the versions)', async () => {
    // Arrange
    const store = inMemoryArticleStore([anArticle({ title: 'Printer macet', tags: [], body: 'Matikan printer.' })]);
    const { deps } = setup();
    deps.articles = store;
    expect((await searchArticles(deps, { q: 'proyektor', limit: 5 })).articles).toEqual([]);

    // Act
    await store.saveArticle(anArticle({ title: 'Proyektor mati', version: 2 }), 1, {} as never);

    // Assert
    expect((await searchArticles(deps, { q: 'proyektor', limit: 5 })).articles.map((article) => article.id)).toEqual(['printer-jam']);
  });
});

describe('suggestions on the new-request form', () => {
  it('suggests at most three articles and counts them as shown', async () => {
    // Arrange
    const { deps, deflection } = setup();

    // Act
    const result = await suggest(deps, 'Printer macet', 'kertas tersangkut di printer ruang guru');

    // Assert
    expect(result.suggestionId).toMatch(/^01K/);
    expect(result.articles[0]?.id).toBe('printer-paper-jam');
    expect(result.articles.length).toBeLessThanOrEqual(3);
    expect(deflection.counters.get('2026-03-02')).toEqual({ kbSuggestionsShown: 1, kbArticlesSuggested: result.articles.length });
  });

  it('suggests nothing, and counts nothing, for a request no article covers', async () => {
    // Arrange
    const { deps, deflection } = setup();

    // Act
    const result = await suggest(deps, 'Kursi kantin kurang', 'perlu tambahan kursi untuk acara pentas seni');

    // Assert
    expect(result).toEqual({ suggestionId: null, articles: [] });
    expect(deflection.counters.size).toBe(0);
  });

  it('needs a subject or a description', () => {
    // Act
    const result = suggestQuerySchema.safeParse({});

    // Assert
    expect(result.error?.issues[0]).toMatchObject({ path: ['subject'], message: 'give a subject or a description' });
  });
});

describe('deflection', () => {
  it('counts an opened article once per article, and a withdrawn request once per suggestion', async () => {
    // Arrange
    const { deps, deflection } = setup();
    const { suggestionId, articles } = await suggest(deps, 'Printer macet kertas tersangkut');
    const articleId = articles[0]!.id;
    const report = (outcome: 'opened' | 'withdrawn') => recordDeflection(deps, alice, { suggestionId: suggestionId!, articleId, outcome });

    // Act
    const first = await report('opened');
    const again = await report('opened');
    const withdrawn = await report('withdrawn');
    const withdrawnAgain = await report('withdrawn');

    // Assert
    expect([first.counted, again.counted, withdrawn.counted, withdrawnAgain.counted]).toEqual([true, false, true, false]);
    expect(deflection.counters.get('2026-03-02')).toMatchObject({ kbArticlesOpened: 1, kbRequestsWithdrawn: 1 });
  });

  it('says 404 for a suggestion that is someone else’s, unknown, or did not hold the article', async () => {
    // Arrange
    const { deps } = setup();
    const { suggestionId, articles } = await suggest(deps, 'Printer macet kertas tersangkut');
    const attempt = (identity = alice, id = suggestionId!, articleId = articles[0]!.id) =>
      recordDeflection(deps, identity, { suggestionId: id, articleId, outcome: 'opened' }).catch((error: DomainError) => error.kind);

    // Act / Assert
    expect(await attempt(bob)).toBe('not-found');
    expect(await attempt(alice, '01K00000000000000000000999')).toBe('not-found');
    expect(await attempt(alice, suggestionId!, 'student-transfer')).toBe('not-found');
  });

  it('refuses a suggestionId that is not one', () => {
    // Act / Assert
    expect(deflectionSchema.safeParse({ suggestionId: 'x', articleId: 'a', outcome: 'opened' }).success).toBe(false);
  });
});
