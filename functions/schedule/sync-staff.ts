// Every five minutes: the staff directory follows the user pool. New staff (invited and put in a group)
// are added, changed roles and teams updated, and people removed from their group, deleted or disabled are
// taken out of routing. Staff also reach the directory at once when they first open the console (GET /staff/me).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { listPoolStaff, USER_POOL_ID_ENV } from '#shared/adapters/user-pool-staff.ts';
import { type ReconcileResult, reconcileStaff } from '#shared/domain/staff/staff-services.ts';
import { metrics } from '#shared/metrics.ts';
import { logger, observed } from '#shared/observability.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = observed<ScheduledEvent, ReconcileResult>().handler(async () => {
  const userPoolId = process.env[USER_POOL_ID_ENV];
  if (!userPoolId) throw new Error(`${USER_POOL_ID_ENV} is not set`);
  const result = await reconcileStaff(staffDeps(), await listPoolStaff(userPoolId));
  if (result.deactivated > 0) metrics.addMetric('StaffDeactivated', MetricUnit.Count, result.deactivated);
  logger.info('staff directory reconciled', result);
  return result;
});
