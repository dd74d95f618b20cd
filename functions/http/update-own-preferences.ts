// PATCH /staff/me — turn kinds of staff mail on or off, choose the language of staff mail.

import { ownPreferencesSchema } from '#shared/domain/staff/staff.ts';
import { updateOwnPreferences } from '#shared/domain/staff/staff-services.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({ body: ownPreferencesSchema }, async ({ identity, body }) => ({
  status: 200,
  body: await updateOwnPreferences(staffDeps(), identity, body),
}));
