// Builds the staff directory's ports once per cold start: the table, the wall clock, the configuration and
// the ids of audit records.
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { StaffDeps } from '#shared/domain/staff/staff-services.ts';

let deps: StaffDeps | undefined;

export const staffDeps = (): StaffDeps =>
  (deps ??= {
    staff: createStaffDirectory(dynamoDocumentClient(), tableName()),
    clock: systemClock,
    config: loadConfig(),
    ids: ulidGenerator(systemClock),
  });
