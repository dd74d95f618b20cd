// The one definition of the scheduled jobs: CDK creates an EventBridge schedule for each, the sandbox
// runs each on a timer (and on `POST /_local/run/<name>`).
import type { TableAccess } from '#shared/http/routes.ts';

export type ScheduleSpec = TableAccess & {
  name: string;
  /** EventBridge schedule expression. */
  expression: string;
  /** The same period in ms, for the sandbox's timer. */
  everyMs: number;
  /** Module under `functions/schedule/`, without the extension. */
  handler: string;
  /** Puts events of its own on the helpdesk bus (events:PutEvents on that bus). */
  publishes?: boolean;
  /** Sends mail through SES (ses:SendEmail from the sender identity, with the configuration set). */
  mails?: boolean;
  /** Lists the user pool's staff groups (cognito-idp:ListUsersInGroup on the pool; USER_POOL_ID). */
  readsUserPool?: boolean;
  /** Why the sandbox does not run it (it has no user pool: its roster and tokens stand in), if it does not. */
  notInSandbox?: string;
  /** Queues of queues.ts it sends to (sqs:SendMessage on each; their URLs as `<QUEUE>_QUEUE_URL`). */
  sendsTo?: readonly string[];
  /** Why the job runs without X-Ray active tracing even with `monitoring=full` (it runs every few minutes, mostly
   *  finding nothing), if it does. In `small` no function traces (infra/constructs/helpdesk-function.ts). */
  untraced?: string;
};

/** The sweeper's schedule (the sandbox's health shows its last findings). */
export const SWEEP_SCHEDULE = 'sweep-stuck-work';

export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    name: 'check-sla',
    expression: 'rate(1 minute)',
    everyMs: 60_000,
    handler: 'check-sla',
    untraced: '43,800 runs a month, nearly all one Query that finds nothing; its log line names what each run recorded',
    // GetItem / PutItem: each due ticket. Query: the staff directory (a team's leads, once a run).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    // The SLA schedule: the sparse index of due tickets.
    queryIndexes: ['gsi5'],
  },
  {
    name: 'detect-trends',
    // Monday 01:00 UTC (08:00 in Jakarta): last week is whole, and the digest is there when leads start.
    expression: 'cron(0 1 ? * MON *)',
    everyMs: 7 * 86_400_000,
    handler: 'detect-trends',
    // One Query per day on STATS#<date> (the table), 9 weeks.
    tableActions: ['dynamodb:Query'],
    queryIndexes: [],
    publishes: true,
    mails: true,
  },
  {
    name: SWEEP_SCHEDULE,
    expression: 'rate(5 minutes)',
    everyMs: 5 * 60_000,
    handler: 'sweep-stuck-work',
    untraced: 'every 5 minutes, mostly finding nothing; its findings are a metric, a log line and the health page',
    // Query: the staff directory and a ticket's first event (the table); new tickets (gsi4) and counted events
    // (gsi7). GetItem: a ticket whose acknowledgement is missing. BatchGetItem: markers, send claims, events.
    tableActions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'],
    queryIndexes: ['gsi4', 'gsi7'],
    // Stuck work goes back to the consumer that should have done it.
    sendsTo: ['routing', 'notify', 'stats'],
  },
  {
    name: 'sync-staff',
    expression: 'rate(5 minutes)',
    everyMs: 5 * 60_000,
    handler: 'sync-staff',
    untraced: 'every 5 minutes, one Query and the user pool list; its log line names what changed',
    // The staff directory: one Query of its partition, a Put per changed person.
    tableActions: ['dynamodb:Query', 'dynamodb:PutItem'],
    queryIndexes: [],
    readsUserPool: true,
    notInSandbox:
      'the sandbox has no user pool: its roster (sandbox/staff-roster.json) and every staff token it mints write the directory instead',
  },
];
