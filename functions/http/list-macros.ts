// GET /macros — the macros the caller may apply: the desk's defaults and shared ones, and their own.
import { listMacros } from '#shared/domain/macros/macros.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { macroDeps } from '#shared/wiring/macro-deps.ts';

export const handler = httpHandler({}, async ({ identity }) => ({ status: 200, body: { items: await listMacros(macroDeps(), identity) } }));
