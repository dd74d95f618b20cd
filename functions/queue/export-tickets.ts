// Export worker, invoked asynchronously (queues.ts `invocation: 'async'`): one run of an export per invocation
// `{"exportId": …}`. The run stops a minute before the function's time is up and invokes the worker for the next
// run; if it dies anyway, Lambda retries the invocation and the export resumes from its last uploaded part, and
// after the retries its record goes to the invocations dead-letter queue.
import { runExport } from '#shared/domain/portability/export-tickets.ts';
import * as z from '#shared/domain/zod.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { exportDeps } from '#shared/wiring/export-deps.ts';

const runSchema = /* @__PURE__ */ z.schema(() => z.strictObject({ exportId: z.string().check(z.minLength(1), z.maxLength(64)) }));

export const handler = observed<unknown, void>().handler(async (input, context) => {
  try {
    const { exportId } = runSchema.parse(input);
    const outcome = await runExport(exportDeps(), exportId, () => context.getRemainingTimeInMillis());
    logger.info('export run', { exportId, outcome });
  } catch (error) {
    // Thrown again: Lambda retries the run, then hands the event to the on-failure destination.
    const exportId = (input as { exportId?: unknown } | null)?.exportId;
    logger.error('export run failed', { exportId: typeof exportId === 'string' ? exportId : undefined, error: errorForLog(error) });
    throw error;
  }
});
