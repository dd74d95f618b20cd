// Exports queue consumer: one run of an export's worker per message `{"exportId": …}`. The run stops a minute
// before the function's time is up and puts the next run's message on the queue; if it dies anyway, the
// message comes back after the visibility timeout and the export resumes from its last uploaded part.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runExport } from '#shared/domain/portability/export-tickets.ts';
import * as z from '#shared/domain/zod.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { exportDeps } from '#shared/wiring/export-deps.ts';

const messageSchema = z.strictObject({ exportId: z.string().check(z.minLength(1), z.maxLength(64)) });

export const handler = observed<SQSEvent, SQSBatchResponse>().handler(async (event, context) => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const { exportId } = messageSchema.parse(JSON.parse(record.body));
      const outcome = await runExport(exportDeps(), exportId, () => context.getRemainingTimeInMillis());
      logger.info('export run', { exportId, outcome });
    } catch (error) {
      logger.error('export run failed', { messageId: record.messageId, error: errorForLog(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
