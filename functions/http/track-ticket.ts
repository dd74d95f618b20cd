// GET /track/{token} — a ticket through its signed tracking link: JSON, or a page for a browser.
import { signingKey } from '#shared/adapters/signing-key.ts';
import { trackTicket } from '#shared/domain/access/track-ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { trackingLinkRoute } from '#shared/http/signed-link.ts';
import { renderTrackingPage } from '#shared/http/tracking-page.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false }, async ({ pathParameters, headers }) => {
  const deps = ticketDeps();
  return trackingLinkRoute(async () => {
    const ticket = await trackTicket(deps, await signingKey(), pathParameters.token ?? '');
    const secure = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
    if (/text\/html/.test(headers.accept ?? ''))
      return {
        status: 200,
        text: renderTrackingPage(ticket, deps.config.organisation.timeZone),
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          ...secure,
        },
      };
    return { status: 200, body: ticket, headers: secure };
  });
});
