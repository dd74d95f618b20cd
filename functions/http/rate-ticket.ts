// GET /csat/{token}?rating=n — a rating link from the "resolved" mail, opened. Records nothing (mail scanners
// open every link in a mail): it answers the choice with that rating preselected, as a page with a form whose
// POST (functions/http/comment-rating.ts) records the vote, or as JSON when the client does not ask for HTML.
import { signingKey } from '#shared/adapters/signing-key.ts';
import { csatQuerySchema, previewRating } from '#shared/domain/csat/csat.ts';
import { CSAT_PAGE_HEADERS, renderCsatChoice } from '#shared/http/csat-page.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ratingLinkRoute, SIGNED_LINK_HEADERS } from '#shared/http/signed-link.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false, query: csatQuerySchema }, async ({ pathParameters, query, headers }) => {
  const token = pathParameters.token ?? '';
  return ratingLinkRoute(async () => {
    const choice = await previewRating(ticketDeps(), await signingKey(), token, query.rating);
    if (/text\/html/.test(headers.accept ?? ''))
      return { status: 200, text: renderCsatChoice(choice, token), headers: { ...CSAT_PAGE_HEADERS } };
    return { status: 200, body: choice, headers: SIGNED_LINK_HEADERS };
  });
});
