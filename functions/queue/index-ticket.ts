// Search queue consumer: brings the ticket's entry in the search index in line with the ticket as it is now
// (shared/domain/search/index-ticket.ts). A batch's events for one ticket (its creation and assignment, say)
// index it once, since each indexes the ticket as it is now, at least at the newest of their versions. A failed write fails the ticket's messages, which
// are received again, then dead-lettered.
import { type IndexOutcome, indexTicket } from '#shared/domain/search/index-ticket.ts';
import { ticketEventBatchConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { searchDeps } from '#shared/wiring/search-deps.ts';

export const handler = ticketEventBatchConsumer(async (events) => {
  const indexed = new Map<string, Promise<IndexOutcome>>();
  const newest = new Map<string, number>();
  for (const { detail } of events) newest.set(detail.ticketId, Math.max(newest.get(detail.ticketId) ?? 0, detail.version));
  const results: PromiseSettledResult<IndexOutcome>[] = [];
  for (const event of events) {
    const { ticketId } = event.detail;
    if (!indexed.has(ticketId)) indexed.set(ticketId, indexTicket(searchDeps(), ticketId, newest.get(ticketId)));
    try {
      const result = await indexed.get(ticketId)!;
      // Ids, the type and the outcome only: never the words.
      logger.info('indexed', { ticketId, eventId: event.detail.id, type: event.detail.type, ...result });
      results.push({ status: 'fulfilled', value: result });
    } catch (reason) {
      results.push({ status: 'rejected', reason });
    }
  }
  return results;
});
