// GET /admin/organisation — the configuration as it stands, where each part is set, the closed days of the
// coming year, and the categories nobody can be given now (leads and administrators).
import { organisationView } from '#shared/domain/people/organisation.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({}, async ({ identity }) => ({ status: 200, body: await organisationView(staffDeps(), identity) }));
