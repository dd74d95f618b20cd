// The one definition of the SQS queues and their consumers: CDK builds each queue with its dead-letter
// queue, alarm and event source mapping from this; the sandbox creates the same queues in its SQS emulator
// and polls them into the same handler modules.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { CHAT_CHANNELS } from '#shared/domain/channels/chat-account.ts';
import type { SecretName, TableAccess } from '#shared/http/routes.ts';

export type QueueSpec = TableAccess & {
  /** Secrets the consumer reads: SSM SecureStrings, granted ssm:GetParameter on exactly these. */
  secrets?: SecretName[];
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
  /** Delivers webhooks: reads the signing keys the configuration names (secretsmanager:GetSecretValue on those
   *  secrets), backs off its own failed messages (sqs:ChangeMessageVisibility on this queue; WEBHOOK_QUEUE_URL). */
  webhooks?: boolean;
  /** Writes exports: multipart uploads under `exports/` in the mail bucket, continuations by invoking itself. */
  exports?: boolean;
  /**
   * `async`: no SQS queue in AWS; Lambda invokes the consumer asynchronously, for the bus's rule (retention,
   * incidents) or for the function that starts it (exports): the first try and maxReceiveCount − 1 retries, at most
   * 2, then the on-failure destination, the shared invocations-dlq. For consumers that are rarely busy and need no
   * concurrency cap: a queue's event source mapping polls it all month, idle or not. The sandbox keeps a durable
   * local queue for it with the same receives and DLQ, and hands the consumer the event, one a call, as Lambda
   * does. Default `queue`.
   */
  invocation?: 'queue' | 'async';
  /** Deployed only when the configuration uses it: an event source mapping polls its queue even when idle, about
   *  650,000 receives a month (docs/cost.md). Unset: always. */
  deployedWhen?: (config: Pick<HelpdeskConfig, 'webhooks' | 'channels'>) => boolean;
  /** Why the consumer runs without X-Ray active tracing even with `monitoring=full` (frequent bookkeeping no person
   *  waits on), if it does. In `small` no function traces (infra/constructs/helpdesk-function.ts). */
  untraced?: string;
};

export const QUEUES: readonly QueueSpec[] = [
  {
    name: 'routing',
    handler: 'route-ticket',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    // Every assignment moves its team's turn, so routers working at once mostly lose races to each other: two
    // batches at once (a batch reads each team's loads once) route faster than more would.
    maxConcurrency: 2,
    // BatchGetItem: a batch's tickets. GetItem / PutItem: a ticket read again after a lost race, and the
    // round-robin position. Query: the staff directory (the table).
    tableActions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
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
    // BatchGetItem / GetItem: a batch's tickets, a merged duplicate's. PutItem / UpdateItem / DeleteItem: the
    // per-event send claim and the hourly acknowledgement counter (one transaction for an acknowledgement). Query:
    // the ticket's own history, newest first, for what a pending ticket waits on, and the staff directory (who to
    // tell, the replying agent's name), once a batch.
    tableActions: [
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
    ],
    queryIndexes: [],
  },
  {
    // Closed tickets: their history items get the ticket's deletion date (functions/queue/apply-retention.ts). A
    // few a day, and setting a TTL twice changes nothing: invoked by the bus (three tries), no queue to poll.
    name: 'retention',
    handler: 'apply-retention',
    invocation: 'async',
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 60,
    batchSize: 1,
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
    untraced: 'about five runs a ticket of counter updates; its failures show in its log group and dead-letter queue',
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
    // Messages to Telegram and WhatsApp chats (functions/queue/send-chat.ts): the bot's answers, put here by the
    // webhooks, and a ticket's news for the requester's chats, by the notify-chat rule. A platform that is down
    // or slows the desk down fails the message, which comes back after the visibility timeout: 30 receives
    // carry a reply over an hour's outage before it is dead-lettered (and can be redriven), never dropped.
    name: 'chat',
    handler: 'send-chat',
    maxReceiveCount: 30,
    // 20 s per batch: a few HTTPS calls of at most 4 s each (shared/adapters/chat-platforms.ts).
    visibilityTimeoutSeconds: 120,
    batchSize: 5,
    maxConcurrency: 2,
    // GetItem: the ticket, the chat accounts, claims. PutItem / UpdateItem / DeleteItem: the per-message send
    // claim and the map from a sent message to its ticket. Query: the requester's chats (CHATLINKS#) and the
    // staff directory (the replying agent's name).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndexes: [],
    secrets: ['telegram-bot-token', 'whatsapp-access-token'],
    deployedWhen: (config) => CHAT_CHANNELS.some((channel) => config.channels[channel] !== undefined),
  },
  {
    // Outgoing webhooks (functions/queue/deliver-webhooks.ts), apart from everything else: a slow or unreachable
    // receiver holds up only this queue. One message a call, so each message backs off on its own; 8 receives
    // with delays from 30 s doubling to 15 minutes try for about 45 minutes before the dead-letter queue.
    name: 'webhooks',
    handler: 'deliver-webhooks',
    maxReceiveCount: 8,
    // A delivery takes at most its subscription's timeout (10 s at most), the subscriptions side by side.
    visibilityTimeoutSeconds: 180,
    batchSize: 1,
    maxConcurrency: 5,
    // GetItem / PutItem / UpdateItem / DeleteItem: the delivery claims and the subscription's state.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryIndexes: [],
    webhooks: true,
    deployedWhen: (config) => config.webhooks.length > 0,
  },
  {
    // Full exports (functions/queue/export-tickets.ts, started by GET /admin/export): one asynchronous invocation per
    // run of the worker, which invokes itself for the next run before its time runs out; a run that dies anyway is
    // retried by Lambda and resumes from the last part it uploaded. A few exports a year: no queue to poll.
    name: 'exports',
    handler: 'export-tickets',
    invocation: 'async',
    maxReceiveCount: 3,
    // Six times Lambda's longest timeout (15 minutes): the worker's timeout, and the sandbox's wait before a retry.
    visibilityTimeoutSeconds: 5400,
    batchSize: 1,
    // GetItem / PutItem: the export's record (its checkpoint). Scan: the one full read of the table (tickets and
    // their history), page by page.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
    queryIndexes: [],
    exports: true,
  },
  {
    // The ticket search index (functions/queue/index-ticket.ts): each event re-indexes its ticket as it is now.
    // Two consumers at most; the index's own revisions keep two of them on one ticket from undoing each other.
    name: 'search',
    handler: 'index-ticket',
    untraced: 'about four runs a ticket of index writes; its failures show in its log group and dead-letter queue',
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 60,
    batchSize: 10,
    maxConcurrency: 2,
    // GetItem: the ticket, what the index holds of it. PutItem / DeleteItem: that, under its revision, with its
    // postings in one transaction. Query: the ticket's history (its public comments). BatchWriteItem: the postings of
    // a re-index too large for a transaction, and the vocabulary.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
    queryIndexes: [],
  },
  {
    // Major incidents (functions/queue/propagate-incident.ts): a parent's public reply and resolution, written to
    // each of its children. A few incidents a term, and each child written once (its claim): invoked by the bus
    // (three tries), no queue to poll.
    name: 'incidents',
    handler: 'propagate-incident',
    invocation: 'async',
    untraced: 'runs on every public reply and resolution, and does nothing unless the ticket is a major incident',
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 60,
    batchSize: 1,
    // GetItem: the parent, each child, a claim. PutItem: a claim, each child's new version (a transaction of Puts).
    // UpdateItem / DeleteItem: the claim completed or given back.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryIndexes: [],
  },
];

