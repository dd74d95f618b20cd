// Backoff for a queue consumer whose failures are worth waiting on (a webhook receiver that is down): the
// failed message's visibility is set to the delay before it is handed back, instead of the queue's fixed
// timeout. Lambda leaves a message's visibility alone when the batch reports it failed.
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';

/** The webhooks queue's URL, for backing off a failed message (set by CDK and by the sandbox). */
export const WEBHOOK_QUEUE_URL_ENV = 'WEBHOOK_QUEUE_URL';

let client: SQSClient | undefined;

/** Makes the message visible again after `seconds` (the queue URL from the function's environment). */
export const delayRetry = async (queueUrl: string, receiptHandle: string, seconds: number): Promise<void> => {
  client ??= new SQSClient({ maxAttempts: 3 });
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
};
