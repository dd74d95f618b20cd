// The one definition of the SQS queues and their consumers: CDK builds each queue with its dead-letter
// queue, alarm and event source mapping from this; the sandbox creates the same queues in its SQS emulator
// and polls them into the same handler modules.
import type { TableAccess } from '#shared/http/routes.ts';

export type QueueSpec = TableAccess & {
  name: string;
  /** Module under `functions/queue/`, without the extension. */
  handler: string;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Six times the function timeout, as AWS advises for Lambda consumers. */
  visibilityTimeoutSeconds: number;
  batchSize: number;
};

export const QUEUES: readonly QueueSpec[] = [
  {
    name: 'routing',
    handler: 'route-ticket',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    // Agents' open tickets, counted on gsi3.
    queryIndexes: ['gsi3'],
  },
];

export const deadLetterQueueName = (queue: QueueSpec) => `${queue.name}-dlq`;
