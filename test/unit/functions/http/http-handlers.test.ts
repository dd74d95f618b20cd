import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as addComment } from '#functions/http/add-comment.ts';
import { handler as createTicket } from '#functions/http/create-ticket.ts';
import { handler as getOpenApi } from '#functions/http/get-openapi.ts';
import { handler as getTicket } from '#functions/http/get-ticket.ts';
import { handler as health } from '#functions/http/health.ts';
import { handler as listTickets } from '#functions/http/list-tickets.ts';
import { handler as notFound } from '#functions/http/not-found.ts';
import { handler as updateTicket } from '#functions/http/update-ticket.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { HTTP_ROUTES } from '#shared/http/routes.ts';
import {
  AGENT_CLAIMS,
  type EventOptions,
  httpEvent,
  invoke,
  REQUEST_ID,
  REQUESTER_CLAIMS,
  STRANGER_CLAIMS,
} from '#test/fixtures/api-gateway-event.ts';
import '#test/fixtures/aws-mock-matchers.ts';
import { ticketSummary } from '#shared/domain/tickets/ticket.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);

const TICKET_ID = '01HZZZZZZZZZZZZZZZZZZZZZZ1';
const ticket = aTicket({ id: TICKET_ID, status: 'open', version: 3 });

const postTicket = (options: Partial<EventOptions> = {}) =>
  httpEvent({ method: 'POST', path: '/tickets', claims: REQUESTER_CLAIMS, body: { subject: 'Wi-Fi di lab mati' }, ...options });

const expectProblem = (result: Awaited<ReturnType<typeof invoke>>, status: number) => {
  expect(result.statusCode).toBe(status);
  expect(result.headers['content-type']).toBe('application/problem+json');
  expect(result.json).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:helpdesk:problem:/),
    title: expect.any(String),
    detail: expect.any(String),
  });
};

const errorPaths = (result: Awaited<ReturnType<typeof invoke>>) =>
  (result.json.errors as { path: string }[] | undefined)?.map((problem) => problem.path);

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});

beforeEach(() => {
  ddb.reset();
});

