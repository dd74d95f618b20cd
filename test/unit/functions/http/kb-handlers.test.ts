// The knowledge-base and chat handlers on mocked DynamoDB: what each route answers, what it writes, and
// what it refuses (with nothing written).
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as chat } from '#functions/http/chat.ts';
import { handler as createArticle } from '#functions/http/create-article.ts';
import { handler as deleteArticle } from '#functions/http/delete-article.ts';
import { handler as getArticle } from '#functions/http/get-article.ts';
import { handler as listArticleHistory } from '#functions/http/list-article-history.ts';
import { handler as listArticles } from '#functions/http/list-articles.ts';
import { handler as listDrafts } from '#functions/http/list-draft-articles.ts';
import { handler as recordDeflection } from '#functions/http/record-deflection.ts';
import { handler as searchArticles } from '#functions/http/search-articles.ts';
import { handler as suggestArticles } from '#functions/http/suggest-articles.ts';
import { handler as updateArticle } from '#functions/http/update-article.ts';
import { AGENT_CLAIMS, httpEvent, invoke, REQUESTER_CLAIMS } from '#test/fixtures/api-gateway-event.ts';
import { anArticle, defaultKnowledgeBase } from '#test/fixtures/articles.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const ddb = mockClient(DynamoDBDocumentClient);

const item = (article = anArticle()) => ({ pk: 'KB', sk: `ARTICLE#${article.id}`, entity: 'kb-article', ...article });
const cancelled = () =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
const newArticle = { title: 'Printer macet', category: 'hardware', language: 'id', status: 'published', body: 'Matikan printer.' };

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});

beforeEach(() => {
  ddb.reset();
});

describe('published articles, for everybody', () => {
  it('lists the published articles without bodies, without a token', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [item(), item(anArticle({ id: 'draft-one', status: 'draft' }))] });

    // Act
    const result = await invoke(listArticles, httpEvent({ method: 'GET', path: '/kb/articles' }));

    // Assert
    expect(result.statusCode).toBe(200);
    expect(result.json.items).toEqual([expect.objectContaining({ id: 'printer-jam', title: 'Printer macet' })]);
    expect(result.json.items[0]).not.toHaveProperty('body');
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :article)' });
  });

  it('gives one article with its safe HTML and its version as the ETag', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: item(anArticle({ body: '**Matikan** printer <script>x</script>', version: 4 })) });

    // Act
    const result = await invoke(
      getArticle,
      httpEvent({ method: 'GET', path: '/kb/articles/printer-jam', pathParameters: { id: 'printer-jam' } }),
    );

    // Assert
    expect(result.statusCode).toBe(200);
    expect(result.headers.etag).toBe('"4"');
    expect(result.json.html).toBe('<p><strong>Matikan</strong> printer &lt;script&gt;x&lt;/script&gt;</p>');
  });

  it('says 404 for a draft, and for an id that cannot be one without reading anything', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: item(anArticle({ status: 'draft' })) });

    // Act
    const draft = await invoke(
      getArticle,
      httpEvent({ method: 'GET', path: '/kb/articles/printer-jam', pathParameters: { id: 'printer-jam' } }),
    );
    const calls = ddb.calls().length;
    const bad = await invoke(getArticle, httpEvent({ method: 'GET', path: '/kb/articles/..%2F', pathParameters: { id: '../' } }));

    // Assert
    expect(draft.statusCode).toBe(404);
    expect(bad.statusCode).toBe(404);
    expect(ddb.calls()).toHaveLength(calls);
  });

  it('searches the published articles; an empty query is a 400 naming q', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: defaultKnowledgeBase().map(item) });

    // Act
    const found = await invoke(searchArticles, httpEvent({ method: 'GET', path: '/kb/search', query: { q: 'lupa pw erapor' } }));
    const empty = await invoke(searchArticles, httpEvent({ method: 'GET', path: '/kb/search', query: { q: ' ' } }));

    // Assert
    expect(found.json.articles[0]).toMatchObject({ id: 'reset-password-erapor' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json.errors).toEqual([{ path: 'q', message: 'must not be empty' }]);
  });
});

