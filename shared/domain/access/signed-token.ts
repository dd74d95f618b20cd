// Signed, expiring, purpose-bound tokens: `<payload>.<mac>`, both base64url; the MAC is HMAC-SHA256 over
// the payload. A token for one purpose (a tracking link) is useless for another (a reply address), and a
// token names the one ticket it is for. Verification is constant-time and says nothing about why it failed.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenClaims = { purpose: string; ticketId: string /** Expiry, epoch seconds. */; exp: number; [key: string]: unknown };

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

export const signToken = (key: Buffer, claims: TokenClaims): string => {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
};

/** The claims of a genuine, unexpired token for this purpose, or undefined. */
export const verifyToken = (key: Buffer, token: string, purpose: string, now: Date): TokenClaims | undefined => {
  if (token.length > 1024) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, payload, signature] = match as unknown as [string, string, string];
  // Compared as text: two spellings of one base64 value (the unused low bits) must not both pass.
  const expected = Buffer.from(mac(key, payload).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { purpose: tokenPurpose, ticketId, exp } = claims as Partial<TokenClaims>;
  if (tokenPurpose !== purpose || typeof ticketId !== 'string' || typeof exp !== 'number') return undefined;
  if (exp * 1000 <= now.getTime()) return undefined;
  return claims as TokenClaims;
};
