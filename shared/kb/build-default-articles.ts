// `npm run kb`: reads the default knowledge base (shared/kb/articles/*.md, Markdown with YAML front
// matter) into default-articles.json, which the sandbox and the deploy-time seed load. Generated ahead of
// time so that no function parses YAML or reads files at run time; a unit test fails when the JSON no
// longer matches the Markdown files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type CreateArticleInput, createArticleSchema } from '#shared/domain/kb/article.ts';

const ARTICLES = new URL('./articles/', import.meta.url);

/** One Markdown file → the article it describes; a bad file is an error that names it and the field. */
export const parseArticleFile = (name: string, text: string): CreateArticleInput => {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${name}: no front matter (a block between two "---" lines at the top)`);
  const front = parse(match[1]!) as Record<string, unknown>;
  const result = createArticleSchema.safeParse({ ...front, body: match[2]!.trim() });
  if (!result.success)
    throw new Error(`${name}: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'} ${issue.message}`).join('; ')}`);
  if (`${result.data.id}.md` !== name) throw new Error(`${name}: the file name must be the article's id (${result.data.id}.md)`);
  return result.data;
};

export const readDefaultArticles = (): CreateArticleInput[] =>
  readdirSync(ARTICLES)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => parseArticleFile(name, readFileSync(new URL(name, ARTICLES), 'utf8')));

if (import.meta.url === `file://${process.argv[1]}`) {
  const articles = readDefaultArticles();
  writeFileSync(new URL('./default-articles.json', import.meta.url), `${JSON.stringify(articles, null, 2)}\n`);
  console.log(`default-articles.json: ${articles.length} articles`);
}
