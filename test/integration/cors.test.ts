// The sandbox's API Gateway answers CORS as the HTTP API does with its corsPreflight: the console's origin
// may call it from a browser, any other origin may not.
import { describe, expect, inject, it } from 'vitest';
import { apiUrl, call, tokenFor } from './api-client.ts';

const consoleOrigin = () => inject('consoleUrl');

const preflight = (origin: string, method = 'PATCH') =>
  fetch(`${apiUrl()}/tickets/01J0000000000000000000000A`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,if-match' },
  });

describe('CORS on the sandbox API', () => {
  it('answers a preflight from the console’s origin with what the console may send', async () => {
    // Act
    const response = await preflight(consoleOrigin());

    // Assert
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(consoleOrigin());
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type,if-match,idempotency-key');
  });

  it('gives a preflight from any other origin no CORS headers, so the browser refuses the call', async () => {
    const response = await preflight('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets the console read the answer and its ETag, the authorizer’s 401 included, and nobody else', async () => {
    // Arrange
    const token = await tokenFor({ sub: 'budi', groups: ['agent'], teams: ['it-support'] });

    // Act
    const fromConsole = await call('/tickets?limit=1', { token, headers: { origin: consoleOrigin() } });
    const unauthorised = await call('/tickets', { headers: { origin: consoleOrigin() } });
    const fromElsewhere = await call('/tickets?limit=1', { token, headers: { origin: 'https://evil.example' } });

    // Assert
    expect(fromConsole.status).toBe(200);
    expect(fromConsole.headers.get('access-control-allow-origin')).toBe(consoleOrigin());
    expect(fromConsole.headers.get('access-control-expose-headers')).toContain('etag');
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('access-control-allow-origin')).toBe(consoleOrigin());
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});
