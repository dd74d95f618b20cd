// `npm run redrive` on a stage: finds the shared dead-letter queue CloudFormation named, takes back only the named
// queue's dead letters (to its queue, or to its function for a consumer Lambda invokes itself) and leaves the others
// visible. (The sandbox's path runs end to end in test/integration/waiting-work.test.ts.)
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseRedriveArgs, redrive } from '#sandbox/redrive.ts';

const sqsMock = mockClient(SQSClient);
const lambdaMock = mockClient(LambdaClient);
const ACCOUNT = 'https://sqs.ap-southeast-3.amazonaws.com/123456789012';
const DLQ_URL = `${ACCOUNT}/Helpdesk-dev-Stateless-EventsConsumersDlqQueueA1B2C3D4-xyz`;
const INVOCATIONS_DLQ_URL = `${ACCOUNT}/Helpdesk-dev-Stateless-EventsInvocationsDlqQueueA1B2C3D4-xyz`;
const NOTIFY_URL = `${ACCOUNT}/Helpdesk-dev-Stateless-EventsNotifyQueueE5F6-abc`;
const NOTIFY_ARN = 'arn:aws:sqs:ap-southeast-3:123456789012:Helpdesk-dev-Stateless-EventsNotifyQueueE5F6-abc';
const ROUTING_ARN = 'arn:aws:sqs:ap-southeast-3:123456789012:Helpdesk-dev-Stateless-EventsRoutingQueue9A8B-def';

beforeEach(() => {
  sqsMock.reset();
  lambdaMock.reset();
});

