// The console's PKCE and token reading, in Node (which has the same Web Crypto as the browser).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeOf, claimsOf, randomVerifier } from '../../../web/src/pkce.ts';

describe('PKCE (S256)', () => {
  it('makes a fresh 43-character base64url verifier each time', () => {
    const verifier = randomVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomVerifier()).not.toBe(verifier);
  });

  it('sends the SHA-256 of the verifier, base64url without padding (RFC 7636 appendix B)', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const verifier = randomVerifier();
    expect(await challengeOf(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });
});

describe('reading a token’s claims', () => {
  it('decodes the payload, names in any script included', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'ani', name: 'Añi Wijaya 日本', exp: 1 })).toString('base64url');
    expect(claimsOf(`x.${payload}.y`)).toEqual({ sub: 'ani', name: 'Añi Wijaya 日本', exp: 1 });
  });
});
