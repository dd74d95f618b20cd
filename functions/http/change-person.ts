// PATCH /admin/people/{id} — role, teams, disable or re-enable; each change audited; never the last
// administrator (administrators).
import { changePerson } from '#shared/domain/people/manage-people.ts';
import { personChangeSchema } from '#shared/domain/people/people.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { personIdFrom } from '#shared/http/people-http.ts';
import { peopleDeps } from '#shared/wiring/people-deps.ts';

export const handler = httpHandler({ body: personChangeSchema }, async ({ identity, body, pathParameters }) => ({
  status: 200,
  body: await changePerson(peopleDeps(), identity, personIdFrom(pathParameters), body),
}));