describe('writing articles, for staff', () => {
  it('creates an article, its first version and its page (with the HTML) in one transaction: 201 with Location and ETag', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await invoke(createArticle, httpEvent({ method: 'POST', path: '/kb/articles', claims: AGENT_CLAIMS, body: newArticle }));

    // Assert
    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({ location: '/kb/articles/printer-macet', etag: '"1"' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((entry) => [entry.Put?.Item?.pk, entry.Put?.Item?.sk, entry.Put?.ConditionExpression])).toEqual([
      ['KB', 'ARTICLE#printer-macet', 'attribute_not_exists(pk)'],
      ['KBARTICLE#printer-macet', 'VERSION#0000000001', 'attribute_not_exists(pk)'],
      ['KB', 'PAGE#printer-macet', undefined],
    ]);
    expect(items[2]!.Put!.Item!.html).toMatch(/^<p>/);
    expect(items[0]!.Put!.Item!.html).toBeUndefined();
  });

  it('answers 409 for an id once used, and 403 to a requester without writing', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled());

    // Act
    const taken = await invoke(createArticle, httpEvent({ method: 'POST', path: '/kb/articles', claims: AGENT_CLAIMS, body: newArticle }));
    const writes = ddb.commandCalls(TransactWriteCommand).length;
    const requester = await invoke(
      createArticle,
      httpEvent({ method: 'POST', path: '/kb/articles', claims: REQUESTER_CLAIMS, body: newArticle }),
    );

    // Assert
    expect(taken.statusCode).toBe(409);
    expect(requester.statusCode).toBe(403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(writes);
  });

  it('replaces an article under If-Match, 412 when another edit won the race, 428 without If-Match', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: item() });
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled());
    const put = (headers: Record<string, string>) =>
      invoke(
        updateArticle,
        httpEvent({
          method: 'PUT',
          path: '/kb/articles/printer-jam',
          pathParameters: { id: 'printer-jam' },
          claims: AGENT_CLAIMS,
          headers,
          body: newArticle,
        }),
      );

    // Act
    const saved = await put({ 'if-match': '"1"' });
    const raced = await put({ 'if-match': '"1"' });
    const missing = await put({});

    // Assert
    expect(saved.statusCode).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put).toMatchObject({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 1 },
    });
    expect(raced.statusCode).toBe(412);
    expect(missing.statusCode).toBe(428);
  });

  it('deletes under If-Match and keeps the deletion as a version: 204', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: item() });
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await invoke(
      deleteArticle,
      httpEvent({
        method: 'DELETE',
        path: '/kb/articles/printer-jam',
        pathParameters: { id: 'printer-jam' },
        claims: AGENT_CLAIMS,
        headers: { 'if-match': '1' },
      }),
    );

    // Assert
    expect(result.statusCode).toBe(204);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Delete).toMatchObject({ Key: { pk: 'KB', sk: 'ARTICLE#printer-jam' } });
    expect(items[1]!.Put?.Item).toMatchObject({ sk: 'VERSION#0000000002', type: 'ArticleDeleted' });
  });

  it('shows staff the drafts and the versions, newest first', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [item(anArticle({ status: 'draft' }))] });

    // Act
    const drafts = await invoke(listDrafts, httpEvent({ method: 'GET', path: '/kb/drafts', claims: AGENT_CLAIMS }));
    ddb.on(QueryCommand).resolves({
      Items: [{ pk: 'KBARTICLE#printer-jam', sk: 'VERSION#0000000001', entity: 'kb-version', articleId: 'printer-jam', version: 1 }],
      LastEvaluatedKey: { pk: 'KBARTICLE#printer-jam', sk: 'VERSION#0000000001' },
    });
    const history = await invoke(
      listArticleHistory,
      httpEvent({ method: 'GET', path: '/kb/articles/printer-jam/history', pathParameters: { id: 'printer-jam' }, claims: AGENT_CLAIMS }),
    );
    const forbidden = await invoke(listDrafts, httpEvent({ method: 'GET', path: '/kb/drafts', claims: REQUESTER_CLAIMS }));

    // Assert
    expect(drafts.json.items).toHaveLength(1);
    expect(history.json.items).toEqual([{ articleId: 'printer-jam', version: 1 }]);
    expect(history.json.cursor).toEqual(expect.any(String));
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('suggestions and deflection', () => {
  it('keeps a suggestion and counts it as shown in one transaction', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: defaultKnowledgeBase().map(item) });
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await invoke(
      suggestArticles,
      httpEvent({
        method: 'GET',
        path: '/kb/suggest',
        claims: REQUESTER_CLAIMS,
        query: { subject: 'Printer macet', description: 'kertas tersangkut' },
      }),
    );

    // Assert
    expect(result.json.articles[0].id).toBe('printer-paper-jam');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put?.Item).toMatchObject({ sk: 'KBSUGGEST', callerId: 'user-alice', expiresAt: expect.any(Number) });
    expect(items[1]!.Update).toMatchObject({ Key: { sk: 'ALL#kb' }, UpdateExpression: 'ADD #c0 :c0, #c1 :c1 SET entity = :entity' });
  });

  it('counts a withdrawn request once; an unknown suggestion is 404', async () => {
    // Arrange
    const suggestion = {
      pk: 'KBSUGGEST#01K00000000000000000000001',
      sk: 'KBSUGGEST',
      callerId: 'user-alice',
      articles: ['printer-paper-jam'],
      date: '2026-03-02',
    };
    ddb.on(GetCommand).resolvesOnce({ Item: suggestion }).resolvesOnce({ Item: suggestion }).resolves({});
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled());
    const report = () =>
      invoke(
        recordDeflection,
        httpEvent({
          method: 'POST',
          path: '/kb/deflections',
          claims: REQUESTER_CLAIMS,
          body: { suggestionId: '01K00000000000000000000001', articleId: 'printer-paper-jam', outcome: 'withdrawn' },
        }),
      );

    // Act
    const first = await report();
    const again = await report();
    const unknown = await report();

    // Assert
    expect(first.json).toEqual({ outcome: 'withdrawn', counted: true });
    expect(again.json).toEqual({ outcome: 'withdrawn', counted: false });
    expect(unknown.statusCode).toBe(404);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Update).toMatchObject({
      Key: { pk: 'STATS#2026-03-02', sk: 'ALL#kb' },
    });
  });
});

