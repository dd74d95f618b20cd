import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { identityFromEvent, requireMachineScope } from '#shared/http/identity-from-claims.ts';
import { type Claims, httpEvent } from '#test/fixtures/api-gateway-event.ts';

const identityFor = (claims?: Claims) => identityFromEvent(httpEvent({ method: 'GET', path: '/tickets', claims }));

describe('the caller, from the JWT authorizer’s claims', () => {
  it('reads cognito:groups given as an array', () => {
    expect(identityFor({ sub: 'budi', 'cognito:groups': ['agent'] }).role).toBe('agent');
  });

  it('reads cognito:groups as API Gateway flattens it: "[agent lead]"', () => {
    expect(identityFor({ sub: 'budi', 'cognito:groups': '[agent lead]' }).role).toBe('lead');
  });

  it.each<[Claims['cognito:groups'], string]>([
    [['agent', 'lead'], 'lead'],
    [['lead', 'agent'], 'lead'],
    ['[admin requester]', 'admin'],
    ['[requester agent]', 'agent'],
    [['requester', 'admin', 'lead', 'agent'], 'admin'],
    ['[lead]', 'lead'],
    ['agent', 'agent'],
  ])('lets the highest role win: %j → %s', (groups, role) => {
    expect(identityFor({ sub: 'u1', 'cognito:groups': groups }).role).toBe(role);
  });

  it('makes anyone signed in without a known group a requester', () => {
    expect(identityFor({ sub: 'u1' }).role).toBe('requester');
    expect(identityFor({ sub: 'u1', 'cognito:groups': '[]' }).role).toBe('requester');
    expect(identityFor({ sub: 'u1', 'cognito:groups': '[teachers parents]' }).role).toBe('requester');
  });

  it('takes the id, email, name and teams from the claims', () => {
    expect(
      identityFor({
        sub: 'budi',
        email: 'budi@sekolah.example',
        name: 'Budi Santoso',
        'cognito:groups': '[agent]',
        'custom:teams': '[it-support helpdesk]',
      }),
    ).toEqual({
      id: 'budi',
      role: 'agent',
      email: 'budi@sekolah.example',
      name: 'Budi Santoso',
      teams: ['it-support', 'helpdesk'],
      sourceIp: expect.any(String),
    });
  });

  it('reads the plain "groups" claim of other identity providers too', () => {
    expect(identityFor({ sub: 'u1', groups: ['lead'] }).role).toBe('lead');
  });

  it.each<[string, Claims | undefined]>([
    ['no claims at all', undefined],
    ['claims without a subject', { email: 'x@example.com', 'cognito:groups': '[admin]' }],
    ['an empty subject', { sub: '' }],
  ])('refuses %s as unauthorized, asking for a bearer token', (_, claims) => {
    // Act
    let error: unknown;
    try {
      identityFor(claims);
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('unauthorized');
    expect((error as DomainError).details.headers).toEqual({ 'www-authenticate': 'Bearer' });
  });
});

describe('machine clients (client-credentials access tokens)', () => {
  const machine = (scope: string) => identityFor({ sub: 'client-erp', token_use: 'access', client_id: 'client-erp', scope });

  it('carry their scopes, and people carry none', () => {
    expect(machine('helpdesk/tickets.write helpdesk/tickets.read').scopes).toEqual(['helpdesk/tickets.write', 'helpdesk/tickets.read']);
    expect(identityFor({ sub: 'budi', 'cognito:groups': '[agent]' }).scopes).toBeUndefined();
    expect(identityFor({ sub: 'budi', token_use: 'access', username: 'budi', scope: 'openid' }).scopes).toBeUndefined();
  });

  it('need tickets.read to read and tickets.write for anything else', () => {
    expect(() => requireMachineScope(machine('helpdesk/tickets.read'), 'GET')).not.toThrow();
    expect(() => requireMachineScope(machine('helpdesk/tickets.read'), 'POST')).toThrow(/tickets.write/);
    expect(() => requireMachineScope(machine('helpdesk/tickets.write'), 'GET')).toThrow(/tickets.read/);
    expect(() => requireMachineScope(identityFor({ sub: 'ani' }), 'POST')).not.toThrow();
  });
});
