// The sandbox's JWT check remembers a token that passed, as API Gateway's authorizer caches it: what it
// remembers must never let through a token that has expired, was changed, or comes from another issuer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIssuer, type LocalIssuer, tokenRequestSchema } from '#sandbox/local-jwt.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const at = (secondsLater: number) => new Date(NOW.getTime() + secondsLater * 1000);
const bearer = (token: string) => `Bearer ${token}`;

let dir: string;
let issuer: LocalIssuer;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-jwt-'));
  issuer = createLocalIssuer(join(dir, 'key.pem'), 'helpdesk-sandbox');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tokenFor = (request: Record<string, unknown>) => issuer.sign(tokenRequestSchema.parse(request), NOW);

/** The token with its payload replaced (the signature kept). */
const withClaims = (token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>) => {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify(change(claims))).toString('base64url')}.${signature}`;
};

describe('the local JWT check', () => {
  it('accepts a good token on every request while it lives', () => {
    // Arrange
    const token = tokenFor({ sub: 'ani', groups: ['agent'], expiresIn: 60 });

    // Act
    const first = issuer.verify(bearer(token), NOW);
    const again = issuer.verify(bearer(token), at(30));

    // Assert
    expect(first).toMatchObject({ sub: 'ani', 'cognito:groups': ['agent'], iss: 'helpdesk-sandbox' });
    expect(again).toEqual(first);
  });

  it('refuses a token it accepted once it has expired', () => {
    // Arrange
    const token = tokenFor({ sub: 'ani', expiresIn: 60 });
    expect(issuer.verify(bearer(token), at(59))).toBeDefined();

    // Act
    const atExpiry = issuer.verify(bearer(token), at(60));
    const later = issuer.verify(bearer(token), at(61));

    // Assert
    expect(atExpiry).toBeUndefined();
    expect(later).toBeUndefined();
  });

  it('refuses a changed copy of a token it accepted', () => {
    // Arrange
    const token = tokenFor({ sub: 'ani', groups: ['requester'] });
    expect(issuer.verify(bearer(token), NOW)).toBeDefined();
    const promoted = withClaims(token, (claims) => ({ ...claims, 'cognito:groups': ['admin'] }));
    const prolonged = withClaims(token, (claims) => ({ ...claims, exp: Number(claims.exp) + 86_400 }));
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const resigned = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;

    // Act
    const results = [promoted, prolonged, resigned, unsigned].map((changed) => issuer.verify(bearer(changed), NOW));

    // Assert
    expect(results).toEqual([undefined, undefined, undefined, undefined]);
    expect(issuer.verify(bearer(token), NOW)).toMatchObject({ 'cognito:groups': ['requester'] });
  });

  it("refuses a token another issuer's key signed, even one it accepted from its own", () => {
    // Arrange: a sandbox whose key was replaced (a new key file) no longer takes the old key's tokens.
    const token = tokenFor({ sub: 'ani' });
    expect(issuer.verify(bearer(token), NOW)).toBeDefined();
    const other = createLocalIssuer(join(dir, 'other-key.pem'), 'helpdesk-sandbox');

    // Act
    const verified = other.verify(bearer(token), NOW);

    // Assert
    expect(verified).toBeUndefined();
    expect(other.verify(bearer(other.sign(tokenRequestSchema.parse({ sub: 'ani' }), NOW)), NOW)).toMatchObject({ sub: 'ani' });
  });

  it('hands out claims that no request can change for the next one', () => {
    // Arrange
    const token = tokenFor({ sub: 'ani', groups: ['requester'] });
    const claims = issuer.verify(bearer(token), NOW) as Record<string, unknown>;

    // Act
    const widen = () => (claims['cognito:groups'] as string[]).push('admin');
    const rename = () => {
      claims.sub = 'budi';
    };

    // Assert
    expect(widen).toThrow(TypeError);
    expect(rename).toThrow(TypeError);
    expect(issuer.verify(bearer(token), NOW)).toMatchObject({ sub: 'ani', 'cognito:groups': ['requester'] });
  });

  it('refuses a token for another audience or issuer', () => {
    // Arrange
    const token = tokenFor({ sub: 'ani' });
    const foreignAudience = withClaims(token, (claims) => ({ ...claims, aud: 'someone-else' }));
    const foreignIssuer = createLocalIssuer(join(dir, 'key.pem'), 'another-sandbox');

    // Act
    const results = [issuer.verify(bearer(foreignAudience), NOW), foreignIssuer.verify(bearer(token), NOW)];

    // Assert
    expect(results).toEqual([undefined, undefined]);
  });
});