/**
 * The dead-letter queues the consumers share (docs/decisions.md, "Two dead-letter queues for the consumers"): every
 * alarm metric past CloudWatch's free ten costs a month, and one queue per consumer said nothing one queue per kind
 * does not. `consumers-dlq`: the redrive target of every polled queue (SQS lets queues share one, and each dead letter
 * keeps its queue's ARN in `DeadLetterQueueSourceArn`, so a redrive takes back one queue's or all). `invocations-dlq`:
 * the on-failure destination of every consumer Lambda invokes asynchronously (`invocation: 'async'`), whose records
 * name the function (`requestContext.functionArn`). The sandbox has the same two, redriven from its local queues.
 */
export const CONSUMERS_DEAD_LETTER_QUEUE = 'consumers-dlq';
export const INVOCATIONS_DEAD_LETTER_QUEUE = 'invocations-dlq';

export const deadLetterQueueName = (queue: QueueSpec) =>
  queue.invocation === 'async' ? INVOCATIONS_DEAD_LETTER_QUEUE : CONSUMERS_DEAD_LETTER_QUEUE;

/** The consumer's Lambda description: `npm run redrive` knows a Lambda on-failure record's function by it (CDK
 *  generates function names). */
export const consumerDescription = (queue: QueueSpec) => `Helpdesk queue consumer ${queue.handler} (${queue.name} queue)`;

/** Both shared dead-letter queues, each once. */
export const DEAD_LETTER_QUEUES = [CONSUMERS_DEAD_LETTER_QUEUE, INVOCATIONS_DEAD_LETTER_QUEUE] as const;

/** The queues a deployment with this configuration has: the webhooks' only with subscriptions, the chat's only
 *  with a chat channel on. */
export const deployedQueues = (config: Pick<HelpdeskConfig, 'webhooks' | 'channels'>): readonly QueueSpec[] =>
  QUEUES.filter((queue) => queue.deployedWhen?.(config) ?? true);

/** Lambda's retries of a consumer it invokes asynchronously (queues.ts `invocation: 'async'`): the receives after the first. */
export const busRetryAttempts = (queue: QueueSpec): number => {
  const retries = queue.maxReceiveCount - 1;
  if (retries < 0 || retries > 2)
    throw new Error(`queues.ts: queue "${queue.name}" is invoked asynchronously, which Lambda retries 0 to 2 times, not ${retries}`);
  return retries;
};

/** The consumer's timeout: a sixth of the queue's visibility timeout, as AWS advises (CDK deploys it, the
 *  sandbox's poller gives each run as long). */
export const consumerTimeoutSeconds = (queue: QueueSpec): number => {
  const seconds = Math.floor(queue.visibilityTimeoutSeconds / 6);
  if (seconds < 1) throw new Error(`queues.ts: queue "${queue.name}" needs a visibility timeout of at least 6 s`);
  return seconds;
};
