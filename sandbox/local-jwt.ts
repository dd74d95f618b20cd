// Tokens for the sandbox, checked the way API Gateway's JWT authorizer checks Cognito's: RS256 signature
// against the issuer's key, `exp`/`nbf` against the clock, `iss` and `aud` against the configured values.
// The key pair is generated once and kept under the sandbox directory, so tokens survive a restart.
// A token that passed is remembered (by its whole text) until it expires, as the authorizer caches too: its
// next request skips the RSA check and the parsing, never the clock (docs/decisions.md, "API overhead").
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ROLES } from '#shared/domain/access/identity.ts';

export const LOCAL_AUDIENCE = 'helpdesk-local';

export const tokenRequestSchema = z.strictObject({
  sub: z.string().min(1).max(128),
  email: z.email().optional(),
  name: z.string().min(1).max(120).optional(),
  groups: z.array(z.enum(ROLES)).default(['requester']),
  teams: z.array(z.string().min(1).max(64)).optional(),
  /** Lifetime in seconds; default one hour, like Cognito's ID tokens. */
  expiresIn: z.number().int().min(1).max(86_400).default(3600),
  /** An access token of a machine client (client credentials) instead of a person's ID token: `sub` is the
   *  client id, with these scopes, as Cognito issues them to another system. */
  machine: z.strictObject({ scopes: z.array(z.string().regex(/^[\w./:-]+$/)).min(1) }).optional(),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export type LocalIssuer = {
  issuer: string;
  sign(request: TokenRequest, now: Date): string;
  /** The verified claims, or undefined for a missing, malformed, tampered, expired or foreign token. */
  verify(authorization: string | undefined, now: Date): Readonly<Record<string, unknown>> | undefined;
};

const loadKey = (keyFile: string): { privateKey: KeyObject; publicKey: KeyObject } => {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(keyFile));
  return { privateKey, publicKey: createPublicKey(privateKey) };
};

/** Tokens remembered at most: a sandbox has a handful of people; the oldest goes first beyond this. */
const MAX_REMEMBERED = 1_000;

export const createLocalIssuer = (keyFile: string, issuer: string): LocalIssuer => {
  const { privateKey, publicKey } = loadKey(keyFile);
  /** Tokens whose signature, issuer and audience passed, by their whole text: one changed character is another token. */
  const verified = new Map<string, Readonly<Record<string, unknown>>>();
  const remember = (token: string, claims: Readonly<Record<string, unknown>>) => {
    if (verified.size >= MAX_REMEMBERED) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
  };
  /** What does not change with the clock: the algorithm, the signature, the issuer, the audience. */
  const checkSigned = (token: string): Readonly<Record<string, unknown>> | undefined => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
      if (head.alg !== 'RS256') return undefined; // no "none", no HMAC confusion
      if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (claims.iss !== issuer) return undefined;
      // API Gateway takes the audience from aud, or from client_id in an access token (a machine client's).
      const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      const machine = claims.token_use === 'access' && typeof claims.client_id === 'string';
      if (!audience.includes(LOCAL_AUDIENCE) && !machine) return undefined;
      // Shared by every request that carries the token: nobody may change it (nor its lists).
      for (const value of Object.values(claims)) if (typeof value === 'object' && value !== null) Object.freeze(value);
      return Object.freeze(claims);
    } catch {
      return undefined;
    }
  };
  return {
    issuer,
    sign(request, now) {
      const iat = Math.floor(now.getTime() / 1000);
      // Cognito's client-credentials access token: no audience, the client id in client_id, scopes, no user.
      const machineClaims = request.machine && {
        sub: request.sub,
        iss: issuer,
        client_id: request.sub,
        token_use: 'access',
        scope: request.machine.scopes.join(' '),
        iat,
        exp: iat + request.expiresIn,
      };
      const claims = machineClaims || {
        sub: request.sub,
        iss: issuer,
        aud: LOCAL_AUDIENCE,
        token_use: 'id',
        iat,
        exp: iat + request.expiresIn,
        ...(request.email ? { email: request.email } : {}),
        ...(request.name ? { name: request.name } : {}),
        'cognito:groups': request.groups,
        ...(request.teams ? { 'custom:teams': request.teams.join(',') } : {}),
      };
      const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'local' })}.${b64(claims)}`;
      return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
    },
    verify(authorization, now) {
      const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
      if (!token || token.length > 8192) return undefined;
      const seconds = now.getTime() / 1000;
      const remembered = verified.get(token);
      const claims = remembered ?? checkSigned(token);
      if (!claims) return undefined;
      // The clock is read on every request, remembered or not.
      if (typeof claims.exp !== 'number' || claims.exp <= seconds) {
        verified.delete(token);
        return undefined;
      }
      if (typeof claims.nbf === 'number' && claims.nbf > seconds) return undefined;
      if (!remembered) remember(token, claims);
      return claims;
    },
  };
};
