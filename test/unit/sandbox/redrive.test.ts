// `npm run redrive` on a stage: finds the dead-letter queue CloudFormation named, starts SQS's move task back
// to the queue it came from and follows it to its end. (The sandbox's path runs end to end in
// test/integration/waiting-work.test.ts.)
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseRedriveArgs, redrive } from '#sandbox/redrive.ts';

const sqsMock = mockClient(SQSClient);
const lambdaMock = mockClient(LambdaClient);
const DLQ_URL = 'https://sqs.ap-southeast-3.amazonaws.com/123456789012/Helpdesk-dev-Stateless-EventsNotifyDlqQueueA1B2C3D4-xyz';
const DLQ_ARN = 'arn:aws:sqs:ap-southeast-3:123456789012:Helpdesk-dev-Stateless-EventsNotifyDlqQueueA1B2C3D4-xyz';

beforeEach(() => {
  sqsMock.reset();
  lambdaMock.reset();
});

describe('parseRedriveArgs', () => {
  it('takes a queue, a stage and a rate', () => {
    expect(parseRedriveArgs(['--queue', 'notify', '--stage', 'dev', '--rate', '10'])).toEqual({ queue: 'notify', stage: 'dev', rate: 10 });
  });

  it.each([
    [[], '--queue must be one of routing, notify, retention, stats'],
    [
      ['--queue', 'notify-dlq'],
      '--queue must be one of routing, notify, retention, stats, chat, webhooks, exports, search, incidents, not "notify-dlq"',
    ],
    [['--queue', 'notify', '--stage', 'Prod!'], '--stage must be a stage name'],
    [['--queue', 'notify', '--rate', '0'], '--rate must be a whole number of messages a second from 1 to 500, not "0"'],
  ])('refuses %j in words', (args, message) => {
    expect(() => parseRedriveArgs(args)).toThrow(message);
  });
});

describe('redrive on a stage', () => {
  it("moves the dead letters back to their queue with SQS's move task and reports how many moved", async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '3' } });
    sqsMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task' });
    sqsMock
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [{ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1 }] })
      .resolves({ Results: [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3 }] });
    const sqs = new SQSClient({ region: 'ap-southeast-3' });

    // Act
    const result = await redrive(sqs, { queue: 'notify', stage: 'dev', rate: 10 }, 0);

    // Assert
    expect(result).toEqual({ from: 'notify-dlq', to: 'notify', waiting: 3, moved: 3, status: 'COMPLETED' });
    expect(sqsMock.commandCalls(ListQueuesCommand)[0]!.args[0].input).toEqual({
      QueueNamePrefix: 'Helpdesk-dev-Stateless-EventsNotifyDlq',
    });
    // No destination: each message goes back to the queue it was dead-lettered from
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: DLQ_ARN,
      MaxNumberOfMessagesPerSecond: 10,
    });
  });

  it("hands a bus-invoked consumer's dead events to its function again (Lambda's on-failure records), deleting each once handed over", async () => {
    // Arrange
    const functionArn = 'arn:aws:lambda:ap-southeast-3:123456789012:function:Helpdesk-dev-Stateless-EventsApplyRetention:$LATEST';
    const busEvent = (id: string) => ({ id, source: 'helpdesk', 'detail-type': 'StatusChanged', detail: { id: `e-${id}` } });
    const record = (id: string) =>
      JSON.stringify({ requestContext: { functionArn, condition: 'RetriesExhausted' }, requestPayload: busEvent(id) });
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '2' } });
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'm1', ReceiptHandle: 'r1', Body: record('1') },
          { MessageId: 'm2', ReceiptHandle: 'r2', Body: record('2') },
        ],
      })
      .resolves({ Messages: [] });
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const sqs = new SQSClient({ region: 'ap-southeast-3' });

    // Act
    const result = await redrive(sqs, { queue: 'retention', stage: 'dev' }, 0, () => new LambdaClient({ region: 'ap-southeast-3' }));

    // Assert
    expect(result).toEqual({ from: 'retention-dlq', to: 'apply-retention', waiting: 2, moved: 2, status: 'COMPLETED' });
    expect(
      lambdaMock.commandCalls(InvokeCommand).map((call) => {
        const { FunctionName, InvocationType, Payload } = call.args[0].input;
        return { FunctionName, InvocationType, event: JSON.parse(Buffer.from(Payload as Uint8Array).toString('utf8')) };
      }),
    ).toEqual([
      { FunctionName: functionArn, InvocationType: 'Event', event: busEvent('1') },
      { FunctionName: functionArn, InvocationType: 'Event', event: busEvent('2') },
    ]);
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle)).toEqual(['r1', 'r2']);
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('leaves in place, and says so, a message in such a queue that is not an on-failure record', async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '1' } });
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm9', ReceiptHandle: 'r9', Body: '{"hello":1}' }] });
    const sqs = new SQSClient({ region: 'ap-southeast-3' });

    // Act
    const result = await redrive(sqs, { queue: 'incidents', stage: 'dev' }, 0, () => new LambdaClient({ region: 'ap-southeast-3' }));

    // Assert
    expect(result).toMatchObject({ moved: 0, status: 'FAILED', failure: 'message m9 is not a Lambda on-failure record: left in place' });
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('starts nothing when the dead-letter queue is empty', async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '0' } });

    // Act
    const result = await redrive(new SQSClient({ region: 'ap-southeast-3' }), { queue: 'notify', stage: 'dev' }, 0);

    // Assert
    expect(result.status).toBe('NOTHING_TO_MOVE');
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('reports a failed task with its reason', async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '2' } });
    sqsMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task' });
    sqsMock
      .on(ListMessageMoveTasksCommand)
      .resolves({ Results: [{ Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0, FailureReason: 'AccessDenied' }] });

    // Act
    const result = await redrive(new SQSClient({ region: 'ap-southeast-3' }), { queue: 'notify', stage: 'dev' }, 0);

    // Assert
    expect(result).toMatchObject({ moved: 0, status: 'FAILED', failure: 'AccessDenied' });
  });

  it('says so when the stage has no such queue in this account and region', async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [] });

    // Act
    const attempt = redrive(new SQSClient({ region: 'ap-southeast-3' }), { queue: 'notify', stage: 'dev' }, 0);

    // Assert
    await expect(attempt).rejects.toThrow(
      'expected one queue named Helpdesk-dev-Stateless-EventsNotifyDlq…, found 0: is the stage deployed in this account and region?',
    );
  });
});
