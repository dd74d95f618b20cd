// The user pool's side of erasure's identity links (shared/domain/privacy/erase-requester.ts): a sign-in
// account's verified address and number, and the accounts whose verified address or number is one the desk
// knows. One ListUsers call with an exact filter per id (cognito-idp:ListUsers on the pool, nothing else).
// Filter values are built only from ids of a strict shape, so nothing can change the filter.
import { CognitoIdentityProviderClient, ListUsersCommand, type UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityLinks } from '#shared/domain/privacy/erase-requester.ts';
import { emailRequesterId } from '#shared/domain/tickets/create-ticket.ts';

let client: CognitoIdentityProviderClient | undefined;
const cognito = () => (client ??= new CognitoIdentityProviderClient({ maxAttempts: 5 }));

const attribute = (user: UserType, name: string) => user.Attributes?.find((candidate) => candidate.Name === name)?.Value;

const SUB = /^[0-9A-Za-z-]{1,128}$/;
const EMAIL = /^[^\s"\\@]{1,64}@[^\s"\\@]{1,255}$/;
const PHONE = /^\+[0-9]{6,15}$/;

const usersWhere = async (userPoolId: string, filter: string): Promise<UserType[]> =>
  (await cognito().send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: filter, Limit: 60 }))).Users ?? [];

export const userPoolLinks = (userPoolId: string, country: string): IdentityLinks => ({
  async linkedTo(requesterId) {
    if (requesterId.startsWith('email:')) {
      const address = requesterId.slice('email:'.length);
      if (!EMAIL.test(address)) return [];
      const users = await usersWhere(userPoolId, `email = "${address}"`);
      return users.filter((user) => attribute(user, 'email_verified') === 'true').flatMap((user) => attribute(user, 'sub') ?? []);
    }
    if (requesterId.startsWith('phone:')) {
      const number = requesterId.slice('phone:'.length);
      if (!PHONE.test(number)) return [];
      const users = await usersWhere(userPoolId, `phone_number = "${number}"`);
      return users.filter((user) => attribute(user, 'phone_number_verified') === 'true').flatMap((user) => attribute(user, 'sub') ?? []);
    }
    if (!SUB.test(requesterId)) return [];
    const [user] = await usersWhere(userPoolId, `sub = "${requesterId}"`);
    if (!user) return [];
    const email = attribute(user, 'email_verified') === 'true' ? attribute(user, 'email') : undefined;
    const phone = attribute(user, 'phone_number_verified') === 'true' ? attribute(user, 'phone_number') : undefined;
    // The phone parser is a lazy module (infra/constructs/function-bundling.ts).
    return [
      ...(email ? [emailRequesterId(email)] : []),
      ...(phone ? [(await import('#shared/domain/tickets/phone-number.ts')).phoneRequesterId(phone, country)] : []),
    ];
  },
});
