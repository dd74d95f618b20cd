// Hands an export to a run of its worker: an asynchronous invocation (Lambda's InvocationType Event) of the export
// worker with `{"exportId": …}`. Lambda keeps the event, retries a failed run twice and then puts its record in the
// consumers' on-failure dead-letter queue (queues.ts, `invocation: 'async'`): no queue is polled all month for a job a
// desk runs a few times a year. The route that starts an export names the worker by EXPORT_FUNCTION_NAME (set by
// CDK); the worker continuing itself is the function running (AWS_LAMBDA_FUNCTION_NAME, set by Lambda). The sandbox
// sets EXPORT_FUNCTION_NAME and its Lambda stand-in (sandbox/lambda-local.ts) keeps the event on a durable local queue.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

export const EXPORT_FUNCTION_NAME_ENV = 'EXPORT_FUNCTION_NAME';

let client: LambdaClient | undefined;

export const scheduleExportRun = async (exportId: string): Promise<void> => {
  const functionName = process.env[EXPORT_FUNCTION_NAME_ENV] ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (!functionName) throw new Error(`${EXPORT_FUNCTION_NAME_ENV} is not set`);
  client ??= new LambdaClient({ maxAttempts: 5 });
  const { StatusCode } = await client.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ exportId })) }),
  );
  // 202: Lambda has the event. Anything else means it does not, and the caller must not report the export started.
  if (StatusCode !== 202) throw new Error(`Lambda did not accept the export run (status ${StatusCode})`);
};
