// Incidents queue consumer: a major incident's public reply or resolution, written to each of its children
// (shared/domain/tickets/major-incident.ts). A failed write fails the message, which is received again (the
// children already written are not written twice), then dead-lettered.
import { propagateIncident } from '#shared/domain/tickets/major-incident.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { incidentDeps } from '#shared/wiring/incident-deps.ts';

export const handler = ticketEventConsumer(async (event) => {
  const outcome = await propagateIncident(incidentDeps(), event.detail);
  // Ids, the type and counts only: never the words.
  if (outcome.children > 0)
    logger.info('incident propagated', { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type, ...outcome });
});
