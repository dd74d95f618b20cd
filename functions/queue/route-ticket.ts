// Routing queue consumer: gives each ticket that needs one an agent of its team, the batch's tickets together
// (shared/domain/routing/route-ticket.ts reads each team's loads once a batch).

import { routeTickets } from '#shared/domain/routing/route-ticket.ts';
import { ticketEventBatchConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = ticketEventBatchConsumer(async (events) => {
  const results = await routeTickets(
    ticketDeps(),
    events.map((event) => event.detail.ticketId),
  );
  for (const [index, result] of results.entries()) {
    if (result.status !== 'fulfilled') continue;
    const { detail } = events[index]!;
    logger.info('routed', {
      ticketId: detail.ticketId,
      eventId: detail.id,
      outcome: result.value.outcome,
      ...(result.value.outcome === 'assigned' ? { agent: result.value.agent } : { reason: result.value.reason }),
    });
  }
  return results;
});
