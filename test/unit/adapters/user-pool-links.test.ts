// Erasure's links from the user pool (aws-sdk-client-mock): a sign-in account's verified address and number,
// the accounts with a verified address or number, nothing unverified, and no filter built from an id of
// another shape.
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { userPoolLinks } from '#shared/adapters/user-pool-links.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const user = (attributes: Record<string, string>) => ({ Attributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) });
const links = userPoolLinks('ap-southeast-3_pool', 'ID');

beforeEach(() => cognito.reset());

describe('userPoolLinks', () => {
  it('gives a sign-in id its verified address and number as requester ids', async () => {
    // Arrange
    cognito.on(ListUsersCommand, { Filter: 'sub = "a1b2-c3"' }).resolves({
      Users: [
        user({
          sub: 'a1b2-c3',
          email: 'Ani@Example.org',
          email_verified: 'true',
          phone_number: '+6281211112222',
          phone_number_verified: 'true',
        }),
      ],
    });

    // Act + Assert
    expect(await links.linkedTo('a1b2-c3')).toEqual(['email:ani@example.org', 'phone:+6281211112222']);
    expect(cognito.commandCalls(ListUsersCommand)[0]!.args[0].input).toMatchObject({ UserPoolId: 'ap-southeast-3_pool' });
  });

  it('leaves out what the account has not verified, and an unknown account', async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'sub = "u1"' })
      .resolves({
        Users: [
          user({ sub: 'u1', email: 'x@example.org', email_verified: 'false', phone_number: '+62811', phone_number_verified: 'false' }),
        ],
      })
      .on(ListUsersCommand, { Filter: 'sub = "u2"' })
      .resolves({ Users: [] });
    expect(await links.linkedTo('u1')).toEqual([]);
    expect(await links.linkedTo('u2')).toEqual([]);
  });

  it('finds the accounts whose verified address or number it is', async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "ani@example.org"' })
      .resolves({ Users: [user({ sub: 's1', email_verified: 'true' }), user({ sub: 's2', email_verified: 'false' })] })
      .on(ListUsersCommand, { Filter: 'phone_number = "+6281211112222"' })
      .resolves({ Users: [user({ sub: 's3', phone_number_verified: 'true' })] });
    expect(await links.linkedTo('email:ani@example.org')).toEqual(['s1']);
    expect(await links.linkedTo('phone:+6281211112222')).toEqual(['s3']);
  });

  it.each(['email:a"b@example.org', 'email:no-at-sign', 'phone:0812345', 'telegram:123', 'x" or sub ^= "'])(
    'asks nothing for an id it cannot put in a filter exactly: %s',
    async (id) => {
      expect(await links.linkedTo(id)).toEqual([]);
      expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(0);
    },
  );
});
