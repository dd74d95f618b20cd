// GET /staff?team= — the people a staff member may see: agents their teams', leads and admins everyone.

import { listStaffQuerySchema } from '#shared/domain/staff/staff.ts';
import { listStaff } from '#shared/domain/staff/staff-services.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({ query: listStaffQuerySchema }, async ({ identity, query }) => ({
  status: 200,
  body: { items: await listStaff(staffDeps(), identity, query) },
}));