describe('the chat', () => {
  it('answers without a token, keeping the new session under a condition and counting the message', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: defaultKnowledgeBase().map(item) });
    ddb.on(PutCommand).resolves({});

    // Act
    const result = await invoke(chat, httpEvent({ method: 'POST', path: '/chat', body: { message: 'lupa pw erapor gmn' } }));

    // Assert
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({ handoff: false, awaiting: null });
    expect(result.json.articles[0]).toMatchObject({ id: 'reset-password-erapor' });
    expect(result.json.sessionId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: 'attribute_not_exists(pk)' });
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key);
    expect(updates).toContainEqual({ pk: expect.stringMatching(/^RATE#chat#ip:[\w-]+#\d+$/), sk: 'RATE' });
    expect(updates).toContainEqual({ pk: expect.stringMatching(/^STATS#\d{4}-\d{2}-\d{2}$/), sk: 'ALL#kb' });
    expect(JSON.stringify(updates)).not.toContain('203.0.113.7');
  });

  it('continues a session at its version, and answers 409 when another message changed it first', async () => {
    // Arrange
    const session = {
      pk: 'CHAT#abcdefghijklmnopqrstuvwx',
      sk: 'SESSION',
      id: 'abcdefghijklmnopqrstuvwx',
      channel: 'web',
      language: 'id',
      state: 'open',
      tickets: [],
      turns: [],
      version: 3,
      createdAt: '2026-03-02T02:00:00.000Z',
      updatedAt: '2026-03-02T02:00:00.000Z',
      expiresAt: 4_102_444_800,
    };
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: session });
    ddb.on(QueryCommand).resolves({ Items: defaultKnowledgeBase().map(item) });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));

    // Act
    const result = await invoke(
      chat,
      httpEvent({ method: 'POST', path: '/chat', body: { message: 'printer macet', sessionId: session.id } }),
    );

    // Assert
    expect(result.statusCode).toBe(409);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
  });

  it('refuses a message over 4096 characters or a session id that was never issued, naming the field', async () => {
    // Act
    const long = await invoke(chat, httpEvent({ method: 'POST', path: '/chat', body: { message: 'x'.repeat(4097) } }));
    const badSession = await invoke(chat, httpEvent({ method: 'POST', path: '/chat', body: { message: 'halo', sessionId: '../x' } }));

    // Assert
    expect(long.json.errors).toEqual([{ path: 'message', message: 'must be at most 4096 characters' }]);
    expect(badSession.json.errors).toEqual([{ path: 'sessionId', message: 'must be the sessionId of an earlier reply' }]);
    expect(ddb.calls()).toHaveLength(0);
  });
});
