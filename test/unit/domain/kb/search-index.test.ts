// Ranking over the default knowledge base: the questions people ask, in both languages, informal, with
// typos, find the article that answers them; titles weigh more than bodies; the confidence says how sure.
import { describe, expect, it } from 'vitest';
import { buildIndex, resolveTerm, search } from '#shared/domain/kb/search-index.ts';
import { anArticle, defaultKnowledgeBase } from '#test/fixtures/articles.ts';

const index = buildIndex(defaultKnowledgeBase());
const best = (question: string) => search(index, question).hits[0]?.article.id;

describe('search over the default knowledge base', () => {
  it.each([
    ['Bagaimana cara menyambungkan laptop ke wifi sekolah?', 'connect-school-wifi'],
    ['lupa pw erapor gmn', 'reset-password-erapor'],
    ['How do I pay the school fees?', 'pay-school-fees'],
    ['printer nyangkut kertasnya', 'printer-paper-jam'],
    ['infocus tidak ada gambar', 'projector-no-picture'],
    ['legalisir ijasah', 'legalize-diploma'],
  ])('finds the article for %j', (question, article) => {
    // Act / Assert
    expect(best(question)).toBe(article);
  });

  it('corrects a misspelt word against the articles’ own words', () => {
    // Act
    const result = search(index, 'priter macet');

    // Assert
    expect(result.hits[0]?.article.id).toBe('printer-paper-jam');
    expect(result.terms.find((term) => term.word === 'priter')).toMatchObject({ corrected: 'printer', known: true, weight: 0.8 });
  });

  it('does not correct short words, which have too many neighbours', () => {
    // Act / Assert
    expect(resolveTerm(index, { word: 'lsb', stem: 'lsb' })).toMatchObject({ known: false });
  });

  it('is confident about a clear question and not about one no article covers', () => {
    // Act
    const clear = search(index, 'reset kata sandi e-Rapor');
    const vague = search(index, 'jadwal ujian nasional tahun ini');
    const none = search(index, 'siapa presiden indonesia');

    // Assert
    expect(clear.confidence).toBeGreaterThan(0.6);
    expect(vague.confidence).toBeLessThan(0.3);
    expect(none).toMatchObject({ hits: [], confidence: 0 });
  });

  it('ranks an article whose title holds the word above one whose body mentions it once', () => {
    // Arrange
    const titled = anArticle({ id: 'titled', title: 'Toner habis', title_en: undefined, tags: [], body: 'Ambil cadangan.' });
    const mentioned = anArticle({ id: 'mentioned', title: 'Printer', title_en: undefined, tags: [], body: 'Kertas dan toner ada di rak.' });

    // Act
    const result = search(buildIndex([mentioned, titled]), 'toner');

    // Assert
    expect(result.hits.map((hit) => hit.article.id)).toEqual(['titled', 'mentioned']);
  });

  it('counts two words with one stem once', () => {
    // Act
    const result = search(index, 'bayar pembayaran');

    // Assert
    expect(result.terms).toHaveLength(1);
  });

  it('finds nothing in an empty knowledge base', () => {
    // Act / Assert
    expect(search(buildIndex([]), 'wifi')).toMatchObject({ hits: [], confidence: 0 });
  });
});
