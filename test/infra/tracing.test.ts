// X-Ray active tracing by monitoring size, decided in one place (HelpdeskFunction): none in `small`, the default
// (every function PassThrough: nothing recorded of its own, so no X-Ray bill), and in `full` every function but the
// frequent bookkeeping that names a reason to run untraced (queues.ts, schedules.ts, the stream publisher).
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { HelpdeskFunction } from '#infra/constructs/helpdesk-function.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { SCHEDULES } from '#shared/events/schedules.ts';
import { HTTP_ROUTES } from '#shared/http/routes.ts';
import { synthTemplates, type Templates } from './build-test-app.ts';
import { resourcesOfType } from './template-queries.ts';

/** Each function of the app (every stack, the nested one included) by its construct id, with its tracing mode. */
const tracingModes = (built: Templates) =>
  Object.fromEntries(
    built.app.node
      .findAll()
      .filter((node): node is HelpdeskFunction => node instanceof HelpdeskFunction)
      .map((fn) => [fn.node.path, ((fn.node.defaultChild as CfnFunction).tracingConfig as CfnFunction.TracingConfigProperty).mode]),
  );

const modesInTemplates = (built: Templates) =>
  [built.statefulTemplate, built.statelessTemplate, built.httpFunctionsTemplate].flatMap((template) =>
    resourcesOfType(template, 'AWS::Lambda::Function').map((fn) => (fn.Properties.TracingConfig as { Mode?: string } | undefined)?.Mode),
  );

describe('X-Ray tracing', () => {
  it('monitoring=small (the default): no function traces actively, so X-Ray records nothing of the desk of its own', () => {
    // Arrange
    const small = synthTemplates();

    // Act
    const modes = tracingModes(small);
    const inTemplates = modesInTemplates(small);

    // Assert: every HTTP function, consumer, job, the stream publisher, inbound mail and the knowledge-base seed.
    expect(Object.keys(modes).length).toBeGreaterThan(HTTP_ROUTES.length);
    expect(new Set(Object.values(modes))).toEqual(new Set(['PassThrough']));
    expect(inTemplates).not.toContain('Active');
  });

  it('monitoring=full: every function traces but the frequent bookkeeping with a reason (stream, minute and five-minute jobs, stats, search, incidents)', () => {
    // Arrange
    const full = synthTemplates({ context: { monitoring: 'full' } });
    const untracedSpecs = [...QUEUES, ...SCHEDULES].filter((spec) => spec.untraced).map((spec) => spec.handler);

    // Act
    const modes = tracingModes(full);
    const passThrough = Object.keys(modes)
      .filter((path) => modes[path] === 'PassThrough')
      .map((path) => path.split('/').at(-1))
      .sort();

    // Assert
    expect(passThrough).toEqual([
      'CheckSlaFunction',
      'IndexTicketFunction',
      'PropagateIncidentFunction',
      'PublishEventsFunction',
      'SweepStuckWorkFunction',
      'SyncStaffFunction',
      'UpdateStatsFunction',
    ]);
    expect(untracedSpecs.sort()).toEqual([
      'check-sla',
      'index-ticket',
      'propagate-incident',
      'sweep-stuck-work',
      'sync-staff',
      'update-stats',
    ]);
    for (const id of [
      'CreateTicketFunction',
      'TelegramWebhookFunction',
      'InboundFunction',
      'NotifyFunction',
      'RouteTicketFunction',
      'SendChatFunction',
      'DetectTrendsFunction',
    ])
      expect(Object.entries(modes).find(([path]) => path.endsWith(`/${id}`))?.[1], id).toBe('Active');
    expect(modesInTemplates(full).filter((mode) => mode === 'Active')).toHaveLength(Object.keys(modes).length - passThrough.length);
  });
});
