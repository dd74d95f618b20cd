// POST /macros — a shared macro (leads, admins) or a personal one (any staff member).
import { createMacroSchema } from '#shared/config/config-schema.ts';
import { createMacro } from '#shared/domain/macros/macros.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroHeaders } from '#shared/http/macro-http.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

export const handler = httpHandler({ body: createMacroSchema }, async ({ identity, body }) => {
  const macro = await createMacro(macroDeps(), identity, body);
  return { status: 201, body: macro, headers: { location: `/macros/${macro.id}`, ...macroHeaders(macro) } };
});
