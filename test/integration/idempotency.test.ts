// Idempotency-Key: retries and duplicates of one request make one ticket, never two.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, cast } from './api-client.ts';

describe('POST /tickets with Idempotency-Key', () => {
  it('creates exactly one ticket from 50 concurrent identical requests', async () => {
    // Arrange
    const { requester } = await cast();
    const key = randomUUID();
    const body = { subject: 'Internet lambat di perpustakaan', urgency: 'medium' };

    // Act
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => call('/tickets', { method: 'POST', token: requester, headers: { 'idempotency-key': key }, body })),
    );

    // Assert
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const list = await call('/tickets?requester=me', { token: requester });
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and keeps the first ticket', async () => {
    // Arrange
    const { requester } = await cast();
    const key = randomUUID();
    const first = await call('/tickets', {
      method: 'POST',
      token: requester,
      headers: { 'idempotency-key': key },
      body: { subject: 'Mouse hilang' },
    });

    // Act
    const second = await call('/tickets', {
      method: 'POST',
      token: requester,
      headers: { 'idempotency-key': key },
      body: { subject: 'Something else' },
    });

    // Assert
    expect(first.status).toBe(201);
    expect(second.status).toBe(422);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    const list = await call('/tickets?requester=me', { token: requester });
    expect(list.body.items.map((t: { subject: string }) => t.subject)).toEqual(['Mouse hilang']);
  });

  it('keeps keys apart per caller: two requesters may use the same key', async () => {
    const a = await cast();
    const b = await cast();
    const key = randomUUID();
    const [first, second] = await Promise.all(
      [a.requester, b.requester].map((token) =>
        call('/tickets', { method: 'POST', token, headers: { 'idempotency-key': key }, body: { subject: 'Printer rusak' } }),
      ),
    );
    expect(first!.body.id).not.toBe(second!.body.id);
  });
});
