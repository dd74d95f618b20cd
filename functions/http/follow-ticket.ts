// PUT /tickets/{id}/followers/me — follow a ticket (staff): its comments and status changes are mailed to you.
// DELETE /tickets/{id}/followers/me — stop following it. One function for both methods of the one resource.
import { setFollowing } from '#shared/domain/tickets/follow-ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters, method }) => {
  const ticket = await setFollowing(ticketDeps(), identity, ticketIdFrom(pathParameters), method !== 'DELETE');
  return { status: 200, body: ticket, headers: ticketHeaders(ticket) };
});
