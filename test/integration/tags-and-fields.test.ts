// Tags and custom fields over HTTP: the school's fields (shared/config/helpdesk.config.json), what is accepted,
// what is refused with 422 naming the field, the history, a search by tag and a report filtered by room.
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';
import { waitFor } from './wait-for.ts';

describe('tags and custom fields over HTTP', () => {
  it('files a ticket with fields, tags it, and shows both in the ticket, the history, a search and the report', async () => {
    // Arrange
    const requester = await tokenFor({ name: 'Ani', email: 'ani@example.org' });
    const budi = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    // A tag or field filter reads the whole desk's counters: an administrator's report.
    const admin = await tokenFor({ sub: 'root', groups: ['admin'] });
    const tag = `ujian-${randomInt(100_000, 999_999)}`;

    // Act
    const created = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Proyektor lab mati', description: 'Tidak ada gambar', fields: { ruang: 'lab-komputer-2', kelas: 'XI IPA 2' } },
    });
    const { id } = created.body;
    const tagged = await call(`/tickets/${id}`, {
      method: 'PATCH',
      token: budi,
      body: { tags: [tag, 'garansi'], fields: { 'tag-aset': 'PRJ-0042', 'jumlah-unit': 2 } },
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ category: 'hardware', fields: { ruang: 'lab-komputer-2', kelas: 'XI IPA 2' } });
    expect(tagged.status).toBe(200);
    expect(tagged.body).toMatchObject({
      tags: ['garansi', tag].sort(),
      fields: { ruang: 'lab-komputer-2', kelas: 'XI IPA 2', 'tag-aset': 'PRJ-0042', 'jumlah-unit': 2 },
    });
    const history = await call(`/tickets/${id}/events`, { token: budi });
    expect(history.body.items.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['TicketCreated', 'TagsChanged', 'FieldsChanged']),
    );
    const found = await waitFor(
      () => call(`/tickets/search?q=proyektor&tag=${tag}`, { token: budi }),
      (response) => response.body.items?.length === 1,
    );
    expect(found.body.items[0].ticket.id).toBe(id);
    // The local dates around now, whatever the time of day in Jakarta.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = `from=${day(-1)}&to=${day(1)}`;
    const report = await waitFor(
      () => call(`/reports/summary?${range}&tag=${tag}`, { token: admin }),
      (response) => response.body.volume?.total === 1,
    );
    expect(report.body).toMatchObject({ tag, backlog: null, volume: { total: 1 } });
    const byRoom = await call(`/reports/summary?${range}&field=ruang:lab-komputer-2`, {
      token: admin,
      headers: { accept: 'text/csv' },
    });
    expect(byRoom.text).toContain('report,field,,field,ruang:lab-komputer-2');
    // A lead reads their teams' figures, not a filter over the whole desk
    expect((await call(`/reports/summary?${range}&tag=${tag}`, { token: budi })).status).toBe(403);
  });

  it('refuses unknown fields, values a field does not accept and tags from a requester, naming each, writing nothing', async () => {
    // Arrange
    const requester = await tokenFor();
    const budi = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    const before = await call('/tickets?requester=me', { token: requester });

    // Act
    const unknown = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Printer rusak', fields: { warna: 'merah', ruang: 'dapur' } },
    });
    const nisn = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Legalisir ijazah', fields: { nisn: '12345' } },
    });
    const tags = await call('/tickets', { method: 'POST', token: requester, body: { subject: 'Printer rusak', tags: ['x'] } });
    const shape = await call('/tickets', { method: 'POST', token: budi, body: { subject: 'Printer', tags: ['Bukan Tag'] } });

    // Assert
    expect(unknown.status).toBe(422);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(unknown.body.errors.map((error: { path: string }) => error.path)).toEqual(['fields.warna', 'fields.ruang']);
    expect(nisn.status).toBe(422);
    expect(nisn.body.errors).toEqual([{ path: 'fields.nisn', message: 'does not have the form this field needs (^[0-9]{10}$)' }]);
    expect(tags.status).toBe(403);
    expect(shape.status).toBe(400);
    expect(shape.body.errors[0].path).toBe('tags.0');
    expect((await call('/tickets?requester=me', { token: requester })).body.items).toEqual(before.body.items);
  });
});
