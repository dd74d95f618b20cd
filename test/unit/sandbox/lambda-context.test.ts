// The sandbox runs many invocations at once in one process (Lambda runs one at a time): each log line must still
// name the request it belongs to, however the invocations interleave.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invokeLocally } from '#sandbox/lambda-context.ts';
import { logger, observed } from '#shared/observability.ts';
import { captureLogs } from '#test/fixtures/capture-logs.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('invocations in the sandbox', () => {
  it('name their own request on every line when they overlap', async () => {
    // Arrange: a handler that logs before and after waiting for a step the test releases
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const releases = new Map<string, () => void>();
    const handler = observed<{ ticketId: string }, void>().handler(async (event) => {
      logger.info('reading', { ticketId: event.ticketId });
      await new Promise<void>((resolve) => releases.set(event.ticketId, resolve));
      logger.info('read', { ticketId: event.ticketId });
    });
    const written = captureLogs();

    // Act: the first starts, the second starts, the first ends, then the second
    const first = invokeLocally('get-ticket', 'req-1', undefined, (context) => handler({ ticketId: 'T1' }, context));
    const second = invokeLocally('get-ticket', 'req-2', undefined, (context) => handler({ ticketId: 'T2' }, context));
    await vi.waitFor(() => expect(releases.size).toBe(2));
    releases.get('T1')!();
    await first;
    releases.get('T2')!();
    await second;

    // Assert
    const lines = written()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.message, line.ticketId, line.function_request_id])).toEqual([
      ['reading', 'T1', 'req-1'],
      ['reading', 'T2', 'req-2'],
      ['read', 'T1', 'req-1'],
      ['read', 'T2', 'req-2'],
    ]);
  });
});
