// GET /macros — the macros the caller may apply: the desk's defaults and shared ones, and their own.
// POST /macros — a shared macro (leads, admins) or a personal one (any staff member). One function for both.
import { createMacroSchema } from '#shared/config/config-schema.ts';
import { createMacro, listMacros } from '#shared/domain/macros/macros.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroHeaders } from '#shared/http/macro-http.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

export const handler = httpHandler({ body: createMacroSchema, noBodyFor: ['GET'] }, async ({ identity, body, method }) => {
  if (method === 'GET') return { status: 200, body: { items: await listMacros(macroDeps(), identity) } };
  const macro = await createMacro(macroDeps(), identity, body);
  return { status: 201, body: macro, headers: { location: `/macros/${macro.id}`, ...macroHeaders(macro) } };
});
