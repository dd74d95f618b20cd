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
];
