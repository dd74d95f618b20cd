// GET /track/{token} — a ticket through its signed tracking link: JSON, or a page for a browser.
import { signingKey } from '#shared/adapters/signing-key.ts';
import { trackTicket } from '#shared/domain/access/track-ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { SIGNED_LINK_HEADERS, trackingLinkRoute } from '#shared/http/signed-link.ts';
import { renderTrackingPage } from '#shared/http/tracking-page.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ auth: false }, async ({ pathParameters, headers }) => {
  const deps = ticketDeps();
  return trackingLinkRoute(async () => {
    const token = pathParameters.token ?? '';
    const ticket = await trackTicket(deps, await signingKey(), token);
    if (/text\/html/.test(headers.accept ?? ''))
      return {
        status: 200,
        text: renderTrackingPage(ticket, deps.config.organisation.timeZone, token),
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          ...SIGNED_LINK_HEADERS,
        },
      };
    return { status: 200, body: ticket, headers: SIGNED_LINK_HEADERS };
  });
});
