// The user pool's staff, read with ListUsersInGroup (aws-sdk-client-mock): every page of every staff group,
// one person per sub with their most powerful group, teams from custom:teams, disabled users marked.
import { CognitoIdentityProviderClient, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { listPoolStaff } from '#shared/adapters/user-pool-staff.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const user = (sub: string, attributes: Record<string, string>, enabled = true) => ({
  Username: `${sub}@uji.example`,
  Enabled: enabled,
  Attributes: Object.entries({ sub, ...attributes }).map(([Name, Value]) => ({ Name, Value })),
});

beforeEach(() => cognito.reset());

describe('listPoolStaff', () => {
  it('reads every page of the agent, lead and admin groups into one person each', async () => {
    // Arrange: two pages of agents; Budi is both agent and lead; Tono is disabled
    cognito
      .on(ListUsersInGroupCommand, { GroupName: 'agent', NextToken: undefined })
      .resolves({
        Users: [user('budi', { name: 'Budi', email: 'budi@uji.example', 'custom:teams': 'it-support, helpdesk' })],
        NextToken: 'page-2',
      })
      .on(ListUsersInGroupCommand, { GroupName: 'agent', NextToken: 'page-2' })
      .resolves({ Users: [user('tono', { email: 'tono@uji.example' }, false)] })
      .on(ListUsersInGroupCommand, { GroupName: 'lead' })
      .resolves({ Users: [user('budi', { name: 'Budi', email: 'budi@uji.example', 'custom:teams': 'it-support, helpdesk' })] })
      .on(ListUsersInGroupCommand, { GroupName: 'admin' })
      .resolves({ Users: [] });

    // Act
    const people = await listPoolStaff('ap-southeast-3_pool');

    // Assert
    expect(people).toEqual([
      { id: 'budi', name: 'Budi', email: 'budi@uji.example', role: 'lead', teams: ['it-support', 'helpdesk'], enabled: true },
      { id: 'tono', name: undefined, email: 'tono@uji.example', role: 'agent', teams: [], enabled: false },
    ]);
    expect(cognito.commandCalls(ListUsersInGroupCommand).map((call) => call.args[0].input.UserPoolId)).toEqual(
      Array(4).fill('ap-southeast-3_pool'),
    );
  });
});
