// The caller as API Gateway's JWT authorizer hands them over in requestContext.authorizer.jwt.claims.
// API Gateway flattens array claims to strings like "[agent lead]", so both shapes are read.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Identity, roleOfGroups } from '#shared/domain/access/identity.ts';
import { DomainError } from '#shared/domain/errors.ts';

type Claims = Record<string, string | number | boolean | string[]>;

const listClaim = (value: Claims[string] | undefined): string[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

const claimsOf = (event: APIGatewayProxyEventV2): Claims | undefined =>
  (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;

export const identityFromEvent = (event: APIGatewayProxyEventV2): Identity => {
  const claims = claimsOf(event);
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0)
    throw new DomainError('unauthorized', 'Sign in first: this request carries no valid bearer token.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  const groups = listClaim(claims?.['cognito:groups'] ?? claims?.groups);
  return {
    id: sub,
    role: roleOfGroups(groups),
    email: typeof claims?.email === 'string' ? claims.email : undefined,
    name: typeof claims?.name === 'string' ? claims.name : undefined,
    teams: listClaim(claims?.['custom:teams'] ?? claims?.teams),
    sourceIp: event.requestContext.http?.sourceIp,
    // A client-credentials token (a system filing tickets) is an access token with no user behind it.
    ...(claims?.token_use === 'access' && claims.username === undefined ? { scopes: listClaim(claims.scope) } : {}),
  };
};

/** Scopes a machine client needs: reading with `helpdesk/tickets.read`, anything else with `.write`. */
export const requireMachineScope = (identity: Identity, method: string): void => {
  if (!identity.scopes) return;
  const needed = method === 'GET' ? 'helpdesk/tickets.read' : 'helpdesk/tickets.write';
  if (!identity.scopes.includes(needed)) throw new DomainError('forbidden', `This client's token lacks the scope ${needed}.`);
};
