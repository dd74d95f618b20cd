// Lambda's Invoke API in the sandbox, for asynchronous invocations only (InvocationType Event): what the functions
// send to start a consumer Lambda invokes itself (queues.ts `invocation: 'async'`; the export worker). Lambda keeps
// such an event on an internal queue, retries a failed run twice and sends its record to the on-failure destination;
// here the event goes on the consumer's durable local queue, whose poller hands it to the handler with the same tries
// and dead-letter queue (queue-poller.ts). 202 once the event is kept, as Lambda answers.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES } from '#shared/events/queues.ts';

export type LocalLambda = { endpoint: string; stop(): Promise<void> };

/** The sandbox's name for a function (lambda-context.ts): `helpdesk-<handler>`. */
export const localFunctionName = (handler: string) => `helpdesk-${handler}`;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export const startLocalLambda = async (options: {
  region: string;
  sqsEndpoint: string;
  queueUrl: (name: string) => string;
}): Promise<LocalLambda> => {
  const sqs = new SQSClient({ region: options.region, endpoint: options.sqsEndpoint, maxAttempts: 1 });
  const fail = (response: ServerResponse, status: number, type: string, message: string) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ Type: 'User', message }));
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const match = INVOKE_PATH.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
        if (request.method !== 'POST' || !match) return fail(response, 404, 'ResourceNotFoundException', 'Only Invoke is emulated');
        // A name, or an ARN with or without a qualifier: the function's own name is what counts.
        const name = decodeURIComponent(match[1]!).split(':function:').at(-1)!.split(':')[0]!;
        const spec = QUEUES.find((queue) => queue.invocation === 'async' && localFunctionName(queue.handler) === name);
        if (!spec) return fail(response, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
        if (request.headers['x-amz-invocation-type'] !== 'Event')
          return fail(
            response,
            400,
            'InvalidParameterValueException',
            'The sandbox invokes consumers asynchronously only (InvocationType Event)',
          );
        try {
          await sqs.send(
            new SendMessageCommand({ QueueUrl: options.queueUrl(spec.name), MessageBody: Buffer.concat(chunks).toString('utf8') }),
          );
        } catch (error) {
          return fail(response, 503, 'ServiceException', `The event could not be kept: ${(error as Error).message}`);
        }
        response.writeHead(202);
        response.end();
      })();
    });
  });
  // Port 0: the system's choice, taken as it is bound (nothing else can be given it between a probe and a listen).
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('no port'));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        sqs.destroy();
      }),
  };
};
