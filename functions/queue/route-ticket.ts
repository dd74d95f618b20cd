// Routing queue consumer: gives each ticket that needs one an agent of its team.

import { routeTicket } from '#shared/domain/routing/route-ticket.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = ticketEventConsumer(async (event) => {
  const result = await routeTicket(ticketDeps(), event.detail.ticketId);
  logger.info('routed', {
    ticketId: event.detail.ticketId,
    eventId: event.detail.id,
    outcome: result.outcome,
    ...(result.outcome === 'assigned' ? { agent: result.agent } : { reason: result.reason }),
  });
});
