// GET /csat/{token}?rating=n — a one-click rating from the "resolved" mail: records the vote (the last click
// wins) and answers a thank-you page with a comment form, or JSON when the client does not ask for HTML.
import { signingKey } from '#shared/adapters/signing-key.ts';
import { emitCsatRating } from '#shared/business-metrics.ts';
import { CsatLinkRefused, csatQuerySchema, rateTicket } from '#shared/domain/csat/csat.ts';
import { CSAT_PAGE_HEADERS, renderCsatPage } from '#shared/http/csat-page.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { refusedLinkAsNotFound } from '#shared/http/signed-link.ts';
import { logger, metrics } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false, query: csatQuerySchema }, async ({ pathParameters, query, headers }) => {
  const token = pathParameters.token ?? '';
  return refusedLinkAsNotFound(
    CsatLinkRefused,
    'CsatLinkRefused',
    'This rating link does not lead to a ticket: it may have expired (links last 7 days after the resolution).',
    async () => {
      const result = await rateTicket(ticketDeps(), await signingKey(), token, { rating: query.rating });
      logger.info('csat', { outcome: result.outcome, rating: result.rating });
      if (result.outcome !== 'unchanged') emitCsatRating(metrics, result.rating);
      if (/text\/html/.test(headers.accept ?? ''))
        return { status: 200, text: renderCsatPage(result, token), headers: { ...CSAT_PAGE_HEADERS } };
      return { status: 200, body: result, headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
    },
  );
});
