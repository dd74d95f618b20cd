// Retention consumer (invoked by the bus, no queue: queues.ts): when a ticket is closed, its history gets the
// ticket's deletion date.

import { applyRetention } from '#shared/domain/privacy/apply-retention.ts';
import { busEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = busEventConsumer(async (event) => {
  const { items } = await applyRetention(ticketDeps(), event.detail.ticketId);
  logger.info('retention applied', { ticketId: event.detail.ticketId, eventId: event.detail.id, items });
});
