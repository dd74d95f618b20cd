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
};

export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    name: 'check-sla',
    expression: 'rate(1 minute)',
    everyMs: 60_000,
    handler: 'check-sla',
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
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
];
