// The default knowledge base: the Markdown files are the source, default-articles.json what ships; they
// must agree (run `npm run kb` after editing an article), and every file must be a valid article.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import { parseArticleFile, readDefaultArticles } from '#shared/kb/build-default-articles.ts';
import { defaultArticles } from '#shared/kb/default-articles.ts';

describe('the default knowledge base', () => {
  it('ships exactly what the Markdown files say (else: npm run kb)', () => {
    // Act / Assert
    expect(defaultArticles()).toEqual(readDefaultArticles());
  });

  it('holds the fourteen published articles, each in a category of the configuration', () => {
    // Arrange
    const categories = loadConfig().categories.map((category) => category.id);

    // Act
    const articles = defaultArticles();

    // Assert
    expect(articles).toHaveLength(14);
    for (const article of articles) {
      expect(categories, article.id).toContain(article.category);
      expect(article.status, article.id).toBe('published');
    }
  });

  it('refuses a file without front matter, with a bad field, or named after another id', () => {
    // Act / Assert
    expect(() => parseArticleFile('a.md', 'no front matter')).toThrow('a.md: no front matter');
    expect(() => parseArticleFile('a.md', '---\nid: a\ntitle: A\ncategory: other\nlanguage: xx\n---\nBody')).toThrow(/a\.md: language/);
    expect(() => parseArticleFile('a.md', '---\nid: b\ntitle: A\ncategory: other\nlanguage: id\n---\nBody')).toThrow(
      "a.md: the file name must be the article's id (b.md)",
    );
  });
});
