// The sandbox checks bearer tokens as API Gateway's JWT authorizer does: the function never sees a bad one.
import { describe, expect, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';
import { waitFor } from './wait-for.ts';

describe('bearer tokens', () => {
  it('answers 401 to a missing, malformed, tampered, unsigned or expired token', async () => {
    // Arrange
    const good = await tokenFor({ sub: 'ani' });
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admin'] })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const expired = await tokenFor({ sub: 'ani', expiresIn: 1 } as never);
    // A one-second token: wait until the authorizer no longer takes it.
    await waitFor(
      () => call('/tickets', { token: expired }),
      (response) => response.status === 401,
      5_000,
    );

    // Act
    const responses = await Promise.all(
      [undefined, 'garbage', tampered, unsigned, expired].map((token) =>
        call('/tickets', { headers: token ? { authorization: `Bearer ${token}` } : {} }),
      ),
    );

    // Assert
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
    expect((await call('/tickets', { token: good })).status).toBe(200);
  });

  it('refuses a token request that does not name a subject', async () => {
    const response = await call('/_local/token', { method: 'POST', body: { groups: ['wizard'] } });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['groups.0', 'sub']);
  });
});
