// Arriving and leaving: the full export through the API (admins only, polled to a download link), imported into
// an empty table with `npm run import -- --from helpdesk` and exported again from there, with nothing lost; and
// another desk's tickets imported into the sandbox, shown by the API as imported, mailed to nobody.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createExportJobs } from '#shared/adapters/export-jobs.ts';
import { createExportSource } from '#shared/adapters/export-source.ts';
import { type ExportLine, exportLineSchema } from '#shared/domain/portability/export-format.ts';
import { runExport, startExport } from '#shared/domain/portability/export-tickets.ts';
import { importId } from '#shared/domain/portability/import-tickets.ts';
import { fakeClock, sequentialIds } from '#test/fixtures/clock.ts';
import { InMemoryBucket } from '#test/fixtures/in-memory-export.ts';
import { runImport } from '#tools/import.ts';
import { call, cast, createRouted, tokenFor } from './api-client.ts';
import { localTable } from './contracts/local-table.ts';
import { sentMails, waitForMail } from './mail-viewer.ts';
import { waitFor } from './wait-for.ts';

const fixture = (name: string) => new URL(`../fixtures/import/${name}`, import.meta.url).pathname;
const linesOf = (text: string): ExportLine[] =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => exportLineSchema.parse(JSON.parse(line)));
/** What an export holds, without the header (its id and time differ between two exports). */
const content = (lines: ExportLine[]) =>
  lines
    .filter((line) => line.kind !== 'helpdesk-export')
    .map((line) => JSON.stringify(line))
    .sort();

describe('the full export', () => {
  it('is refused to everybody but an administrator', async () => {
    // Arrange
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });

    // Act
    const response = await call('/admin/export', { token: lead });

    // Assert
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('writes every ticket, event, comment and file reference; imported into an empty table and exported again, nothing is lost', async () => {
    // Arrange: a ticket with a public reply and an internal note.
    const { requester, agent } = await cast();
    const admin = await tokenFor({ sub: 'admin', groups: ['admin'] });
    const ticket = await createRouted(requester, { subject: 'Export: proyektor lab bahasa', description: 'Tidak menyala' });
    await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: 'Sudah dicek' } });
    await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: 'Lampu rusak', visibility: 'internal' } });
    const history = (await call(`/tickets/${ticket.id}/events?limit=100`, { token: admin })).body.items as { id: string }[];

    // Act: start, poll until done, download.
    const started = await call('/admin/export', { token: admin });
    const done = await waitFor(
      async () => call(started.headers.get('location')!, { token: admin }),
      (response) => response.status === 200,
      30_000,
    );
    const file = await (await fetch(done.body.download.url)).text();

    // Assert: what the export holds.
    expect(started.status).toBe(202);
    expect(done.body).toMatchObject({ status: 'done', id: started.body.id });
    const lines = linesOf(file);
    expect(lines[0]).toMatchObject({ kind: 'helpdesk-export', exportId: started.body.id });
    expect(lines.at(-1)).toEqual({ kind: 'end', ...done.body.counts });
    expect(lines.find((line) => line.kind === 'ticket' && line.ticket.id === ticket.id)).toBeDefined();
    const exportedEvents = lines.flatMap((line) => (line.kind === 'event' && line.event.ticketId === ticket.id ? [line.event] : []));
    const historyIds = history.map((event) => event.id);
    expect(exportedEvents.map((event) => event.id)).toEqual(expect.arrayContaining(historyIds));
    // And the admin's reading of that history, which the desk records (TicketViewed, in the ticket's audit records).
    expect(exportedEvents.filter((event) => !historyIds.includes(event.id)).map((event) => [event.type, event.actor.id])).toEqual([
      ['TicketViewed', 'admin'],
    ]);
    expect(file).toContain('Lampu rusak');

    // Act: import into an empty table, then export that table (the same worker code, its own bucket).
    const { client, table } = await localTable();
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-export-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, `${started.body.id}.jsonl`);
    writeFileSync(path, file);
    const out: string[] = [];
    const report = await runImport(
      { from: 'helpdesk', file: path, numberOffset: 0, dryRun: false, target: { endpoint: inject('dynamoDbEndpoint'), table } },
      { out: (line) => out.push(line), progress: false },
    );
    const bucket = new InMemoryBucket();
    const deps = {
      jobs: createExportJobs(client, table),
      source: createExportSource(client, table),
      sink: bucket,
      schedule: async () => undefined,
      clock: fakeClock(new Date().toISOString()),
      ids: sequentialIds('01JAGAIN'),
    };
    const again = await startExport(deps, { id: 'admin', role: 'admin', teams: [] });
    await runExport(deps, again.export.id, () => 600_000);

    // Assert: the same tickets, events and file references, line for line.
    expect(report.problems).toEqual([]);
    expect(report.imported).toBe(done.body.counts.tickets);
    expect(content(linesOf(bucket.objects.get(`exports/${again.export.id}.jsonl`)!))).toEqual(content(lines));
    expect(out[0]).toContain(`imported ${done.body.counts.tickets} tickets`);
  });
});

