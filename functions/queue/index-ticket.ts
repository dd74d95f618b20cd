// Search queue consumer: brings the ticket's entry in the search index in line with the ticket as it is now
// (shared/domain/search/index-ticket.ts). A failed write fails the message, which is received again, then
// dead-lettered.
import { indexTicket } from '#shared/domain/search/index-ticket.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { searchDeps } from '#shared/wiring/search-deps.ts';

export const handler = ticketEventConsumer(async (event) => {
  const result = await indexTicket(searchDeps(), event.detail.ticketId);
  // Ids, the type and the outcome only: never the words.
  logger.info('indexed', { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type, ...result });
});
