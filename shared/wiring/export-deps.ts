// Builds the export's ports once per cold start: the records on the table, the table read whole, the bucket,
// the export worker's invocations, the wall clock and ULIDs.
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { s3ExportSink } from '#shared/adapters/export-bucket.ts';
import { createExportJobs } from '#shared/adapters/export-jobs.ts';
import { createExportSource } from '#shared/adapters/export-source.ts';
import { scheduleExportRun } from '#shared/adapters/export-worker.ts';
import type { ExportDeps } from '#shared/domain/portability/export-tickets.ts';

let deps: ExportDeps | undefined;

export const exportDeps = (): ExportDeps =>
  (deps ??= {
    jobs: createExportJobs(dynamoDocumentClient(), tableName()),
    source: createExportSource(dynamoDocumentClient(), tableName()),
    sink: s3ExportSink,
    schedule: scheduleExportRun,
    clock: systemClock,
    ids: ulidGenerator(systemClock),
  });
