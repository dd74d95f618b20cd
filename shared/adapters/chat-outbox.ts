// The chat queue from the webhooks' side: the bot's answers go on it (SQS SendMessageBatch) rather than
// straight to the platform, so a platform that is down delays an answer and loses none. The queue's URL
// comes from CHAT_QUEUE_URL (CDK sets it; the sandbox, its emulator's); the endpoint from the SDK's own
// variables.
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ChatOutbox, OutboundChatMessage } from '#shared/domain/channels/deliver.ts';

export const CHAT_QUEUE_URL_ENV = 'CHAT_QUEUE_URL';

/** The body of a message the webhooks put on the chat queue (the bus puts ticket events there too). */
export type ChatQueueMessageBody = { kind: 'chat-message'; message: OutboundChatMessage };

let client: SQSClient | undefined;

export const sqsChatOutbox: ChatOutbox = {
  async enqueue(messages) {
    const queueUrl = process.env[CHAT_QUEUE_URL_ENV];
    if (!queueUrl) throw new Error(`${CHAT_QUEUE_URL_ENV} is not set`);
    client ??= new SQSClient({ maxAttempts: 4 });
    for (let at = 0; at < messages.length; at += 10) {
      const batch = messages.slice(at, at + 10);
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify({ kind: 'chat-message', message } satisfies ChatQueueMessageBody),
          })),
        }),
      );
      // A partial failure fails the delivery; the platform sends it again and the ids make the queued ones send once.
      if (result.Failed?.length) throw new Error(`${result.Failed.length} chat message(s) could not be queued (${result.Failed[0]!.Code})`);
    }
  },
};
