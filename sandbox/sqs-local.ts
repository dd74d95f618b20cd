// SQS in the sandbox: local-aws-sqs (JSON protocol, redrive to a dead-letter queue after maxReceiveCount),
// with the queues from shared/events/queues.ts. Its state lives in this process, so the server can stop
// listening and start again on the same port: that is how the sandbox shows SQS being down.
import { createServer, type Server } from 'node:http';
import { createRequestHandler } from 'local-aws-sqs';
import { deadLetterQueueName, QUEUES } from '#shared/events/queues.ts';
import { freePort } from './support.ts';

const ACCOUNT = '000000000000';

export type LocalSqs = {
  endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  running(): boolean;
  setRunning(running: boolean): Promise<void>;
  stop(): Promise<void>;
};

export const startLocalSqs = async (region: string, options: { visibilityTimeoutSeconds?: number } = {}): Promise<LocalSqs> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const queueArn = (name: string) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
  const { requestHandler } = createRequestHandler({
    port,
    hostname: '127.0.0.1',
    region,
    accountId: ACCOUNT,
    emulateQueueCreationLifecycle: false,
    queues: QUEUES.flatMap((queue) => [
      { QueueName: deadLetterQueueName(queue), Attributes: { MessageRetentionPeriod: 14 * 86_400 } },
      {
        QueueName: queue.name,
        Attributes: {
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds,
          RedrivePolicy: JSON.stringify({
            maxReceiveCount: queue.maxReceiveCount,
            deadLetterTargetArn: queueArn(deadLetterQueueName(queue)),
          }),
        },
      },
    ]),
  });
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((request, response) => void requestHandler(request, response));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  await listen();
  return {
    endpoint,
    queueUrl: (name) => `${endpoint}/${ACCOUNT}/${name}`,
    queueArn,
    running: () => server !== undefined,
    setRunning: async (running) => {
      if (running && !server) await listen();
      if (!running && server) await close();
    },
    stop: close,
  };
};
