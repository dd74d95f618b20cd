// The chain of a consumer the bus invokes itself (queues.ts `invocation: 'async'`): one bus event a call, validated
// before anything is done; a failure is logged by ids and kind only and thrown, so Lambda retries the invocation
// and then hands the event to the on-failure destination.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busEventConsumer } from '#shared/events/sqs-consumer.ts';
import type { TicketBusEvent } from '#shared/events/ticket-bus-event.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { captureLogs } from '#test/fixtures/capture-logs.ts';
import { busRecord, statusChanged } from '#test/fixtures/notifications.ts';

// The most talkative level from the start: the logger reads it when the modules load.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

afterEach(() => vi.restoreAllMocks());

/** The bus event as EventBridge hands it to a Lambda target (the body of the SQS record, without the record). */
const busEvent = () => JSON.parse(busRecord(statusChanged('resolved', 'closed')).body) as Record<string, unknown>;

describe('busEventConsumer', () => {
  it('hands the validated ticket event to the consumer, once', async () => {
    // Arrange
    const seen: TicketBusEvent[] = [];
    const handler = busEventConsumer(async (event) => void seen.push(event));
    const event = busEvent();

    // Act
    await handler(event, lambdaContext());

    // Assert
    expect(seen.map((item) => [item.id, item['detail-type'], item.detail.type])).toEqual([[event.id, 'StatusChanged', 'StatusChanged']]);
  });

  it('throws a failure (for Lambda to retry) and logs the event id and the kind, never the words', async () => {
    // Arrange
    const logs = captureLogs();
    const handler = busEventConsumer(async () => {
      throw new Error('DynamoDB said no about "Printer rusak di ruang guru"');
    });
    const invalid = busEventConsumer(async () => undefined);
    const event = busEvent();

    // Act
    const failed = await handler(event, lambdaContext()).catch((error: Error) => error.message);
    const refused = await invalid({ ...event, 'detail-type': 'NoSuchEvent' }, lambdaContext()).catch((error: Error) => error.name);

    // Assert
    expect(failed).toBe('DynamoDB said no about "Printer rusak di ruang guru"');
    expect(refused).toBe('InvalidMessageError');
    expect(logs()).toContain(String(event.id));
    expect(logs()).toContain('event failed');
    expect(logs()).not.toContain('Printer rusak');
  });
});
