// Signed tokens: genuine ones verify until they expire; anything altered, forged, expired or meant for
// another purpose does not, and nothing thrown at the verifier makes it throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '#shared/domain/access/signed-token.ts';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const NOW = new Date('2026-11-30T01:00:00Z');
const claims = { purpose: 'track', ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ1', exp: NOW.getTime() / 1000 + 3600 };

describe('signed tokens', () => {
  it('verify while unexpired, for their purpose, with their claims', () => {
    const token = signToken(KEY, claims);
    expect(verifyToken(KEY, token, 'track', NOW)).toEqual(claims);
  });

  it('do not verify when expired, for another purpose, or under another key', () => {
    const token = signToken(KEY, claims);
    expect(verifyToken(KEY, token, 'track', new Date(claims.exp * 1000))).toBeUndefined();
    expect(verifyToken(KEY, token, 'reply', NOW)).toBeUndefined();
    expect(verifyToken(OTHER_KEY, token, 'track', NOW)).toBeUndefined();
  });

  it('do not verify when the payload is altered, even with the old signature', () => {
    const [, signature] = signToken(KEY, claims).split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ2' })).toString('base64url');
    expect(verifyToken(KEY, `${altered}.${signature}`, 'track', NOW)).toBeUndefined();
  });

  it('never verify or throw on arbitrary input, truncations or bit flips', () => {
    const token = signToken(KEY, claims);
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (input) => {
        expect(verifyToken(KEY, input, 'track', NOW)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.integer({ min: 1, max: 60 }), (position, shift) => {
        const flipped =
          token.slice(0, position) + String.fromCharCode(((token.charCodeAt(position) - 40 + shift) % 80) + 40) + token.slice(position + 1);
        fc.pre(flipped !== token);
        expect(verifyToken(KEY, flipped, 'track', NOW)).toBeUndefined();
        expect(verifyToken(KEY, token.slice(0, position), 'track', NOW)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
