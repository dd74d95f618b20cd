// DynamoDB implementation of ticket search's ports (shared/domain/search/ports.ts), in the one table:
//   TICKET#<id> / SEARCH                          what the index holds of the ticket (terms, facets), under a revision
//   SEARCH#<term> / <createdAt>#<number>#<id>     one posting: the ticket's facets (short names), weight and length;
//                                                 the ticket's id and number are read from its sort key
//   SEARCHVOCAB#<first letter> / <term>           the vocabulary spelling correction reads
// A re-index writes the doc and its postings in one TransactWriteItems (up to 99 postings), a larger one with
// BatchWriteItem (25 a request); postings carry the ticket's TTL once it is closed. The vocabulary is only ever
// added to, so a word this process has written once is not written again (a bounded set of them).
// Why an inverted index in the table and what it costs: docs/decisions.md, "Ticket search".
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  FoundPosting,
  Posting,
  PostingFilter,
  PostingPut,
  PostingRemoval,
  SearchDoc,
  SearchIndexStore,
  SearchReader,
} from '#shared/domain/search/ports.ts';
import { MAX_POSTINGS_WITH_DOC } from '#shared/domain/search/ports.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import {
  numberOfPosting,
  postingBound,
  postingKey,
  searchDocKey,
  searchTermPartition,
  TICKET_COUNTER_KEY,
  ticketIdOfPosting,
  ticketKey,
  vocabularyKey,
  vocabularyPartition,
} from './table-keys.ts';
import { toTicket } from './ticket-store.ts';

const BATCH_WRITE = 25;
const BATCH_GET = 100;
const RETRY_ROUNDS = 8;
/** Words remembered as written to the vocabulary, per process: the common ones of a desk's tickets, and a bound on memory. */
const KNOWN_WORDS_MAX = 20_000;

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const pause = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** round)));

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export const postingItem = (term: string, posting: Posting): Record<string, unknown> => ({
  ...postingKey(term, posting),
  entity: 'search-posting',
  n: posting.number,
  w: posting.weight,
  l: posting.length,
  st: posting.status,
  tm: posting.team,
  ct: posting.category,
  ...(posting.assignee ? { as: posting.assignee } : {}),
  rq: posting.requester,
  ...(posting.tags.length > 0 ? { tg: posting.tags } : {}),
  ...(posting.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(posting.retainUntil) } : {}),
});

export const docItem = (doc: SearchDoc): Record<string, unknown> => ({
  ...searchDocKey(doc.ticketId),
  entity: 'search-doc',
  ...doc,
  ...(doc.facets.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(doc.facets.retainUntil) } : {}),
});

const toDoc = (item: Record<string, unknown>): SearchDoc => ({
  ticketId: item.ticketId as string,
  revision: item.revision as number,
  version: item.version as number,
  pending: item.pending as boolean,
  terms: item.terms as Record<string, number>,
  length: item.length as number,
  facets: item.facets as SearchDoc['facets'],
});

type Filter = {
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

/** The posting filter as a FilterExpression: reach (ORed) and each filter given. */
const filterExpression = (filter: PostingFilter): Filter => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  if (filter.reach) {
    const teams = (filter.reach.teams.length > 0 ? filter.reach.teams : ['\u0000']).map((team, index) => {
      values[`:reach${index}`] = team;
      return `:reach${index}`;
    });
    names['#as'] = 'as';
    values[':me'] = filter.reach.assignee;
    values[':rq'] = filter.reach.requester;
    conditions.push(`(tm IN (${teams.join(', ')}) OR #as = :me OR rq = :rq)`);
  }
  const equal = (attribute: string, value: string | undefined) => {
    if (value === undefined) return;
    values[`:${attribute}`] = value;
    conditions.push(`${attribute} = :${attribute}`);
  };
  equal('st', filter.status);
  equal('tm', filter.team);
  equal('ct', filter.category);
  if (filter.tag !== undefined) {
    values[':tg'] = filter.tag;
    conditions.push('contains(tg, :tg)');
  }
  return conditions.length === 0
    ? {}
    : {
        FilterExpression: conditions.join(' AND '),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      };
};

