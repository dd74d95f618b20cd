// The export worker's handler, invoked asynchronously: an event it cannot run fails the invocation (thrown), so
// Lambda retries it and then hands it to the invocations dead-letter queue, instead of being dropped.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '#functions/queue/export-tickets.ts';

const context = { getRemainingTimeInMillis: () => 900_000, functionName: 'export-tickets' } as unknown as Context;

describe('export-tickets handler', () => {
  it.each([[{}], [{ exportId: '' }], [{ exportId: '01JEXPORT', extra: true }], [null]])('fails the invocation on %j', async (input) => {
    // Act
    const run = handler(input, context);

    // Assert
    await expect(run).rejects.toThrow();
  });
});
