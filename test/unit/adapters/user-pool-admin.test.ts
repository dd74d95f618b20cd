// The People screen's side of Cognito (aws-sdk-client-mock): an invitation creates the account by address
// with its teams and puts it in the role's group; an address in use is an answer, not an error; a failure
// between the two calls takes the new account away again; role, teams and the account's state map to one
// admin call each (a role to two: into the new group first).
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoPoolAdmin } from '#shared/adapters/user-pool-admin.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const POOL = 'ap-southeast-3_pool';
const admin = () => createCognitoPoolAdmin(POOL, new CognitoIdentityProviderClient({}));
const invitation = { email: 'rudi@sekolah.example', name: 'Rudi Hartono', role: 'agent' as const, teams: ['tata-usaha', 'keuangan'] };

beforeEach(() => cognito.reset());

describe('the Cognito user pool, administered', () => {
  it('invites by address, with name and teams, mails the temporary password, and adds the role’s group by sub', async () => {
    // Arrange
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ User: { Username: 'rudi@sekolah.example', Attributes: [{ Name: 'sub', Value: 'sub-rudi' }] } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    // Act
    const created = await admin().invite(invitation);

    // Assert
    expect(created).toEqual({ id: 'sub-rudi' });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'rudi@sekolah.example',
      UserAttributes: [
        { Name: 'email', Value: 'rudi@sekolah.example' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Rudi Hartono' },
        { Name: 'custom:teams', Value: 'tata-usaha,keuangan' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'sub-rudi',
      GroupName: 'agent',
    });
  });

  it('answers an address the pool holds as email-in-use, and creates nothing', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'An account with the given email already exists.', $metadata: {} }));
    expect(await admin().invite(invitation)).toBe('email-in-use');
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('deletes the new account again when it cannot be put in its group, and fails', async () => {
    // Arrange
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'x', Attributes: [{ Name: 'sub', Value: 'sub-rudi' }] } });
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('throttled'));
    cognito.on(AdminDeleteUserCommand).resolves({});

    // Act / Assert
    await expect(admin().invite(invitation)).rejects.toThrow('throttled');
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: 'sub-rudi' });
  });

  it('moves a person between groups (into the new one first), sets custom:teams, disables and enables', async () => {
    // Arrange
    cognito.onAnyCommand().resolves({});
    const pool = admin();

    // Act
    await pool.setRole('sub-rudi', 'agent', 'lead');
    await pool.setTeams('sub-rudi', ['keuangan']);
    await pool.setEnabled('sub-rudi', false);
    await pool.setEnabled('sub-rudi', true);

    // Assert
    expect(cognito.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
      ['AdminAddUserToGroupCommand', { UserPoolId: POOL, Username: 'sub-rudi', GroupName: 'lead' }],
      ['AdminRemoveUserFromGroupCommand', { UserPoolId: POOL, Username: 'sub-rudi', GroupName: 'agent' }],
      [
        'AdminUpdateUserAttributesCommand',
        { UserPoolId: POOL, Username: 'sub-rudi', UserAttributes: [{ Name: 'custom:teams', Value: 'keuangan' }] },
      ],
      ['AdminDisableUserCommand', { UserPoolId: POOL, Username: 'sub-rudi' }],
      ['AdminEnableUserCommand', { UserPoolId: POOL, Username: 'sub-rudi' }],
    ]);
  });
});