describe('importing another desk’s tickets into the sandbox', () => {
  it('shows them imported, with their number, status and conversation, mails nobody, and imports nothing twice', async () => {
    // Arrange
    const admin = await tokenFor({ sub: 'admin', groups: ['admin'] });
    const table = inject('tableName');
    const args = {
      from: 'csv' as const,
      file: fixture('tickets.csv'),
      mapping: fixture('csv-mapping.json'),
      numberOffset: 5_000_000,
      target: { endpoint: inject('dynamoDbEndpoint'), table },
    };
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), progress: false };

    // Act
    const dry = await runImport({ ...args, dryRun: true }, io);
    const first = await runImport({ ...args, dryRun: false }, io);
    const second = await runImport({ ...args, dryRun: false }, io);
    const chairs = await call(`/tickets/${importId('2026-10-20T01:30:00.000Z', 'csv:9001')}`, { token: admin });
    const history = await call(`/tickets/${chairs.body.id}/events`, { token: admin });

    // Assert
    expect(dry).toMatchObject({ imported: 3, already: 0 });
    expect(out[0]).toBe(`dry run: nothing written. would import 3 tickets into ${table}`);
    expect(first).toMatchObject({ imported: 3, already: 0 });
    expect(first.problems).toEqual([{ at: 'line 4', problems: ['created_at: must be an ISO 8601 date and time'] }]);
    expect(second).toMatchObject({ imported: 0, already: 3 });
    expect(out).toContain('not imported, line 4: created_at: must be an ISO 8601 date and time');
    expect(chairs.body).toMatchObject({
      number: 5_009_001,
      status: 'open',
      category: 'facilities',
      assignee: 'agus',
      imported: { from: 'csv', id: '9001', number: '9001' },
      createdAt: '2026-10-20T01:30:00.000Z',
    });
    expect(chairs.body.sla).toBeUndefined();
    expect(history.body.items.map((event: { type: string }) => event.type)).toEqual(['TicketCreated', 'Assigned', 'StatusChanged']);
    expect(readFileSync(args.file, 'utf8')).toContain('9001');
  });

  it('can be worked like any ticket, and its imported history never went on the bus (no acknowledgement mail)', async () => {
    // Arrange: imported by the test above (or now, if it runs alone: the import is idempotent).
    const admin = await tokenFor({ sub: 'admin', groups: ['admin'] });
    const agus = await tokenFor({ sub: 'agus', groups: ['lead'], teams: ['sarpras'] });
    await runImport(
      {
        from: 'csv',
        file: fixture('tickets.csv'),
        mapping: fixture('csv-mapping.json'),
        numberOffset: 5_000_000,
        dryRun: false,
        target: { endpoint: inject('dynamoDbEndpoint'), table: inject('tableName') },
      },
      { out: () => undefined, progress: false },
    );
    const id = importId('2026-10-20T01:30:00.000Z', 'csv:9001');

    // Act: a public reply, which is published and mailed to the requester.
    const reply = await call(`/tickets/${id}/comments`, { method: 'POST', token: agus, body: { body: 'Kursi sudah diganti.' } });
    const mail = await waitForMail(inject('sesEndpoint'), (sent) => sent.destination.to.includes('joko@guru.sekolah.example'));

    // Assert: the reply's mail came; the imported TicketCreated (written before it on the same ticket) sent none.
    expect(reply.status).toBe(201);
    expect(mail.subject).not.toMatch(/diterima/i);
    const toJoko = (await sentMails(inject('sesEndpoint'))).filter((sent) => sent.destination.to.includes('joko@guru.sekolah.example'));
    expect(toJoko.map((sent) => sent.subject).filter((subject) => /diterima/i.test(subject))).toEqual([]);
    expect((await call(`/tickets/${id}`, { token: admin })).body.assignee).toBe('agus');
  });
});
