// PUT /tickets/{id}/csat — the signed-in requester rates their resolved ticket (the web console); the same
// vote as the mail's rating link: the last one wins, for 7 days after the resolution.
import { emitCsatRating } from '#shared/business-metrics.ts';
import { csatBodySchema, rateOwnTicket } from '#shared/domain/csat/csat.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';
import { metrics } from '#shared/metrics.ts';
import { logger } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: csatBodySchema }, async ({ identity, pathParameters, body }) => {
  const result = await rateOwnTicket(ticketDeps(), identity, ticketIdFrom(pathParameters), body);
  logger.info('csat', { outcome: result.outcome, rating: result.rating, commented: result.commented });
  // The dashboard's CSAT widget reads CsatRating, as the mail's rating link records it.
  if (result.outcome !== 'unchanged') emitCsatRating(metrics, result.rating);
  return { status: 200, body: result };
});
