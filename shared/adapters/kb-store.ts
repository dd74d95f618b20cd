// DynamoDB side of the knowledge base (access patterns: table-definition.ts):
//   KB / ARTICLE#<id>                      the current article (the whole knowledge base is one partition:
//                                          one Query reads it; it is tens to hundreds of articles)
//   KB / PAGE#<id>                         the current article with its HTML (the public read; not listed)
//   KBARTICLE#<id> / VERSION#<0000000001>  each version, as its change left it (kept after a deletion)
//   KBSUGGEST#<id> / KBSUGGEST             suggestions shown on the new-request form (TTL one day)
//   STATS#<date> / ALL#kb                  the day's knowledge-base and chat counters
// An article, its page and its version are written in one transaction, under the version the edit was made on.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Article, type ArticleEvent, articleSchema } from '#shared/domain/kb/article.ts';
import { type ArticleStore, ArticleVersionConflict, type DeflectionStore, KB_STATS_KEY } from '#shared/domain/kb/ports.ts';
import { addExpression } from './counter-expression.ts';
import { decodeCursor, encodeCursor, exactly, matching } from './cursor.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import { articleKey, articlePageKey, KB_PARTITION, statsPartition, suggestionKey, articleVersionKey as versionKey } from './table-keys.ts';

const statsKey = (date: string) => ({ pk: statsPartition(date), sk: `ALL#${KB_STATS_KEY}` });

/** Suggestions are counted against for a day: long enough to read an article, short enough to stay small. */
export const SUGGESTION_TTL_SECONDS = 86_400;

const toArticle = (item: Record<string, unknown>): Article => articleSchema.parse(item);

// The HTML is kept in an item of its own, the page (`KB / PAGE#<id>`: the article with its HTML), written with each
// version: the Query that lists the articles for every chat message and search does not read it, and the public
// read of one article is one GetItem. Versions keep the Markdown only.
const withoutHtml = ({ html: _html, ...article }: Article): Article => article;
const articleItem = (article: Article) => ({ ...articleKey(article.id), entity: 'kb-article', ...withoutHtml(article) });
const pageItem = (article: Article) => ({ ...articlePageKey(article.id), entity: 'kb-page', ...article });
const versionItem = (event: ArticleEvent) => ({
  ...versionKey(event.articleId, event.version),
  entity: 'kb-version',
  ...event,
  article: withoutHtml(event.article),
});
/** The page's Put beside the article's, when the article has its HTML. */
const pagePut = (table: string, article: Article) =>
  article.html === undefined ? [] : [{ Put: { TableName: table, Item: pageItem(article) } }];

const cancelledByCondition = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');

export const createArticleStore = (client: DynamoDBDocumentClient, table: string): ArticleStore => ({
  async listArticles() {
    const articles: Article[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :article)',
          ExpressionAttributeValues: { ':pk': KB_PARTITION, ':article': 'ARTICLE#' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) articles.push(toArticle(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return articles;
  },

  async getArticle(id) {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: articleKey(id) }));
    return Item ? toArticle(Item) : undefined;
  },

  async getArticleWithHtml(id) {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: articlePageKey(id) }));
    const article = Item ? toArticle(Item) : undefined;
    return article?.html === undefined ? undefined : { ...article, html: article.html };
  },

  async createArticle(article, event) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: articleItem(article), ConditionExpression: 'attribute_not_exists(pk)' } },
            // Version 1 exists for every id ever used, deleted or not: the id is never taken again.
            { Put: { TableName: table, Item: versionItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...pagePut(table, article),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledByCondition(error)) return false;
      throw error;
    }
  },

  async saveArticle(article, expectedVersion, event) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: articleItem(article),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            { Put: { TableName: table, Item: versionItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
            // Replaced with the article, or removed when this version has no HTML (none stale is ever served).
            ...(article.html === undefined ? [{ Delete: { TableName: table, Key: articlePageKey(article.id) } }] : pagePut(table, article)),
          ],
        }),
      );
    } catch (error) {
      if (cancelledByCondition(error)) throw new ArticleVersionConflict(article.id);
      throw error;
    }
  },

  async deleteArticle(id, expectedVersion, event) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: table,
                Key: articleKey(id),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            { Put: { TableName: table, Item: versionItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Delete: { TableName: table, Key: articlePageKey(id) } },
          ],
        }),
      );
    } catch (error) {
      if (cancelledByCondition(error)) throw new ArticleVersionConflict(id);
      throw error;
    }
  },

  async listHistory(id, page) {
    const partition = `KBARTICLE#${id}`;
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :version)',
        ExpressionAttributeValues: { ':pk': partition, ':version': 'VERSION#' },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { pk: exactly(partition), sk: matching(/^VERSION#\d{10}$/) }),
      }),
    );
    return {
      items: (result.Items ?? []).map(({ pk: _p, sk: _s, entity: _e, ...event }) => event as ArticleEvent),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  },
});

export const createDeflectionStore = (client: DynamoDBDocumentClient, table: string): DeflectionStore => ({
  async recordSuggestion(suggestion, counters, now) {
    const add = addExpression(counters);
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: {
                ...suggestionKey(suggestion.id),
                entity: 'kb-suggestion',
                callerId: suggestion.callerId,
                articles: suggestion.articles,
                date: suggestion.date,
                [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + SUGGESTION_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table,
              Key: statsKey(suggestion.date),
              UpdateExpression: add.expression,
              ExpressionAttributeNames: add.names,
              ExpressionAttributeValues: add.values,
            },
          },
        ],
      }),
    );
  },

  async recordOutcome(suggestion, outcome, counter) {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: suggestionKey(suggestion.id) }));
    if (!Item || Item.callerId !== suggestion.callerId || !(Item.articles as string[]).includes(suggestion.articleId)) return 'unknown';
    // A request is withdrawn once; each suggested article is opened once.
    const mark = outcome === 'withdrawn' ? 'withdrawn' : `opened:${suggestion.articleId}`;
    const add = addExpression({ [counter]: 1 });
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: suggestionKey(suggestion.id),
                UpdateExpression: 'ADD #counted :mark',
                ConditionExpression: 'attribute_exists(pk) AND NOT contains(#counted, :markText)',
                ExpressionAttributeNames: { '#counted': 'counted' },
                ExpressionAttributeValues: { ':mark': new Set([mark]), ':markText': mark },
              },
            },
            {
              Update: {
                TableName: table,
                Key: statsKey(Item.date as string),
                UpdateExpression: add.expression,
                ExpressionAttributeNames: add.names,
                ExpressionAttributeValues: add.values,
              },
            },
          ],
        }),
      );
      return 'counted';
    } catch (error) {
      if (cancelledByCondition(error)) return 'duplicate';
      throw error;
    }
  },

  async addCounters(date, counters) {
    const add = addExpression(counters);
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: statsKey(date),
        UpdateExpression: add.expression,
        ExpressionAttributeNames: add.names,
        ExpressionAttributeValues: add.values,
      }),
    );
  },
});
