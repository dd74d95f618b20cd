// The ERP/SIS example (examples/erp-file-for-student.ts) against the running sandbox, as docs/integrations.md
// tells an integrator to try it: a student's request filed by the machine client with the NISN in the desk's
// `nisn` custom field, read back by the example and seen by staff; a retry files nothing twice; a NISN the
// desk's field refuses comes back as the desk's words naming the field.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Connection, fileForStudent, forgetToken, HelpdeskError, ticketStatus } from '#examples/erp-file-for-student.ts';
import { apiUrl, call, tokenFor } from './api-client.ts';

const connection = (): Connection => ({ api: apiUrl(), clientId: `erp-${randomUUID()}`, sandbox: true, retryDelayMs: 50 });

describe('the ERP example against the sandbox', () => {
  it('files a request for a student by NISN, reads back its status, and staff see the NISN in the custom field', async () => {
    // Arrange
    forgetToken();
    const erp = connection();
    const email = `wali-${randomUUID()}@example.org`;
    const request = { requestId: randomUUID(), subject: 'Surat keterangan aktif untuk beasiswa', category: 'administration' };

    // Act
    const filed = await fileForStudent(erp, { nisn: '0051234567', name: 'Siti Aminah', email }, request);
    const again = await fileForStudent(erp, { nisn: '0051234567', name: 'Siti Aminah', email }, request);
    const status = await ticketStatus(erp, filed.id);
    const seen = await call(`/tickets/${filed.id}`, { token: await tokenFor({ sub: 'root', groups: ['admin'] }) });

    // Assert
    expect(filed).toMatchObject({ category: 'administration', number: expect.any(Number) });
    expect(again.id).toBe(filed.id);
    expect(status.id).toBe(filed.id);
    expect(seen.body).toMatchObject({
      fields: { nisn: '0051234567' },
      requester: { name: 'Siti Aminah', email },
      filedBy: erp.clientId,
    });
  });

  it('gives back the desk’s refusal, naming the field, when told to write the NISN into a field the desk does not have', async () => {
    // Arrange
    forgetToken();
    const erp = connection();

    // Act
    const refused = await fileForStudent(
      erp,
      { nisn: '0051234567', name: 'Budi', email: `wali-${randomUUID()}@example.org` },
      { requestId: randomUUID(), subject: 'Mutasi siswa', category: 'administration', nisnField: 'warna' },
    ).catch((error: unknown) => error);

    // Assert
    expect(refused).toBeInstanceOf(HelpdeskError);
    expect((refused as HelpdeskError).fields.map((field) => field.path)).toContain('fields.warna');
  });
});
