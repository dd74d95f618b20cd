// GET /admin/people/{id}/history — one person's audit trail: who changed what, when, from where (administrators).
import { personHistory } from '#shared/domain/people/manage-people.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { personIdFrom } from '#shared/http/people-http.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => ({
  status: 200,
  body: { items: await personHistory(staffDeps(), identity, personIdFrom(pathParameters)) },
}));
