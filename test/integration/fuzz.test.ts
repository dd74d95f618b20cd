// Hostile input through the sandbox: random, truncated, oversized and `alg: none` tokens, odd headers and
// bodies never produce a 5xx or someone else's data; injection and script strings are kept as plain text.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUrl, call, tokenFor } from './api-client.ts';

let victimToken: string;
let victimTicket: { id: string; subject: string };
const secret = `rahasia-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  victimToken = await tokenFor({ sub: `victim-${randomUUID()}` });
  victimTicket = (await call('/tickets', { method: 'POST', token: victimToken, body: { subject: `Tiket ${secret}` } })).body;
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const tokenArbitrary = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ maxLength: 20_000 }),
  fc.tuple(fc.string(), fc.string(), fc.string()).map(([a, b, c]) => `${a}.${b}.${c}`),
  // alg: none, and a forged HS256 signature, over claims that ask for power.
  fc
    .record({ sub: fc.string(), 'cognito:groups': fc.constantFrom(['admin'], ['lead'], 'admin') })
    .chain((claims) =>
      fc.constantFrom(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, `${b64({ alg: 'HS256' })}.${b64(claims)}.c2lnbmF0dXJl`),
    ),
  fc.nat({ max: 200 }).map((cut) => `TRUNCATED:${cut}`),
);

describe('hostile requests', () => {
  it('never get a 5xx or another person’s ticket, whatever the token', async () => {
    const good = await tokenFor({ sub: 'fuzzer' });
    await fc.assert(
      fc.asyncProperty(tokenArbitrary, fc.constantFrom('Bearer ', 'bearer ', '', 'Basic '), async (raw, scheme) => {
        const token = raw.startsWith('TRUNCATED:') ? good.slice(0, Number(raw.slice(10))) : raw;
        const headers = { authorization: `${scheme}${token}`.slice(0, 30_000) };
        const responses = await Promise.all([
          fetch(`${apiUrl()}/tickets/${victimTicket.id}`, { headers }),
          fetch(`${apiUrl()}/tickets`, { headers }),
        ]);
        for (const response of responses) {
          expect(response.status).toBeLessThan(500);
          expect(await response.text()).not.toContain(secret);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never get a 5xx from odd headers and bodies', async () => {
    const token = await tokenFor({ sub: 'fuzzer-bodies' });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 500 }),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify({ subject: value })),
        ),
        fc.constantFrom('application/json', 'application/json; charset=latin1', 'text/plain', 'application/merge-patch+json', ''),
        fc.constantFrom('POST /tickets', 'PATCH /tickets/X', 'POST /tickets/X/comments', 'POST /track/abc/comments'),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async (body, contentType, route, ifMatch) => {
          const [method, path] = route.replace('X', victimTicket.id).split(' ') as [string, string];
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          if (contentType) headers['content-type'] = contentType;
          if (ifMatch !== undefined) headers['if-match'] = ifMatch.replace(/[^\x20-\x7e]/g, '');
          const response = await fetch(`${apiUrl()}${path}`, { method, headers, body });
          expect(response.status).toBeLessThan(500);
          expect(await response.text()).not.toContain(secret);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('stores injection and script strings as text, and returns them as they were sent', async () => {
    const token = await tokenFor({ sub: `inject-${randomUUID()}` });
    const strings = [
      `'; DROP TABLE tickets; --`,
      `{"$gt": ""}`,
      `<script>alert('x')</script>`,
      `#{7*7} \${7*7} {{7*7}}`,
      `TICKET#other / EVENT#x`,
    ];
    for (const text of strings) {
      const created = await call('/tickets', { method: 'POST', token, body: { subject: text.replace(/\n/g, ' '), description: text } });
      expect(created.status).toBe(201);
      const read = await call(`/tickets/${created.body.id}`, { token });
      expect(read.body).toMatchObject({ subject: text, description: text });
      const comment = await call(`/tickets/${created.body.id}/comments`, { method: 'POST', token, body: { body: text } });
      expect(comment.body.data.body).toBe(text);
    }
  });
});
