// What the functions log, at the most talkative level, for a whole small scenario: ids, kinds and counts,
// never a requester's words or address.
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as addComment } from '#functions/http/add-comment.ts';
import { handler as createTicket } from '#functions/http/create-ticket.ts';
import { handler as getTicket } from '#functions/http/get-ticket.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { AGENT_CLAIMS, httpEvent, invoke, REQUESTER_CLAIMS } from '#test/fixtures/api-gateway-event.ts';
import { captureLogs } from '#test/fixtures/capture-logs.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

// The most talkative level from the start: the logger reads it when the modules load.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

const ddb = mockClient(DynamoDBDocumentClient);
const SECRET_SUBJECT = 'Rahasia-subjek-Zq81';
const SECRET_BODY = 'Isi-komentar-pribadi-Yw42';
const SECRET_EMAIL = 'alice@siswa.example';

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logs', () => {
  it('carry no subject, description, comment body or email address, even at DEBUG, even on errors', async () => {
    // Arrange: capture everything written
    const logged = captureLogs();
    const ticket = aTicket({ subject: SECRET_SUBJECT, description: SECRET_BODY, status: 'open', version: 2 });
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 9 } });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });

    // Act: a create, a comment, a refused request, and a failure inside DynamoDB
    const results = [
      await invoke(
        createTicket,
        httpEvent({
          method: 'POST',
          path: '/tickets',
          claims: REQUESTER_CLAIMS,
          body: { subject: SECRET_SUBJECT, description: SECRET_BODY },
        }),
      ),
      await invoke(
        addComment,
        httpEvent({
          method: 'POST',
          path: `/tickets/${ticket.id}/comments`,
          route: '/tickets/{id}/comments',
          pathParameters: { id: ticket.id },
          claims: AGENT_CLAIMS,
          body: { body: SECRET_BODY },
        }),
      ),
      await invoke(
        createTicket,
        httpEvent({ method: 'POST', path: '/tickets', claims: REQUESTER_CLAIMS, body: { subject: SECRET_SUBJECT, colour: SECRET_EMAIL } }),
      ),
    ];
    ddb.on(GetCommand).rejects(new Error(`boom while reading ${SECRET_EMAIL} ${SECRET_SUBJECT}`));
    results.push(
      await invoke(
        getTicket,
        httpEvent({
          method: 'GET',
          path: `/tickets/${ticket.id}`,
          route: '/tickets/{id}',
          pathParameters: { id: ticket.id },
          claims: AGENT_CLAIMS,
        }),
      ),
    );

    // Assert: the scenario ran and logged, and nothing private is in the log
    expect(results.map((result) => result.statusCode)).toEqual([201, 201, 400, 500]);
    const log = logged();
    expect(log).toContain('request failed');
    expect(log).not.toContain(SECRET_SUBJECT);
    expect(log).not.toContain(SECRET_BODY);
    expect(log).not.toContain(SECRET_EMAIL);
  });
});
