// PUT /macros/{id} — replace a shared or personal macro; If-Match names the version edited.
import { macroSchema } from '#shared/config/config-schema.ts';
import { updateMacro } from '#shared/domain/macros/macros.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroHeaders, macroIdFrom } from '#shared/http/macro-http.ts';
import { ifMatchVersion } from '#shared/http/ticket-http.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

export const handler = httpHandler({ body: macroSchema }, async ({ identity, body, pathParameters, headers }) => {
  const macro = await updateMacro(macroDeps(), identity, macroIdFrom(pathParameters), body, ifMatchVersion(headers));
  return { status: 200, body: macro, headers: macroHeaders(macro) };
});
