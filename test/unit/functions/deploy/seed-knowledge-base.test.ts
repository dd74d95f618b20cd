// The deploy-time seed answers CloudFormation whatever happens (a stack waits an hour for a custom resource
// that never answers): success with the count created, failure with where to look, and a delete that keeps
// the articles.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler, PHYSICAL_ID } from '#functions/deploy/seed-knowledge-base.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const answers: { method: string; contentType: string | undefined; body: Record<string, unknown> }[] = [];
const server = createServer((request: IncomingMessage, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    answers.push({ method: request.method ?? '', contentType: request.headers['content-type'], body: JSON.parse(body) });
    response.end();
  });
});

const event = (requestType: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:ap-southeast-3:123456789012:function:seed',
    ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`,
    StackId: 'arn:aws:cloudformation:ap-southeast-3:123456789012:stack/Helpdesk-dev-Stateless/1',
    RequestId: 'request-1',
    LogicalResourceId: 'KnowledgeBaseSeed',
    ResourceType: 'Custom::KnowledgeBaseSeed',
    ResourceProperties: { ServiceToken: 'x', defaults: 'hash' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: {} }),
  }) as CloudFormationCustomResourceEvent;

beforeAll(async () => {
  process.env.TABLE_NAME = 'helpdesk-test';
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  ddb.reset();
  answers.length = 0;
});

describe('the knowledge-base seed custom resource', () => {
  it('creates the fourteen default articles on create and says so', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await handler(event('Create'), lambdaContext());

    // Assert
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(14);
    expect(answers).toEqual([
      {
        method: 'PUT',
        contentType: '',
        body: expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: PHYSICAL_ID,
          RequestId: 'request-1',
          Data: { created: 14 },
        }),
      },
    ]);
  });

  it('creates nothing that exists already on update', async () => {
    // Arrange
    ddb
      .on(TransactWriteCommand)
      .rejects(
        new TransactionCanceledException({ message: 'exists', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }),
      );

    // Act
    await handler(event('Update'), lambdaContext());

    // Assert
    expect(answers[0]?.body).toMatchObject({ Status: 'SUCCESS', Data: { created: 0 } });
  });

  it('answers FAILED, naming the log stream, when the table cannot be written', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(new Error('throttled'));

    // Act
    await handler(event('Create'), lambdaContext());

    // Assert
    expect(answers[0]?.body).toMatchObject({ Status: 'FAILED', Reason: 'The seed failed; see log stream test.' });
  });

  it('keeps the articles when the resource is deleted', async () => {
    // Act
    await handler(event('Delete'), lambdaContext());

    // Assert
    expect(ddb.calls()).toHaveLength(0);
    expect(answers[0]?.body).toMatchObject({ Status: 'SUCCESS' });
  });
});
