// The export's way to its worker: an asynchronous invocation (no queue), of the worker the route is told about
// (EXPORT_FUNCTION_NAME) or, in the worker continuing itself, of the function running.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FUNCTION_NAME_ENV, scheduleExportRun } from '#shared/adapters/export-worker.ts';

const lambda = mockClient(LambdaClient);
const WORKER = 'Helpdesk-dev-Stateless-EventsExportTicketsFunct-AbC123';

beforeEach(() => {
  lambda.reset();
  delete process.env[EXPORT_FUNCTION_NAME_ENV];
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});
afterEach(() => {
  delete process.env[EXPORT_FUNCTION_NAME_ENV];
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});

const invocations = () =>
  lambda.commandCalls(InvokeCommand).map((call) => {
    const { FunctionName, InvocationType, Payload } = call.args[0].input;
    return { FunctionName, InvocationType, payload: JSON.parse(Buffer.from(Payload as Uint8Array).toString('utf8')) };
  });

describe('scheduleExportRun', () => {
  it('invokes the export worker asynchronously with the export id', async () => {
    // Arrange
    process.env[EXPORT_FUNCTION_NAME_ENV] = WORKER;
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    // Act
    await scheduleExportRun('01JEXPORT0000000000000000');

    // Assert
    expect(invocations()).toEqual([{ FunctionName: WORKER, InvocationType: 'Event', payload: { exportId: '01JEXPORT0000000000000000' } }]);
  });

  it('in the worker, invokes the function running (its next run)', async () => {
    // Arrange
    process.env.AWS_LAMBDA_FUNCTION_NAME = WORKER;
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    // Act
    await scheduleExportRun('01JEXPORT0000000000000001');

    // Assert
    expect(invocations().map((invocation) => invocation.FunctionName)).toEqual([WORKER]);
  });

  it('fails, so the export is not reported started, when Lambda did not take the event or no worker is named', async () => {
    // Arrange
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });

    // Act
    const unnamed = scheduleExportRun('01JEXPORT0000000000000002');
    process.env[EXPORT_FUNCTION_NAME_ENV] = WORKER;
    const refused = scheduleExportRun('01JEXPORT0000000000000003');

    // Assert
    await expect(unnamed).rejects.toThrow('EXPORT_FUNCTION_NAME is not set');
    await expect(refused).rejects.toThrow('Lambda did not accept the export run (status 200)');
  });
});
