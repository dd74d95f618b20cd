// Routing queue consumer: gives each ticket that needs one an agent of its team.
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { routeTicket } from '#shared/domain/route-ticket.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';

export const handler = ticketEventConsumer(async (event) => {
  const result = await routeTicket(ticketDeps(), event.detail.ticketId);
  logger.info('routed', {
    ticketId: event.detail.ticketId,
    eventId: event.detail.id,
    outcome: result.outcome,
    ...(result.outcome === 'assigned' ? { agent: result.agent } : { reason: result.reason }),
  });
});
