// GET /admin/people — everyone the staff directory knows, active or not, with their address (administrators).
import { listPeople } from '#shared/domain/people/manage-people.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({}, async ({ identity }) => ({ status: 200, body: { items: await listPeople(staffDeps(), identity) } }));
