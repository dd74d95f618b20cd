// The route table matched as API Gateway matches it (the sandbox's gateway and the 404/405 fallback use it).
import { describe, expect, it } from 'vitest';
import { API_ALLOWED_METHODS } from '#shared/console/console-headers.ts';
import { HTTP_ROUTES, matchRoute } from '#shared/http/routes.ts';

describe('matchRoute', () => {
  it.each([
    ['GET', '/tickets/search', '/tickets/search', {}],
    ['GET', '/tickets/01M8RG13NEMCVFAX7CGBCVT5ZJ', '/tickets/{id}', { id: '01M8RG13NEMCVFAX7CGBCVT5ZJ' }],
    ['GET', '/tickets', '/tickets', {}],
    ['get', '/tickets/T1/events', '/tickets/{id}/events', { id: 'T1' }],
    [
      'GET',
      '/tickets/T1/events/E2/attachments/0',
      '/tickets/{id}/events/{eventId}/attachments/{index}',
      { id: 'T1', eventId: 'E2', index: '0' },
    ],
  ])('%s %s is the route %s', (method, path, template, pathParameters) => {
    // Act
    const match = matchRoute(method, path);

    // Assert
    expect(match).toMatchObject({ kind: 'route', route: { path: template }, pathParameters });
  });

  it('names the methods a known path accepts, and nothing for an unknown one', () => {
    // Act
    const wrongMethod = matchRoute('DELETE', '/tickets/T1');
    const unknown = [matchRoute('GET', '/tickets/T1/nothing'), matchRoute('GET', '/tickets/'), matchRoute('GET', '/tickets/T1/events/E2')];

    // Assert
    expect(wrongMethod).toEqual({ kind: 'wrong-method', allow: expect.arrayContaining(['GET', 'PATCH']) });
    expect(unknown.map((match) => match.kind)).toEqual(['none', 'none', 'none']);
  });
});

describe('the API’s CORS methods', () => {
  it('let a browser call every method a route has', () => {
    // Act
    const methods = new Set(HTTP_ROUTES.map((route) => route.method));

    // Assert
    expect([...methods].filter((method) => !(API_ALLOWED_METHODS as readonly string[]).includes(method))).toEqual([]);
    expect(API_ALLOWED_METHODS).toContain('DELETE');
  });
});
