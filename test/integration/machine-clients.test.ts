// Machine access for other systems (docs/integrations.md): an ERP's machine client files a ticket for a person
// it names, follows that ticket and no other, is limited per person it files for, and needs the scope for
// what it does.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';

const SCOPES = ['helpdesk/tickets.write', 'helpdesk/tickets.read'];

describe('a machine client filing for a person', () => {
  it('files for the student it names, who is the requester, and reads back what became of it', async () => {
    // Arrange
    const erp = await tokenFor({ sub: `erp-${randomUUID()}`, machine: { scopes: SCOPES } });
    const email = `wali-${randomUUID()}@example.org`;

    // Act
    const created = await call('/tickets', {
      method: 'POST',
      token: erp,
      headers: { 'idempotency-key': `erp-${randomUUID()}` },
      body: { subject: 'Surat keterangan aktif untuk beasiswa', category: 'administration', requester: { name: 'Siti Aminah', email } },
    });
    const read = await call(`/tickets/${created.body.id}`, { token: erp });

    // Assert
    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, category: 'administration', requester: { name: 'Siti Aminah', email } });
  });

  it('reads only the tickets it filed, and only with the read scope', async () => {
    // Arrange
    const erp = await tokenFor({ sub: `erp-${randomUUID()}`, machine: { scopes: SCOPES } });
    const otherSystem = await tokenFor({ sub: `lms-${randomUUID()}`, machine: { scopes: SCOPES } });
    const writeOnly = await tokenFor({ sub: `kiosk-${randomUUID()}`, machine: { scopes: ['helpdesk/tickets.write'] } });
    const created = await call('/tickets', {
      method: 'POST',
      token: erp,
      body: { subject: 'Kartu pelajar hilang', requester: { name: 'Budi', phone: '+62 812 0000 1111' } },
    });

    // Act
    const byOther = await call(`/tickets/${created.body.id}`, { token: otherSystem });
    const filedWithoutRead = await call('/tickets', {
      method: 'POST',
      token: writeOnly,
      body: { subject: 'Proyektor kelas 7B mati', requester: { name: 'Bu Ratna', email: `ratna-${randomUUID()}@example.org` } },
    });
    const readWithoutScope = await call(`/tickets/${filedWithoutRead.body.id}`, { token: writeOnly });

    // Assert
    expect(created.status).toBe(201);
    expect([403, 404]).toContain(byOther.status);
    expect(filedWithoutRead.status).toBe(201);
    expect(readWithoutScope.status).toBe(403);
    expect(readWithoutScope.body.detail).toContain('helpdesk/tickets.read');
  });

  it('refuses a person without an address or a phone, naming the field', async () => {
    // Arrange
    const erp = await tokenFor({ sub: `erp-${randomUUID()}`, machine: { scopes: SCOPES } });

    // Act
    const response = await call('/tickets', {
      method: 'POST',
      token: erp,
      body: { subject: 'Nilai rapor salah', requester: { name: 'Siti' } },
    });

    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'requester' })]);
  });
});