export const createSearchStore = (client: DynamoDBDocumentClient, table: string): SearchIndexStore & SearchReader => {
  const batchWrite = async (requests: WriteRequest[]) => {
    for (let start = 0; start < requests.length; start += BATCH_WRITE) {
      let pending: BatchWriteCommandInput['RequestItems'] = { [table]: requests.slice(start, start + BATCH_WRITE) };
      for (let round = 0; pending && Object.keys(pending).length > 0; round++) {
        if (round >= RETRY_ROUNDS) throw new Error('BatchWriteItem kept leaving search postings unprocessed');
        if (round > 0) await pause(round);
        pending = (await client.send(new BatchWriteCommand({ RequestItems: pending }))).UnprocessedItems;
      }
    }
  };

  const batchGet = async (keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET);
      for (let round = 0; pending && pending.length > 0; round++) {
        if (round >= RETRY_ROUNDS) throw new Error('BatchGetItem kept leaving keys unprocessed');
        if (round > 0) await pause(round);
        const result: BatchGetCommandOutput = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
        items.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys;
      }
    }
    return items;
  };

  const postingWrites = (put: PostingPut[], remove: PostingRemoval[]) => [
    ...put.map(({ term, posting }): WriteRequest => ({ PutRequest: { Item: postingItem(term, posting) } })),
    ...remove.map(({ term, ...posting }): WriteRequest => ({ DeleteRequest: { Key: postingKey(term, posting) } })),
  ];
  const knownWords = new Set<string>();

  const conditionalWrite = async (write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const revisionCondition = (expectedRevision: number) =>
    expectedRevision === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'revision = :expected', ExpressionAttributeValues: { ':expected': expectedRevision } };

  return {
    async getDoc(ticketId) {
      const result = await client.send(new GetCommand({ TableName: table, Key: searchDocKey(ticketId), ConsistentRead: true }));
      return result.Item ? toDoc(result.Item) : undefined;
    },

    putDoc: (doc, expectedRevision) =>
      conditionalWrite(() => client.send(new PutCommand({ TableName: table, Item: docItem(doc), ...revisionCondition(expectedRevision) }))),

    deleteDoc: (ticketId, expectedRevision) =>
      conditionalWrite(() =>
        client.send(new DeleteCommand({ TableName: table, Key: searchDocKey(ticketId), ...revisionCondition(expectedRevision) })),
      ),

    async writeDocWithPostings(doc, expectedRevision, put, remove) {
      if (put.length + remove.length > MAX_POSTINGS_WITH_DOC)
        throw new Error(`too many postings for one transaction: ${put.length + remove.length}`);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table, Item: docItem(doc), ...revisionCondition(expectedRevision) } },
              ...postingWrites(put, remove).map((request) =>
                request.PutRequest
                  ? { Put: { TableName: table, Item: request.PutRequest.Item! } }
                  : { Delete: { TableName: table, Key: request.DeleteRequest!.Key! } },
              ),
            ],
          }),
        );
        return true;
      } catch (error) {
        // The doc moved on, or another consumer's transaction on this ticket's items ran at the same moment.
        const lost = (code: string | undefined) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict';
        if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => lost(reason.Code)))
          return false;
        throw error;
      }
    },

    async writePostings(put, remove) {
      await batchWrite(postingWrites(put, remove));
    },

    async addVocabulary(terms) {
      const words = [...new Set(terms)].filter((term) => !knownWords.has(term));
      await batchWrite(words.map((term): WriteRequest => ({ PutRequest: { Item: { ...vocabularyKey(term), entity: 'search-word' } } })));
      if (knownWords.size + words.length > KNOWN_WORDS_MAX) knownWords.clear();
      for (const word of words) knownWords.add(word);
    },

    async postings(term, query) {
      const names: Record<string, string> = { '#sk': 'sk' };
      const values: Record<string, unknown> = { ':pk': searchTermPartition(term) };
      let range = '';
      if (query.from !== undefined && query.to !== undefined) {
        values[':from'] = postingBound(query.from);
        values[':to'] = postingBound(query.to);
        range = ' AND #sk BETWEEN :from AND :to';
      } else if (query.from !== undefined) {
        values[':from'] = postingBound(query.from);
        range = ' AND #sk >= :from';
      } else if (query.to !== undefined) {
        values[':to'] = postingBound(query.to);
        range = ' AND #sk < :to';
      }
      const filter = filterExpression(query.filter);
      const postings: FoundPosting[] = [];
      let read = 0;
      let lastKey: Record<string, unknown> | undefined;
      let oldestNumber: number | undefined;
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: `pk = :pk${range}`,
            // Newest first: a capped read keeps the most recent tickets.
            ScanIndexForward: false,
            Limit: query.limit - read,
            ProjectionExpression: '#sk, n, w, l',
            ...filter,
            ExpressionAttributeNames: { ...names, ...filter.ExpressionAttributeNames },
            ExpressionAttributeValues: { ...values, ...filter.ExpressionAttributeValues },
            ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
          }),
        );
        read += result.ScannedCount ?? 0;
        for (const item of result.Items ?? []) {
          const sk = item.sk as string;
          postings.push({
            ticketId: ticketIdOfPosting(sk),
            number: item.n as number,
            createdAt: sk.slice(0, sk.indexOf('#')),
            weight: item.w as number,
            length: item.l as number,
          });
          oldestNumber = Math.min(oldestNumber ?? Infinity, item.n as number);
        }
        lastKey = result.LastEvaluatedKey;
        if (lastKey) oldestNumber = Math.min(oldestNumber ?? Infinity, numberOfPosting(lastKey.sk as string));
      } while (lastKey && read < query.limit);
      return { postings, read, complete: !lastKey, oldestNumber };
    },

    async vocabulary(firstCharacter) {
      const terms: string[] = [];
      let lastKey: Record<string, unknown> | undefined;
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': vocabularyPartition(firstCharacter) },
            ProjectionExpression: 'sk',
            ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
          }),
        );
        for (const item of result.Items ?? []) terms.push(item.sk as string);
        lastKey = result.LastEvaluatedKey;
      } while (lastKey);
      return terms;
    },

    async docs(ticketIds) {
      return (await batchGet(ticketIds.map(searchDocKey))).map(toDoc);
    },

    async tickets(ids) {
      return (await batchGet(ids.map(ticketKey))).map(toTicket);
    },

    async ticketCount() {
      const result = await client.send(new GetCommand({ TableName: table, Key: TICKET_COUNTER_KEY }));
      return Number(result.Item?.value ?? 0);
    },
  };
};