describe('request bodies', () => {
  it('answers malformed JSON with 400 problem+json naming (body), touching nothing', async () => {
    // Act
    const result = await invoke(createTicket, postTicket({ body: '{"subject": "Wi-Fi', headers: { 'content-type': 'application/json' } }));

    // Assert
    expectProblem(result, 400);
    expect(errorPaths(result)).toEqual(['(body)']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers an unknown field with 400 naming it', async () => {
    const result = await invoke(createTicket, postTicket({ body: { subject: 'Wi-Fi di lab mati', colour: 'red' } }));
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path: 'colour', message: 'is not a known field' }]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('names a nested unknown field by its path', async () => {
    const result = await invoke(
      createTicket,
      postTicket({
        claims: AGENT_CLAIMS,
        body: { subject: 'Telepon', channel: 'phone', requester: { name: 'Pak Joko', phone: '+62 812 3456 7890', nik: '3201' } },
      }),
    );
    expectProblem(result, 400);
    expect(errorPaths(result)).toEqual(['requester.nik']);
  });

  it('answers a missing required field with 400 naming it', async () => {
    const result = await invoke(createTicket, postTicket({ body: { description: 'tanpa judul' } }));
    expectProblem(result, 400);
    expect(errorPaths(result)).toEqual(['subject']);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', {}],
  ])('answers %s with 415', async (_, headers) => {
    const result = await invoke(createTicket, postTicket({ body: '{"subject":"Wi-Fi di lab mati"}', headers }));
    expectProblem(result, 415);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers a body over 64 KiB with 413', async () => {
    // Arrange: 65,537 bytes of otherwise valid JSON.
    const padding = 'x'.repeat(65_537 - JSON.stringify({ subject: 'a', description: '' }).length);
    const body = JSON.stringify({ subject: 'a', description: padding });

    // Act
    const result = await invoke(createTicket, postTicket({ body, headers: { 'content-type': 'application/json' } }));

    // Assert
    expect(Buffer.byteLength(body)).toBe(65_537);
    expectProblem(result, 413);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('counts bytes, not characters: 22,000 three-byte characters are too large', async () => {
    const body = JSON.stringify({ subject: 'a', description: '€'.repeat(22_000) });
    const result = await invoke(createTicket, postTicket({ body, headers: { 'content-type': 'application/json' } }));
    expectProblem(result, 413);
  });

  it('takes a body of exactly 64 KiB past the size check', async () => {
    const padding = 'x'.repeat(65_536 - JSON.stringify({ subject: 'a', description: '' }).length);
    const body = JSON.stringify({ subject: 'a', description: padding });
    const result = await invoke(createTicket, postTicket({ body, headers: { 'content-type': 'application/json' } }));
    // Too long a description (20,000 characters at most), but not too large a body.
    expectProblem(result, 400);
    expect(errorPaths(result)).toEqual(['description']);
  });
});

describe('authentication', () => {
  it('answers a request without a token with 401 and WWW-Authenticate: Bearer, touching nothing', async () => {
    const result = await invoke(
      getTicket,
      httpEvent({ method: 'GET', path: `/tickets/${TICKET_ID}`, route: '/tickets/{id}', pathParameters: { id: TICKET_ID } }),
    );
    expectProblem(result, 401);
    expect(result.headers['www-authenticate']).toBe('Bearer');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('checks the caller before the body', async () => {
    const result = await invoke(
      createTicket,
      postTicket({ claims: undefined, body: 'not json', headers: { 'content-type': 'application/json' } }),
    );
    expectProblem(result, 401);
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect((await invoke(health, httpEvent({ method: 'GET', path: '/health' }))).json).toEqual({ status: 'ok' });
    expect((await invoke(getOpenApi, httpEvent({ method: 'GET', path: '/openapi.json' }))).statusCode).toBe(200);
  });
});

describe('routes that do not exist (the $default route)', () => {
  it('answers an unknown path with 404 problem+json', async () => {
    const result = await invoke(notFound, httpEvent({ method: 'GET', path: '/tiket' }));
    expectProblem(result, 404);
    expect(result.json.instance).toBe('/tiket');
  });

  it.each([
    ['DELETE', `/tickets/${TICKET_ID}`, 'GET, PATCH'],
    ['PUT', '/tickets', 'POST, GET'],
    ['POST', '/health', 'GET'],
    ['GET', `/tickets/${TICKET_ID}/comments`, 'POST'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const result = await invoke(notFound, httpEvent({ method, path }));
    expectProblem(result, 405);
    expect(result.headers.allow).toBe(allow);
  });
});

describe('unexpected failures', () => {
  it('answers an SDK error with 500 that shows no internals, only the request id', async () => {
    // Arrange
    const secret = 'User: arn:aws:sts::123456789012:assumed-role/helpdesk-get-ticket is not authorized on table helpdesk-prod';
    ddb.on(GetCommand).rejects(new Error(secret));

    // Act
    const result = await invoke(
      getTicket,
      httpEvent({
        method: 'GET',
        path: `/tickets/${TICKET_ID}`,
        route: '/tickets/{id}',
        pathParameters: { id: TICKET_ID },
        claims: REQUESTER_CLAIMS,
      }),
    );

    // Assert
    expectProblem(result, 500);
    expect(result.body).not.toContain(secret);
    expect(result.body).not.toContain('arn:aws');
    expect(result.body).not.toContain('helpdesk-prod');
    expect(result.json.detail).toContain(REQUEST_ID);
  });
});

describe('a service the helpdesk needs is down', () => {
  const read = () =>
    invoke(
      getTicket,
      httpEvent({
        method: 'GET',
        path: `/tickets/${TICKET_ID}`,
        route: '/tickets/{id}',
        pathParameters: { id: TICKET_ID },
        claims: REQUESTER_CLAIMS,
      }),
    );

  it.each([
    ['DynamoDB refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' })],
    [
      'every address of the host refusing',
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:8000'), { code: 'ECONNREFUSED' })], 'connect failed'),
    ],
    ['a request timing out', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' })],
    ['DynamoDB throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' })],
    ['DynamoDB failing on its side', Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $fault: 'server' })],
  ])('answers %s with 503, Retry-After and the request id, showing no internals', async (_case, error) => {
    // Arrange
    ddb.on(GetCommand).rejects(error);

    // Act
    const result = await read();

    // Assert
    expectProblem(result, 503);
    expect(result.headers['retry-after']).toBe('5');
    expect(result.json).toMatchObject({ type: 'urn:helpdesk:problem:service-unavailable', title: 'Service unavailable' });
    expect(result.json.detail).toContain(REQUEST_ID);
    expect(result.body).not.toContain('127.0.0.1');
  });
});

describe('the OpenAPI document', () => {
  it('describes every route of the route table', async () => {
    // Act
    const result = await invoke(getOpenApi, httpEvent({ method: 'GET', path: '/openapi.json' }));

    // Assert
    expect(result.statusCode).toBe(200);
    expect(result.json.openapi).toMatch(/^3\.1/);
    const described = Object.entries(result.json.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(HTTP_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    expect(described).toEqual(
      expect.arrayContaining([
        'POST /tickets',
        'GET /tickets',
        'GET /tickets/{id}',
        'PATCH /tickets/{id}',
        'POST /tickets/{id}/comments',
        'GET /tickets/{id}/events',
        'GET /health',
        'GET /openapi.json',
      ]),
    );
  });

  it('marks the open routes as needing no token, and documents the request headers', async () => {
    const { json } = await invoke(getOpenApi, httpEvent({ method: 'GET', path: '/openapi.json' }));
    expect(json.paths['/health'].get.security).toEqual([]);
    expect(json.paths['/tickets'].post.security).toBeUndefined();
    expect(json.paths['/tickets'].post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
    );
    expect(json.paths['/tickets/{id}'].patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header' })]),
    );
  });
});

describe('the ticket routes end to end (DynamoDB mocked)', () => {
  it('files a ticket: 201 with Location and ETag, in one transaction', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 42 } });
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await invoke(createTicket, postTicket({ body: { subject: 'printer kertas macet', urgency: 'high', impact: 'medium' } }));

    // Assert
    expect(result.statusCode).toBe(201);
    expect(result.json).toMatchObject({
      number: 42,
      status: 'new',
      category: 'hardware',
      team: 'it-support',
      priority: 'high',
      channel: 'api',
      requester: { id: 'user-alice', email: 'alice@siswa.example' },
    });
    expect(result.headers.location).toBe(`/tickets/${result.json.id}`);
    expect(result.headers.etag).toBe('"1"');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('files a requester’s ticket in two requests: the number, then one transaction that also counts the hourly limit', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 43 } });
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await invoke(createTicket, postTicket());

    // Assert
    expect(result.statusCode).toBe(201);
    expect(ddb.calls()).toHaveLength(2);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.at(-1)?.Update).toMatchObject({
      Key: { pk: expect.stringMatching(/^RATE#create#user-alice#/) },
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeValues: expect.objectContaining({ ':limit': 20 }),
    });
  });

  it('refuses the ticket over the hourly limit with 429 and Retry-After when the transaction finds the limit used up', async () => {
    // Arrange: DynamoDB cancels the transaction on the counter's condition (the last item), writing nothing
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 44 } });
    ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: unknown[] }) => {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: input.TransactItems.map((_, index, all) => ({
          Code: index === all.length - 1 ? 'ConditionalCheckFailed' : 'None',
        })),
      });
    });

    // Act
    const result = await invoke(createTicket, postTicket());

    // Assert
    expectProblem(result, 429);
    expect(result.json.detail).toMatch(/^You can file 20 tickets an hour; please try again in \d+ minutes\.$/);
    expect(Number(result.headers['retry-after'])).toBeGreaterThan(0);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('accepts JSON with a charset parameter', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 1 } });
    ddb.on(TransactWriteCommand).resolves({});
    const result = await invoke(
      createTicket,
      postTicket({ body: '{"subject":"bayar SPP"}', headers: { 'content-type': 'application/json; charset=utf-8' } }),
    );
    expect(result.statusCode).toBe(201);
  });

  it('decodes a base64-encoded JSON body', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 1 } });
    ddb.on(TransactWriteCommand).resolves({});
    const body = Buffer.from(JSON.stringify({ subject: 'legalisir ijazah' })).toString('base64');
    const result = await invoke(createTicket, postTicket({ body, isBase64Encoded: true, headers: { 'content-type': 'application/json' } }));
    expect(result.statusCode).toBe(201);
    expect(result.json).toMatchObject({ subject: 'legalisir ijazah', category: 'administration', team: 'tata-usaha' });
  });

  it('replays an Idempotency-Key: the first ticket again, marked as replayed', async () => {
    // Arrange: the key is already bound to a ticket created from the same body.
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 7 } });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const first = await invoke(createTicket, postTicket({ headers: { 'idempotency-key': 'k-1' } }));
    const claim = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    const created = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;
    ddb.reset();
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    ddb.on(GetCommand, { Key: { pk: 'IDEMPOTENCY#user-alice#k-1', sk: 'IDEMPOTENCY' } }).resolves({
      // Completing removes the lock (shared/adapters/claim-store.ts).
      Item: { ...claim, lockedUntil: undefined, state: 'completed', ticketId: first.json.id },
    });
    ddb.on(GetCommand, { Key: { pk: `TICKET#${first.json.id}`, sk: 'TICKET' } }).resolves({ Item: created });

    // Act
    const again = await invoke(createTicket, postTicket({ headers: { 'idempotency-key': 'k-1' } }));

    // Assert
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('shows a requester a stranger’s ticket as 404, never 403', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
    const result = await invoke(
      getTicket,
      httpEvent({
        method: 'GET',
        path: `/tickets/${TICKET_ID}`,
        route: '/tickets/{id}',
        pathParameters: { id: TICKET_ID },
        claims: STRANGER_CLAIMS,
      }),
    );
    expectProblem(result, 404);
  });

  it('shows the requester their ticket with its version as the ETag', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
    const result = await invoke(
      getTicket,
      httpEvent({
        method: 'GET',
        path: `/tickets/${TICKET_ID}`,
        route: '/tickets/{id}',
        pathParameters: { id: TICKET_ID },
        claims: REQUESTER_CLAIMS,
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual(ticket);
    expect(result.headers.etag).toBe('"3"');
  });

  it('answers an id that cannot be a ticket with 404 without reading the table', async () => {
    const result = await invoke(
      getTicket,
      httpEvent({
        method: 'GET',
        path: '/tickets/../../etc',
        route: '/tickets/{id}',
        pathParameters: { id: '..' },
        claims: REQUESTER_CLAIMS,
      }),
    );
    expectProblem(result, 404);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers a stale If-Match with 412 and writes nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
    const result = await invoke(
      updateTicket,
      httpEvent({
        method: 'PATCH',
        path: `/tickets/${TICKET_ID}`,
        route: '/tickets/{id}',
        pathParameters: { id: TICKET_ID },
        claims: AGENT_CLAIMS,
        headers: { 'if-match': '"2"' },
        body: { status: 'pending' },
      }),
    );
    expectProblem(result, 412);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers an If-Match that is not an ETag with 400 naming If-Match', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
    const result = await invoke(
      updateTicket,
      httpEvent({
        method: 'PATCH',
        path: `/tickets/${TICKET_ID}`,
        route: '/tickets/{id}',
        pathParameters: { id: TICKET_ID },
        claims: AGENT_CLAIMS,
        headers: { 'if-match': 'latest' },
        body: { status: 'pending' },
      }),
    );
    expectProblem(result, 400);
    expect(errorPaths(result)).toEqual(['If-Match']);
  });

  it('answers an internal note from a requester with 403', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
    const result = await invoke(
      addComment,
      httpEvent({
        method: 'POST',
        path: `/tickets/${TICKET_ID}/comments`,
        route: '/tickets/{id}/comments',
        pathParameters: { id: TICKET_ID },
        claims: REQUESTER_CLAIMS,
        body: { body: 'catatan', visibility: 'internal' },
      }),
    );
    expectProblem(result, 403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: 'many' }, 'limit'],
    [{ status: 'done' }, 'status'],
    [{ assignee: 'budi' }, 'assignee'],
    [{ colour: 'red' }, 'colour'],
  ])('answers a bad query %j with 400 naming %s, without querying', async (query, path) => {
    const result = await invoke(listTickets, httpEvent({ method: 'GET', path: '/tickets', query, claims: AGENT_CLAIMS }));
    expectProblem(result, 400);
    expect(errorPaths(result)).toEqual([path]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('lists a requester’s own tickets from their index', async () => {
    ddb.on(QueryCommand).resolves({ Items: [ticketItem(ticket)] });
    const result = await invoke(
      listTickets,
      httpEvent({ method: 'GET', path: '/tickets', query: { status: 'open' }, claims: REQUESTER_CLAIMS }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ items: [ticketSummary(ticket)] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi2',
      ExpressionAttributeValues: { ':pk': 'REQUESTER#user-alice', ':status': '2-open#' },
      Limit: 25,
    });
  });
});
