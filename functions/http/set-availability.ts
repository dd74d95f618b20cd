// PUT /staff/{id}/availability — in or out of routing, at once and without a deploy: yourself (`me`), a
// lead the people of their teams, an admin anyone.

import { availabilitySchema } from '#shared/domain/staff/staff.ts';
import { setAvailability } from '#shared/domain/staff/staff-services.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({ body: availabilitySchema }, async ({ identity, body, pathParameters }) => {
  const member = await setAvailability(staffDeps(), identity, decodeURIComponent(pathParameters.id ?? ''), body.available);
  const { id, name, role, teams, available, active } = member;
  return { status: 200, body: { id, name, role, teams, available, active } };
});
