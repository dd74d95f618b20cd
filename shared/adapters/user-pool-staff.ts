// The user pool's side of the staff directory: every member of a staff group (agent, lead, admin), with
// the attributes the directory mirrors. Read by the scheduled reconciliation (functions/schedule/sync-staff).
import { CognitoIdentityProviderClient, ListUsersInGroupCommand, type UserType } from '@aws-sdk/client-cognito-identity-provider';
import { roleOfGroups } from '#shared/domain/access/identity.ts';
import { type PoolPerson, STAFF_ROLES } from '#shared/domain/staff/staff.ts';

export const USER_POOL_ID_ENV = 'USER_POOL_ID';

let client: CognitoIdentityProviderClient | undefined;
const cognito = () => (client ??= new CognitoIdentityProviderClient({ maxAttempts: 5 }));

const attribute = (user: UserType, name: string) => user.Attributes?.find((candidate) => candidate.Name === name)?.Value;

/** Every user of one group, page by page (60 a page, Cognito's maximum). */
const membersOf = async (userPoolId: string, group: string): Promise<UserType[]> => {
  const users: UserType[] = [];
  let token: string | undefined;
  do {
    const page = await cognito().send(
      new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, Limit: 60, NextToken: token }),
    );
    users.push(...(page.Users ?? []));
    token = page.NextToken;
  } while (token);
  return users;
};

/** The pool's staff as the directory needs them: a person in several staff groups has the most powerful role. */
export const listPoolStaff = async (userPoolId: string): Promise<PoolPerson[]> => {
  const groupsOf = new Map<string, { user: UserType; groups: string[] }>();
  for (const group of STAFF_ROLES)
    for (const user of await membersOf(userPoolId, group)) {
      const sub = attribute(user, 'sub') ?? user.Username;
      if (!sub) continue;
      const entry = groupsOf.get(sub) ?? { user, groups: [] };
      entry.groups.push(group);
      groupsOf.set(sub, entry);
    }
  return [...groupsOf.entries()].map(([id, { user, groups }]) => ({
    id,
    name: attribute(user, 'name'),
    email: attribute(user, 'email'),
    role: roleOfGroups(groups),
    teams: (attribute(user, 'custom:teams') ?? '')
      .split(',')
      .map((team) => team.trim())
      .filter(Boolean),
    enabled: user.Enabled !== false,
  }));
};
