// Retention queue consumer: when a ticket is closed, its history gets the ticket's deletion date.
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { applyRetention } from '#shared/domain/apply-retention.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';

export const handler = ticketEventConsumer(async (event) => {
  const { items } = await applyRetention(ticketDeps(), event.detail.ticketId);
  logger.info('retention applied', { ticketId: event.detail.ticketId, eventId: event.detail.id, items });
});
