// The one definition of the scheduled jobs: CDK creates an EventBridge schedule for each, the sandbox
// runs each on a timer (and on `POST /_local/run/<name>`).
import type { TableAction } from '#shared/http/routes.ts';

export type ScheduleSpec = {
  name: string;
  /** EventBridge schedule expression. */
  expression: string;
  /** The same period in ms, for the sandbox's timer. */
  everyMs: number;
  /** Module under `functions/schedule/`, without the extension. */
  handler: string;
  tableActions: TableAction[];
};

export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    name: 'check-sla',
    expression: 'rate(1 minute)',
    everyMs: 60_000,
    handler: 'check-sla',
    tableActions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
  },
];
