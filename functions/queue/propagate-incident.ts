// Incidents consumer (invoked by the bus, no queue: queues.ts): a major incident's public reply or resolution,
// written to each of its children (shared/domain/tickets/major-incident.ts). A failed write fails the invocation,
// which Lambda retries (the children already written are not written twice), then dead-letters.
import { propagateIncident } from '#shared/domain/tickets/major-incident.ts';
import { busEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger } from '#shared/observability.ts';
import { incidentDeps } from '#shared/wiring/incident-deps.ts';

export const handler = busEventConsumer(async (event) => {
  const outcome = await propagateIncident(incidentDeps(), event.detail);
  // Ids, the type and counts only: never the words.
  if (outcome.children > 0)
    logger.info('incident propagated', { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type, ...outcome });
});
