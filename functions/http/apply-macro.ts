// POST /tickets/{id}/macros/{macroId} — a macro's reply and changes as one new version of the ticket
// (If-Match optional); answers the ticket and the events written.
import { applyMacro } from '#shared/domain/macros/apply-macro.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroIdFrom } from '#shared/http/macro-http.ts';
import { ifMatchVersion, ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters, headers }) => {
  const result = await applyMacro(
    macroDeps(),
    identity,
    ticketIdFrom(pathParameters),
    macroIdFrom(pathParameters, 'macroId'),
    ifMatchVersion(headers),
  );
  return { status: 200, body: result, headers: ticketHeaders(result.ticket) };
});
