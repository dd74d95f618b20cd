// The macro routes on a mocked DynamoDB client: what they read and write, and what they answer.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as applyMacro } from '#functions/http/apply-macro.ts';
import { handler as macros } from '#functions/http/macros.ts';
import { handler as writeMacro } from '#functions/http/write-macro.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { AGENT_CLAIMS, httpEvent, invoke, REQUESTER_CLAIMS } from '#test/fixtures/api-gateway-event.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const MACRO_ID = '01J00000000000000000000M01';

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});
beforeEach(() => {
  ddb.reset();
});

describe('POST /tickets/{id}/macros/{macroId}', () => {
  it('applies a default macro as one transaction: the resolved ticket and its reply', async () => {
    // Arrange
    const ticket = aTicket({ status: 'open', assignee: 'budi' });
    ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await invoke(
      applyMacro,
      httpEvent({
        method: 'POST',
        path: `/tickets/${ticket.id}/macros/selesai`,
        route: '/tickets/{id}/macros/{macroId}',
        pathParameters: { id: ticket.id, macroId: 'selesai' },
        claims: AGENT_CLAIMS,
      }),
    );

    // Assert
    expect(result.statusCode).toBe(200);
    expect(result.headers.etag).toBe('"2"');
    expect(result.json.ticket).toMatchObject({ status: 'resolved', version: 2 });
    expect(result.json.events.map((event: { type: string }) => event.type)).toEqual(['MacroApplied', 'CommentAdded', 'StatusChanged']);
    expect(result.json.events[1].data.body).toContain('Halo Alice Putri');
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.args[0].input.TransactItems).toHaveLength(4);
  });

  it('does not find a macro id that could name none, reading nothing', async () => {
    const result = await invoke(
      applyMacro,
      httpEvent({
        method: 'POST',
        path: `/tickets/${aTicket().id}/macros/..%2Fx`,
        pathParameters: { id: aTicket().id, macroId: '..%2Fx' },
        claims: AGENT_CLAIMS,
      }),
    );
    expect(result.statusCode).toBe(404);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('the macro list and writes', () => {
  it('keeps an agent’s personal macro under a new id, written only if the id is new', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    const result = await invoke(
      macros,
      httpEvent({
        method: 'POST',
        path: '/macros',
        claims: AGENT_CLAIMS,
        body: { scope: 'personal', name: { id: 'Cek kabel', en: 'Check the cable' }, actions: { status: 'pending' } },
      }),
    );

    // Assert
    expect(result.statusCode).toBe(201);
    expect(result.json).toMatchObject({ scope: 'personal', owner: 'budi', visibility: 'public', version: 1 });
    expect(result.headers.location).toBe(`/macros/${result.json.id}`);
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)', Item: { pk: 'MACROS', sk: `MACRO#${result.json.id}` } });
  });

  it('lists the defaults and the stored macros the caller may use; a requester is refused', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'MACROS',
          sk: `MACRO#${MACRO_ID}`,
          entity: 'macro',
          id: MACRO_ID,
          scope: 'personal',
          owner: 'someone-else',
          name: { id: 'Rahasia', en: 'Secret' },
          visibility: 'public',
          actions: { status: 'open' },
          version: 1,
          updatedAt: '2026-03-02T02:00:00.000Z',
          updatedBy: 'someone-else',
        },
      ],
    });

    // Act
    const agent = await invoke(macros, httpEvent({ method: 'GET', path: '/macros', claims: AGENT_CLAIMS }));
    const requester = await invoke(macros, httpEvent({ method: 'GET', path: '/macros', claims: REQUESTER_CLAIMS }));

    // Assert
    expect(agent.statusCode).toBe(200);
    const ids = agent.json.items.map((macro: { id: string }) => macro.id);
    expect(ids).toEqual(expect.arrayContaining(['minta-info', 'selesai']));
    expect(ids).not.toContain(MACRO_ID);
    expect(agent.json.items[0]).not.toHaveProperty('pk');
    expect(requester.statusCode).toBe(403);
  });

  it('answers 412 when the macro changed between the read and the write', async () => {
    // Arrange
    const stored = {
      id: MACRO_ID,
      scope: 'personal',
      owner: 'budi',
      name: { id: 'Cek', en: 'Check' },
      visibility: 'public',
      actions: { status: 'open' },
      version: 1,
      updatedAt: '2026-03-02T02:00:00.000Z',
      updatedBy: 'budi',
    };
    ddb.on(GetCommand).resolves({ Item: stored });
    const lost = new ConditionalCheckFailedException({ message: 'changed', $metadata: {} });
    ddb.on(PutCommand).rejects(lost);
    ddb.on(DeleteCommand).rejects(lost);
    const at = { path: `/macros/${MACRO_ID}`, route: '/macros/{id}', pathParameters: { id: MACRO_ID }, claims: AGENT_CLAIMS };

    // Act
    const updated = await invoke(
      writeMacro,
      httpEvent({ ...at, method: 'PUT', body: { name: stored.name, actions: { status: 'pending' } } }),
    );
    const deleted = await invoke(writeMacro, httpEvent({ ...at, method: 'DELETE' }));

    // Assert
    expect([updated.statusCode, deleted.statusCode]).toEqual([412, 412]);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({ ConditionExpression: 'version = :expected' });
  });
});
