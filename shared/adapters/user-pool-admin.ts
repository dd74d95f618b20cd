// The desk's administration of the Cognito user pool (the People screen): invite (AdminCreateUser, which
// mails a temporary password, then AdminAddUserToGroup), move between staff groups, set `custom:teams`,
// disable and enable. Each function gets exactly the actions of its route (routes.ts `userPool`).
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserPoolAdmin } from '#shared/domain/people/people.ts';

/** The user pool's custom attribute that holds a person's teams, comma-separated. */
export const TEAMS_CLAIM = 'custom:teams';

let client: CognitoIdentityProviderClient | undefined;
const cognito = () => (client ??= new CognitoIdentityProviderClient({ maxAttempts: 5 }));

export const createCognitoPoolAdmin = (userPoolId: string, sdk: CognitoIdentityProviderClient = cognito()): UserPoolAdmin => ({
  async invite(invitation) {
    let created: string | undefined;
    try {
      // The address is the user name (the pool signs people in by address); Cognito mails the invitation.
      const { User } = await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: invitation.email,
          UserAttributes: [
            { Name: 'email', Value: invitation.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: invitation.name },
            { Name: TEAMS_CLAIM, Value: invitation.teams.join(',') },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      created = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? User?.Username;
      if (!created) throw new Error('AdminCreateUser answered without the new user');
      await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: created, GroupName: invitation.role }));
      return { id: created };
    } catch (error) {
      if (error instanceof UsernameExistsException) return 'email-in-use';
      // Created but not put in a group: take the account away again, so a second try starts clean.
      if (created) await sdk.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: created })).catch(() => undefined);
      throw error;
    }
  },

  async setRole(id, from, to) {
    // Into the new group first: a failure between the two calls leaves the person with both, and the
    // higher counts, rather than with no staff group at all.
    await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: id, GroupName: to }));
    await sdk.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: id, GroupName: from }));
  },

  async setTeams(id, teams) {
    await sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: userPoolId,
        Username: id,
        UserAttributes: [{ Name: TEAMS_CLAIM, Value: teams.join(',') }],
      }),
    );
  },

  async setEnabled(id, enabled) {
    await sdk.send(
      enabled
        ? new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: id })
        : new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: id }),
    );
  },
});
