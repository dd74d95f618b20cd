// Articles: their language sections, titles, slugs, and the rules an article's fields follow.
import { describe, expect, it } from 'vitest';
import { articleInputSchema, createArticleSchema, sectionsOf, slugOf, titleIn } from '#shared/domain/kb/article.ts';
import { anArticle } from '#test/fixtures/articles.ts';

describe('articles', () => {
  it('splits an Indonesian article at its closing English paragraph', () => {
    // Act
    const sections = sectionsOf({ language: 'id', body: 'Langkah satu.\n\nLangkah dua.\n\nEnglish: Step one, step two.' });

    // Assert
    expect(sections).toEqual({ id: 'Langkah satu.\n\nLangkah dua.', en: 'Step one, step two.' });
  });

  it('splits an English article at its closing Indonesian paragraph', () => {
    // Act / Assert
    expect(sectionsOf({ language: 'en', body: 'Step one.\n\nIndonesia: Langkah satu.' })).toEqual({ en: 'Step one.', id: 'Langkah satu.' });
  });

  it('keeps a one-language article whole', () => {
    // Act / Assert
    expect(sectionsOf({ language: 'id', body: 'Hanya bahasa Indonesia.' })).toEqual({ id: 'Hanya bahasa Indonesia.' });
  });

  it('titles an article in English from title_en, and in its own language from title', () => {
    // Arrange
    const article = anArticle({ title: 'Printer macet', title_en: 'Printer jammed' });

    // Act / Assert
    expect(titleIn(article, 'en')).toBe('Printer jammed');
    expect(titleIn(article, 'id')).toBe('Printer macet');
    expect(titleIn({ ...article, title_en: undefined }, 'en')).toBe('Printer macet');
  });

  it('makes a slug of a title', () => {
    // Act / Assert
    expect(slugOf('Reset your e-Rapor password!')).toBe('reset-your-e-rapor-password');
    expect(slugOf('Café & Wi-Fi')).toBe('cafe-wi-fi');
    expect(slugOf('???')).toBe('article');
  });

  it('refuses an article without a title or body, with control characters, or with an unknown field', () => {
    // Act
    const result = articleInputSchema.safeParse({ title: '', category: 'network', language: 'id', body: ' ', colour: 'red' });

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.') || issue.code)).toEqual(
      expect.arrayContaining(['title', 'body', 'unrecognized_keys']),
    );
  });

  it('refuses an id that is not a slug', () => {
    // Act / Assert
    expect(createArticleSchema.safeParse({ id: 'Not A Slug', title: 'x', category: 'network', language: 'id', body: 'x' }).success).toBe(
      false,
    );
  });
});
