// POST /admin/people — invites a person by address with a role and teams: an account in the user pool (on
// AWS Cognito mails a temporary password), in the directory at once, audited (administrators).
import { invitePerson } from '#shared/domain/people/manage-people.ts';
import { inviteSchema } from '#shared/domain/people/people.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { peopleDeps } from '#shared/wiring/people-deps.ts';

export const handler = httpHandler({ body: inviteSchema }, async ({ identity, body }) => {
  const person = await invitePerson(peopleDeps(), identity, body);
  return { status: 201, body: person, headers: { location: `/admin/people/${encodeURIComponent(person.id)}` } };
});
