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
  /** At most this many consumers at once (Lambda's SQS maximum concurrency, 2 or more); unset: no cap. */
  maxConcurrency?: number;
};

export const QUEUES: readonly QueueSpec[] = [
  {
    name: 'routing',
    handler: 'route-ticket',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    // GetItem / PutItem: the ticket and the round-robin position. Query: the staff directory (the table).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    // Agents' open tickets, counted on gsi3.
    queryIndexes: ['gsi3'],
  },
  {
    // Mail to requesters and staff (functions/queue/notify.ts). The queue is what keeps the helpdesk within SES's
    // sending rate: small batches and two consumers at most send a few mails a second, and a throttled or
    // failed send is simply received again later, then dead-lettered, never dropped.
    name: 'notify',
    handler: 'notify',
    maxReceiveCount: 5,
    // 20 s per batch leaves room for the SDK's backoff on a throttled SendEmail for each of its mails.
    visibilityTimeoutSeconds: 120,
    batchSize: 5,
    maxConcurrency: 2,
    // GetItem: the ticket. PutItem / UpdateItem / DeleteItem: the per-event send claim and the hourly
    // acknowledgement counter. Query: the ticket's own history, newest first, for what a pending ticket waits on,
    // and the staff directory (who to tell, the replying agent's name).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  {
    // Closed tickets: their history items get the ticket's deletion date (functions/queue/apply-retention.ts).
    name: 'retention',
    handler: 'apply-retention',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    // GetItem: the ticket. Query: its history keys. UpdateItem: the TTL on each history item.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    queryIndexes: [],
  },
  {
    // Daily statistics (functions/queue/update-stats.ts). Every counted event adds to the same few items of
    // its day (the total above all), so two consumers at most keep transaction conflicts on them rare; a
    // conflict fails the message, which comes back and is counted then (the event id makes it count once).
    name: 'stats',
    handler: 'update-stats',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    maxConcurrency: 2,
    // GetItem: the ticket (its SLA clocks). PutItem / UpdateItem: the event's marker and the counters, in one
    // transaction.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    queryIndexes: [],
  },
  {
    // The ticket search index (functions/queue/index-ticket.ts): each event re-indexes its ticket as it is now.
    // Two consumers at most; the index's own revisions keep two of them on one ticket from undoing each other.
    name: 'search',
    handler: 'index-ticket',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    maxConcurrency: 2,
    // GetItem: the ticket, what the index holds of it. PutItem / DeleteItem: that, under its revision. Query: the
    // ticket's history (its public comments). BatchWriteItem: the postings and the vocabulary.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
    queryIndexes: [],
  },
  {
    // Major incidents (functions/queue/propagate-incident.ts): a parent's public reply and resolution, written to
    // each of its children. One consumer at a time is plenty (a few incidents a term).
    name: 'incidents',
    handler: 'propagate-incident',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    maxConcurrency: 2,
    // GetItem: the parent, each child, a claim. PutItem: a claim, each child's new version (a transaction of Puts).
    // UpdateItem / DeleteItem: the claim completed or given back.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryIndexes: [],
  },
];

export const deadLetterQueueName = (queue: QueueSpec) => `${queue.name}-dlq`;
