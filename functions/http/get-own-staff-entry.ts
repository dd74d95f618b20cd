// GET /staff/me — your own entry: teams, role, availability, which mails you get (the console's profile).
import { getOwnEntry } from '#shared/domain/staff/staff-services.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({}, async ({ identity }) => ({ status: 200, body: await getOwnEntry(staffDeps(), identity) }));
