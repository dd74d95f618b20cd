// Hands an export to a worker run: one message `{"exportId": …}` on the exports queue (EXPORT_QUEUE_URL, set by
// CDK and by the sandbox). The route that starts an export and the worker that continues itself both use it.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export const EXPORT_QUEUE_URL_ENV = 'EXPORT_QUEUE_URL';

let client: SQSClient | undefined;

export const scheduleExportRun = async (exportId: string): Promise<void> => {
  const queueUrl = process.env[EXPORT_QUEUE_URL_ENV];
  if (!queueUrl) throw new Error(`${EXPORT_QUEUE_URL_ENV} is not set`);
  client ??= new SQSClient({ maxAttempts: 5 });
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ exportId }) }));
};
