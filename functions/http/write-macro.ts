// PUT /macros/{id} — replace a shared or personal macro; DELETE /macros/{id} — remove it (what it already did
// stays in the history). If-Match names the version edited. One function for both methods of the one resource.
import { macroSchema } from '#shared/config/config-schema.ts';
import { deleteMacro, updateMacro } from '#shared/domain/macros/macros.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroHeaders, macroIdFrom } from '#shared/http/macro-http.ts';
import { ifMatchVersion } from '#shared/http/ticket-http.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

// A DELETE carries no body; a PUT must (the body's checks run for it alone).
export const handler = httpHandler(
  { body: macroSchema, noBodyFor: ['DELETE'] },
  async ({ identity, body, pathParameters, headers, method }) => {
    const id = macroIdFrom(pathParameters);
    if (method === 'DELETE') {
      await deleteMacro(macroDeps(), identity, id, ifMatchVersion(headers));
      return { status: 204 };
    }
    const macro = await updateMacro(macroDeps(), identity, id, body, ifMatchVersion(headers));
    return { status: 200, body: macro, headers: macroHeaders(macro) };
  },
);
