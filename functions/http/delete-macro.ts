// DELETE /macros/{id} — remove a shared or personal macro (If-Match); what it already did stays in the history.
import { deleteMacro } from '#shared/domain/macros/macros.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroIdFrom } from '#shared/http/macro-http.ts';
import { ifMatchVersion } from '#shared/http/ticket-http.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters, headers }) => {
  await deleteMacro(macroDeps(), identity, macroIdFrom(pathParameters), ifMatchVersion(headers));
  return { status: 204 };
});
