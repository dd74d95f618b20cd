// The functions' log lines as CloudWatch Logs Insights reads them (docs/operations.md queries level, message,
// function_request_id and the line's own fields), and the business metrics flushed by the chain of a function
// that records them.
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#shared/metrics.ts';
import { logger, observed } from '#shared/observability.ts';
import { captureLogs } from '#test/fixtures/capture-logs.ts';

// Metrics on, as on Lambda: Powertools Metrics reads it when it is made, at import.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

const context = (requestId: string) =>
  ({
    awsRequestId: requestId,
    functionName: 'helpdesk-get-ticket',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:helpdesk-get-ticket',
    memoryLimitInMB: '256',
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

const linesOf = (written: string) =>
  written
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the logger', () => {
  it('writes one JSON line with the invocation it belongs to, cold only the first time, and the line’s own fields', async () => {
    // Arrange
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1');
    const handler = observed<{ ticketId: string }, void>().handler(async (event) => {
      logger.info('ticket read', { ticketId: event.ticketId });
    });
    const written = captureLogs();

    // Act
    await handler({ ticketId: 'T1' }, context('req-1'));
    await handler({ ticketId: 'T2' }, context('req-2'));

    // Assert
    const [first, second] = linesOf(written());
    expect(first).toEqual({
      level: 'INFO',
      message: 'ticket read',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'helpdesk',
      cold_start: true,
      function_arn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:helpdesk-get-ticket',
      function_memory_size: 256,
      function_name: 'helpdesk-get-ticket',
      function_request_id: 'req-1',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      ticketId: 'T1',
    });
    expect(second).toMatchObject({ cold_start: false, function_request_id: 'req-2', ticketId: 'T2' });
  });

  it('writes what is at or above its level, warnings and errors to stderr, and Lambda’s own log level wins', () => {
    // Arrange
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    logger.debug('not at WARN');
    logger.info('not at WARN either');
    logger.warn('a warning', { count: 2 });
    logger.error('an error');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');
    logger.warn('not at ERROR');

    // Assert
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr.mock.calls.map(([text]) => JSON.parse(String(text)).message)).toEqual(['a warning', 'an error']);
  });

  it('writes nothing at SILENT (the tests’ level), and indents for people reading a terminal with POWERTOOLS_DEV', () => {
    // Arrange
    const written = captureLogs();

    // Act
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    logger.error('silenced');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    logger.info('readable');

    // Assert
    expect(written()).not.toContain('silenced');
    expect(written()).toMatch(/^\{\n {4}"level": "INFO",\n {4}"message": "readable",/);
  });

  it('writes a line whose fields JSON cannot write, without failing the caller', () => {
    // Arrange
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const written = captureLogs();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    // Act
    logger.info('odd fields', { cyclic, big: 10n, count: 1 });

    // Assert
    expect(linesOf(written())[0]).toMatchObject({
      message: 'odd fields',
      cyclic: '(not serialisable)',
      big: '(not serialisable)',
      count: 1,
    });
  });
});

describe('the business metrics', () => {
  it('are flushed as one EMF line at the end of an invocation of a function that records them', async () => {
    // Arrange: shared/metrics.ts is imported above, so every chain made from here on flushes it
    const handler = observed<unknown, void>().handler(async () => {
      metrics.addMetric('TicketCreated', 'Count', 1);
    });
    const written = captureLogs();

    // Act
    await handler({}, context('req-metrics'));

    // Assert
    const emf = linesOf(written()).filter((line) => '_aws' in line);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      TicketCreated: 1,
      service: 'helpdesk',
      _aws: { CloudWatchMetrics: [{ Namespace: 'Helpdesk', Metrics: [{ Name: 'TicketCreated', Unit: 'Count' }] }] },
    });
  });

  it('are published by an invocation that fails, and nothing at all is written by one that records none', async () => {
    // Arrange
    const failing = observed<unknown, void>().handler(async () => {
      metrics.addMetric('WebhookFailed', 'Count', 1);
      throw new Error('receiver down');
    });
    const quiet = observed<unknown, void>().handler(async () => {});
    const written = captureLogs();

    // Act
    await expect(failing({}, context('req-failing'))).rejects.toThrow('receiver down');
    const afterFailure = written();
    await quiet({}, context('req-quiet'));

    // Assert
    expect(linesOf(afterFailure).filter((line) => '_aws' in line)).toMatchObject([{ WebhookFailed: 1 }]);
    expect(written()).toBe(afterFailure);
  });
});
