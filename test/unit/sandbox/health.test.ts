// `GET /_local/health` when SQS is up but does not say how deep a queue is: the answer is still a health report
// (503, "degraded"), with null counts for that queue and a problem naming it, not a 500 for the whole. An emulator
// that runs but does not answer is hard to produce in the integration tests, so SQS's answers are mocked here;
// every other emulator is a stand-in that reports itself well.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalRoutes, type LocalRoutesOptions } from '#sandbox/local-routes.ts';
import { DEAD_LETTER_QUEUES, QUEUES } from '#shared/events/queues.ts';

const sqsMock = mockClient(SQSClient);
let ses: Server;
let sesEndpoint: string;

beforeAll(async () => {
  // SES's health check is a plain GET the emulator answers 200.
  ses = createServer((_request, response) => response.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
  sesEndpoint = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => ses.close(() => resolve())));
beforeEach(() => sqsMock.reset());

const up = { running: () => true };

const routesWithHealthyEmulators = () =>
  createLocalRoutes({
    region: 'local',
    issuer: {} as LocalRoutesOptions['issuer'],
    tableName: 'helpdesk',
    mail: { bucket: 'mail', prefix: 'inbound/' },
    emulators: {
      dynamo: { ...up, endpoint: 'http://127.0.0.1:1' },
      admin: { send: async () => ({ TableNames: ['helpdesk'] }) },
      sqs: {
        ...up,
        endpoint: 'http://127.0.0.1:2',
        queueUrl: (name: string) => `http://127.0.0.1:2/000000000000/${name}`,
        deadLetters: () => ({}),
      },
      pollers: { ...up, retries: () => 0 },
      bus: { ...up, endpoint: 'http://127.0.0.1:3', retrying: () => 0, pending: () => 0 },
      ses: { ...up, endpoint: sesEndpoint, viewerUrl: 'http://127.0.0.1:4' },
      s3: { ...up, endpoint: 'http://127.0.0.1:5' },
      smtp: { ...up, port: 2525 },
      stream: { failures: () => [] },
      scheduler: { names: [], lastResult: () => undefined },
      telegram: { ...up, endpoint: 'http://127.0.0.1:6', webhook: () => ({ url: undefined }) },
    } as unknown as LocalRoutesOptions['emulators'],
  });

const health = async () => {
  const { routes, stop } = routesWithHealthyEmulators();
  try {
    return (await routes['GET /_local/health']!({} as never, Buffer.alloc(0))) as {
      status: number;
      body: {
        status: string;
        problems: string[];
        emulators: { sqs: { queues: Record<string, { visible: number | null; inFlight: number | null }> } };
      };
    };
  } finally {
    stop();
  }
};

describe('GET /_local/health', () => {
  it('is ok with every queue counted when SQS answers', async () => {
    // Arrange
    sqsMock
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } });

    // Act
    const { status, body } = await health();

    // Assert
    expect(body.problems).toEqual([]);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.emulators.sqs.queues).sort()).toEqual([...QUEUES.map((queue) => queue.name), ...DEAD_LETTER_QUEUES].sort());
  });

  it('answers degraded, with null counts and a problem naming the queue, when SQS does not give a depth', async () => {
    // Arrange: the routing queue's attributes fail, every other queue answers
    const routing = QUEUES.find((queue) => queue.name === 'routing')!;
    sqsMock
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1' } });
    sqsMock
      .on(GetQueueAttributesCommand, { QueueUrl: `http://127.0.0.1:2/000000000000/${routing.name}` })
      .rejects(new Error('socket hang up'));

    // Act
    const { status, body } = await health();

    // Assert
    expect(status).toBe(503);
    expect(body.status).toBe('degraded');
    expect(body.emulators.sqs.queues[routing.name]).toEqual({ visible: null, inFlight: null, retries: 0 });
    expect(body.emulators.sqs.queues.notify).toEqual({ visible: 2, inFlight: 1, retries: 0 });
    expect(body.problems).toEqual(['SQS did not say how many messages routing hold(s)']);
  });
});