const deadLetter = (id: string, source: string) => ({
  MessageId: id,
  ReceiptHandle: `r-${id}`,
  Body: JSON.stringify({ id, 'detail-type': 'TicketCreated' }),
  Attributes: { DeadLetterQueueSourceArn: source },
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
  it("sends the named queue's dead letters back to it, deletes them, and leaves the other queues' visible", async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand, { QueueNamePrefix: 'Helpdesk-dev-Stateless-EventsConsumersDlq' }).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(ListQueuesCommand, { QueueNamePrefix: 'Helpdesk-dev-Stateless-EventsNotifyQueue' }).resolves({ QueueUrls: [NOTIFY_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: NOTIFY_ARN } });
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter('m1', NOTIFY_ARN), deadLetter('m2', ROUTING_ARN), deadLetter('m3', NOTIFY_ARN)] })
      .resolves({ Messages: [] });
    const sqs = new SQSClient({ region: 'ap-southeast-3' });

    // Act
    const result = await redrive(sqs, { queue: 'notify', stage: 'dev', rate: 500 });

    // Assert
    expect(result).toEqual({ from: 'consumers-dlq', to: 'notify', waiting: 2, moved: 2, others: 1, status: 'COMPLETED' });
    expect(sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: NOTIFY_URL, MessageBody: deadLetter('m1', NOTIFY_ARN).Body },
      { QueueUrl: NOTIFY_URL, MessageBody: deadLetter('m3', NOTIFY_ARN).Body },
    ]);
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: DLQ_URL, ReceiptHandle: 'r-m1' },
      { QueueUrl: DLQ_URL, ReceiptHandle: 'r-m3' },
    ]);
    // Asked for the queue each dead letter came from
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ QueueUrl: DLQ_URL, AttributeNames: ['All'] });
    // The routing dead letter is visible again at once, for its own redrive
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: DLQ_URL, ReceiptHandle: 'r-m2', VisibilityTimeout: 0 },
    ]);
  });

  it("hands a Lambda-invoked consumer's failed events to its function again, and leaves other functions' records", async () => {
    // Arrange
    const retention = 'arn:aws:lambda:ap-southeast-3:123456789012:function:Helpdesk-dev-Stateless-EventsApplyRetentionF-1:$LATEST';
    const incidents = 'arn:aws:lambda:ap-southeast-3:123456789012:function:Helpdesk-dev-Stateless-EventsPropagateInciden-2:$LATEST';
    const busEvent = (id: string) => ({ id, source: 'helpdesk', 'detail-type': 'StatusChanged', detail: { id: `e-${id}` } });
    const record = (id: string, functionArn: string) => ({
      MessageId: id,
      ReceiptHandle: `r-${id}`,
      Body: JSON.stringify({ requestContext: { functionArn, condition: 'RetriesExhausted' }, requestPayload: busEvent(id) }),
    });
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [INVOCATIONS_DLQ_URL] });
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [record('1', retention), record('2', incidents), record('3', retention)] })
      .resolves({ Messages: [] });
    lambdaMock
      .on(GetFunctionConfigurationCommand, { FunctionName: retention })
      .resolves({ Description: 'Helpdesk queue consumer apply-retention (retention queue)' });
    lambdaMock
      .on(GetFunctionConfigurationCommand, { FunctionName: incidents })
      .resolves({ Description: 'Helpdesk queue consumer propagate-incident (incidents queue)' });
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const sqs = new SQSClient({ region: 'ap-southeast-3' });

    // Act
    const result = await redrive(sqs, { queue: 'retention', stage: 'dev' }, () => new LambdaClient({ region: 'ap-southeast-3' }));

    // Assert
    expect(result).toEqual({ from: 'invocations-dlq', to: 'apply-retention', waiting: 2, moved: 2, others: 1, status: 'COMPLETED' });
    expect(sqsMock.commandCalls(ListQueuesCommand)[0]!.args[0].input).toEqual({
      QueueNamePrefix: 'Helpdesk-dev-Stateless-EventsInvocationsDlq',
    });
    expect(
      lambdaMock.commandCalls(InvokeCommand).map((call) => {
        const { FunctionName, InvocationType, Payload } = call.args[0].input;
        return { FunctionName, InvocationType, event: JSON.parse(Buffer.from(Payload as Uint8Array).toString('utf8')) };
      }),
    ).toEqual([
      { FunctionName: retention, InvocationType: 'Event', event: busEvent('1') },
      { FunctionName: retention, InvocationType: 'Event', event: busEvent('3') },
    ]);
    // Each function is looked up once
    expect(lambdaMock.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(2);
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle)).toEqual(['r-1', 'r-3']);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.ReceiptHandle)).toEqual(['r-2']);
  });

  it('stops, says so and leaves visible, at a message in that queue that is not an on-failure record, and the rest of its batch', async () => {
    // Arrange
    const functionArn = 'arn:aws:lambda:ap-southeast-3:123456789012:function:Helpdesk-dev-Stateless-EventsPropagateInciden-2';
    const record = JSON.stringify({ requestContext: { functionArn }, requestPayload: { id: 'e1' } });
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [INVOCATIONS_DLQ_URL] });
    sqsMock.on(ReceiveMessageCommand).resolves({
      Messages: [
        { MessageId: 'm9', ReceiptHandle: 'r9', Body: '{"hello":1}' },
        { MessageId: 'm10', ReceiptHandle: 'r10', Body: record },
      ],
    });
    const sqs = new SQSClient({ region: 'ap-southeast-3' });

    // Act
    const result = await redrive(sqs, { queue: 'incidents', stage: 'dev' }, () => new LambdaClient({ region: 'ap-southeast-3' }));

    // Assert
    expect(result).toMatchObject({
      moved: 0,
      others: 0,
      status: 'FAILED',
      failure: 'message m9 is not a Lambda on-failure record: left in place',
    });
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.ReceiptHandle)).toEqual(['r9', 'r10']);
  });

  it("moves nothing when the dead-letter queue holds none of the queue's messages", async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand, { QueueNamePrefix: 'Helpdesk-dev-Stateless-EventsConsumersDlq' }).resolves({ QueueUrls: [DLQ_URL] });
    sqsMock.on(ListQueuesCommand, { QueueNamePrefix: 'Helpdesk-dev-Stateless-EventsNotifyQueue' }).resolves({ QueueUrls: [NOTIFY_URL] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: NOTIFY_ARN } });
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter('m2', ROUTING_ARN)] })
      .resolves({ Messages: [] });

    // Act
    const result = await redrive(new SQSClient({ region: 'ap-southeast-3' }), { queue: 'notify', stage: 'dev' });

    // Assert
    expect(result).toEqual({ from: 'consumers-dlq', to: 'notify', waiting: 0, moved: 0, others: 1, status: 'NOTHING_TO_MOVE' });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('says so when the stage has no such queue in this account and region', async () => {
    // Arrange
    sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [] });

    // Act
    const attempt = redrive(new SQSClient({ region: 'ap-southeast-3' }), { queue: 'notify', stage: 'dev' });

    // Assert
    await expect(attempt).rejects.toThrow(
      'expected one queue named Helpdesk-dev-Stateless-EventsConsumersDlq…, found 0: is the stage deployed in this account and region?',
    );
  });
});
