// POST /csat/{token} — records a vote: the rating page's form (application/x-www-form-urlencoded, no script
// needed) or JSON, the rating and an optional comment. The only way a rating link records anything (its GET
// only shows the choice). Answers the thank-you page for a form, JSON otherwise.
import { signingKey } from '#shared/adapters/signing-key.ts';
import { emitCsatRating } from '#shared/business-metrics.ts';
import { csatBodySchema, rateTicket } from '#shared/domain/csat/csat.ts';
import { CSAT_PAGE_HEADERS, renderCsatPage } from '#shared/http/csat-page.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ratingLinkRoute } from '#shared/http/signed-link.ts';
import { metrics } from '#shared/metrics.ts';
import { logger } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false, body: csatBodySchema, form: true }, async ({ pathParameters, body, headers }) => {
  const token = pathParameters.token ?? '';
  const fromForm = /^application\/x-www-form-urlencoded/i.test((headers['content-type'] ?? '').trim());
  return ratingLinkRoute(async () => {
    // The form's empty comment box means "no comment" and clears an earlier one; JSON without a comment
    // field keeps it.
    const comment = body.comment ?? (fromForm ? '' : undefined);
    const result = await rateTicket(ticketDeps(), await signingKey(), token, { rating: body.rating, comment });
    logger.info('csat', { outcome: result.outcome, rating: result.rating, commented: result.commented });
    if (result.outcome !== 'unchanged') emitCsatRating(metrics, result.rating);
    if (fromForm) return { status: 200, text: renderCsatPage(result, token, result.commented), headers: { ...CSAT_PAGE_HEADERS } };
    return { status: 200, body: result, headers: { 'cache-control': 'no-store' } };
  });
});
