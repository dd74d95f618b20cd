import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import { endLine, eventLines, exportLineSchema, headerLine, ticketLine } from '#shared/domain/portability/export-format.ts';
import { fromCsvRow, fromOsTicket, fromZammad, type SourceRecord } from '#shared/domain/portability/import-sources.ts';
import { convertTicket, type ImportRecord, importId, importTickets, mappingSchema } from '#shared/domain/portability/import-tickets.ts';
import { InMemoryImportTarget } from '#test/fixtures/in-memory-import.ts';
import { created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const config = loadConfig();
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/import/${name}`, import.meta.url), 'utf8');
const NOW = new Date('2026-11-30T08:00:00.000Z');

const osTicket = () =>
  (JSON.parse(fixture('osticket-tickets.json')) as unknown[]).map((raw, index) => {
    const ticket = fromOsTicket(raw, 'Asia/Jakarta');
    return ('problems' in ticket ? { at: `[${index}]`, problems: ticket.problems } : { at: `[${index}]`, ticket }) satisfies SourceRecord;
  });
const zammad = () =>
  (JSON.parse(fixture('zammad-tickets.json')) as unknown[]).map((raw, index) => {
    const ticket = fromZammad(raw);
    return ('problems' in ticket ? { at: `[${index}]`, problems: ticket.problems } : { at: `[${index}]`, ticket }) satisfies SourceRecord;
  });
const mapping = (name: string) => mappingSchema.parse(JSON.parse(fixture(name)));
const options = (name: string, overrides: Partial<Parameters<typeof importTickets>[3]> = {}) => ({
  mapping: mapping(name),
  numberOffset: 0,
  dryRun: false,
  now: NOW,
  ...overrides,
});

describe('importing osTicket’s export', () => {
  it('keeps numbers, times (in the desk’s zone), the requester, the conversation and the status; maps the category', async () => {
    // Arrange
    const target = new InMemoryImportTarget();

    // Act
    const report = await importTickets(config, target, osTicket(), options('osticket-mapping.json'));

    // Assert
    expect(report).toMatchObject({ imported: 2, already: 0, pastRetention: 1 });
    const projector = [...target.tickets.values()].find((ticket) => ticket.number === 702311)!;
    expect(projector).toMatchObject({
      subject: 'Proyektor di ruang 12 tidak menyala',
      description: 'Proyektor di ruang 12 tidak menyala sejak pagi.',
      status: 'closed',
      priority: 'high',
      category: 'facilities',
      team: 'sarpras',
      assignee: 'agus',
      channel: 'email',
      requester: { id: 'email:wahyu.pratama@guru.sekolah.example', name: 'Wahyu Pratama', email: 'wahyu.pratama@guru.sekolah.example' },
      // 07:45:10 in Jakarta (UTC+7).
      createdAt: '2026-08-03T00:45:10.000Z',
      closedAt: '2026-08-04T03:02:00.000Z',
      imported: { from: 'osticket', id: '101', number: '702311', at: NOW.toISOString() },
    });
    expect(projector.sla).toBeUndefined();
    expect(projector.retainUntil).toBe('2028-08-03T03:02:00.000Z');
    const history = target.historyOf(projector.id);
    expect(history.map((event) => [event.type, event.actor.id, 'visibility' in event.data ? event.data.visibility : undefined])).toEqual([
      ['TicketCreated', 'email:wahyu.pratama@guru.sekolah.example', undefined],
      ['Assigned', 'email:wahyu.pratama@guru.sekolah.example', undefined],
      ['CommentAdded', 'agus', 'internal'],
      ['CommentAdded', 'agus', 'public'],
      ['StatusChanged', 'import', undefined],
    ]);
    expect(history.map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
    expect(projector.version).toBe(5);
    expect(history[3]!.data).toEqual({ body: 'Lampu sudah diganti, silakan dicoba.', visibility: 'public' });
    expect(history.at(-1)!.ticket.status).toBe('closed');
    expect(target.counter).toBe(702312);
  });

  it('reports the broken record and goes on', async () => {
    // Act
    const report = await importTickets(config, new InMemoryImportTarget(), osTicket(), options('osticket-mapping.json'));

    // Assert
    expect(report.problems).toEqual([{ at: '[2]', problems: ['created: must be a date and time such as 2025-01-15 10:30:00'] }]);
  });

  it('writes nothing on a second run, nor in a dry run', async () => {
    // Arrange
    const target = new InMemoryImportTarget();
    await importTickets(config, target, osTicket(), options('osticket-mapping.json'));
    const writes = target.writes;

    // Act
    const again = await importTickets(config, target, osTicket(), options('osticket-mapping.json'));
    const dry = await importTickets(config, new InMemoryImportTarget(), osTicket(), options('osticket-mapping.json', { dryRun: true }));

    // Assert
    expect(again).toMatchObject({ imported: 0, already: 2 });
    expect(target.writes).toBe(writes);
    expect(dry).toMatchObject({ imported: 2, already: 0, pastRetention: 1 });
  });

  it('finishes a run that stopped between the history and the ticket, without doubling the history', async () => {
    // Arrange: the first run wrote the history, then died before the ticket.
    const target = new InMemoryImportTarget();
    const realWrite = target.writeTicket.bind(target);
    target.writeTicket = async () => {
      throw new Error('interrupted');
    };
    await importTickets(config, target, osTicket().slice(0, 1), options('osticket-mapping.json')).catch(() => undefined);
    target.writeTicket = realWrite;

    // Act
    const report = await importTickets(config, target, osTicket(), options('osticket-mapping.json'));

    // Assert
    expect(report.imported).toBe(2);
    // The projector's five history items once, the login ticket's two (filed, opened).
    expect(target.events.size).toBe(5 + 2);
  });

  it('moves numbers by the offset, and reports a number another ticket has', async () => {
    // Arrange
    const target = new InMemoryImportTarget();
    await target.writeTicket(aTicket({ id: '01JOWN0000000000000000001', number: 702311 }));

    // Act
    const clash = await importTickets(config, target, osTicket(), options('osticket-mapping.json'));
    const moved = await importTickets(
      config,
      new InMemoryImportTarget(),
      osTicket(),
      options('osticket-mapping.json', { numberOffset: 1_000_000 }),
    );

    // Assert
    expect(clash.problems).toContainEqual({
      at: '[0]',
      problems: ['number 702311 is taken by another ticket of this desk: run again with --number-offset'],
    });
    expect(moved.imported).toBe(2);
  });
});

describe('importing Zammad’s export', () => {
  it('maps groups, states and owners; keeps internal notes internal; leaves system notes out', async () => {
    // Arrange
    const target = new InMemoryImportTarget();

    // Act
    const report = await importTickets(config, target, zammad(), options('zammad-mapping.json'));

    // Assert
    expect(report.imported).toBe(2);
    expect(report.problems).toEqual([{ at: '[2]', problems: ['title: is missing'] }]);
    const spp = [...target.tickets.values()].find((ticket) => ticket.number === 60031)!;
    expect(spp).toMatchObject({
      status: 'closed',
      priority: 'high',
      category: 'finance',
      team: 'keuangan',
      assignee: 'dewi',
      channel: 'email',
      requester: { id: 'email:ortu.sari@example.org', name: 'Ibu Sari' },
    });
    expect(
      target
        .historyOf(spp.id)
        .filter((event) => event.type === 'CommentAdded')
        .map((event) => event.data),
    ).toEqual([
      { body: 'Cek mutasi rekening tanggal 5.', visibility: 'internal' },
      { body: 'Sudah kami catat, terima kasih.', visibility: 'public' },
    ]);
    const wifi = [...target.tickets.values()].find((ticket) => ticket.number === 60032)!;
    expect(wifi).toMatchObject({ status: 'pending', assignee: null, category: 'network', channel: 'web' });
  });
});

describe('a record of the wrong shape', () => {
  it('says in plain words which field is missing and which has the wrong type', () => {
    // Arrange
    const [first] = JSON.parse(fixture('zammad-tickets.json')) as Record<string, unknown>[];
    const { title: _title, ...untitled } = first!;

    // Act
    const missing = fromZammad(untitled);
    const wrongType = fromZammad({ ...first, title: 42 });
    const notAnObject = fromZammad('a line of text');

    // Assert
    expect(missing).toEqual({ problems: ['title: is missing'] });
    expect(wrongType).toEqual({ problems: ['title: must be a string'] });
    expect(notAnObject).toEqual({ problems: ['(record): must be an object'] });
  });
});

describe('converting one ticket', () => {
  const csvTicket = (row: Record<string, string>) => {
    const ticket = fromCsvRow({
      number: '1',
      subject: 'Kursi patah',
      status: 'open',
      created_at: '2026-10-20T01:30:00Z',
      requester_email: 'a@b.example',
      category: 'facilities',
      ...row,
    });
    if ('problems' in ticket) throw new Error(ticket.problems.join());
    return ticket;
  };

  it('names every reason it cannot, at once', () => {
    // Act
    const result = convertTicket(
      config,
      csvTicket({ category: 'kantin', status: 'lost', priority: 'urgent', number: 'A-1', requester_email: '', subject: ' ' }),
      {
        mapping: mappingSchema.parse({ categories: { kantin: 'canteen' } }),
        numberOffset: 0,
        now: NOW,
      },
    );

    // Assert
    expect(result).toEqual({
      problems: [
        'the mapping file maps category "kantin" to "canteen", which is not a category of the configuration',
        'status "lost" is not in the mapping file',
        'priority "urgent" is not in the mapping file',
        'number "A-1" is not a positive whole number',
        'the requester has neither an email address nor a phone number',
        'the subject is empty',
      ],
    });
    expect(
      convertTicket(config, csvTicket({ category: 'kantin' }), {
        mapping: mappingSchema.parse({ categories: {} }),
        numberOffset: 0,
        now: NOW,
      }),
    ).toEqual({
      problems: ['category "kantin" is not in the mapping file (add it, or a "*" entry)'],
    });
  });

  it('derives the same ids on every run, ordered by time', () => {
    // Act / Assert
    expect(importId('2026-10-20T01:30:00.000Z', 'csv:1')).toBe(importId('2026-10-20T01:30:00.000Z', 'csv:1'));
    expect(importId('2026-10-20T01:30:00.000Z', 'csv:1')).not.toBe(importId('2026-10-20T01:30:00.000Z', 'csv:2'));
    expect(importId('2026-10-20T01:30:00.000Z', 'z') < importId('2026-10-20T01:30:01.000Z', 'a')).toBe(true);
  });

  it('files a phone-only requester under their number and shortens an overlong subject', () => {
    // Act
    const result = convertTicket(config, csvTicket({ requester_email: '', requester_phone: '+62 812-3456', subject: 'x'.repeat(300) }), {
      mapping: mappingSchema.parse({ categories: { facilities: 'facilities' } }),
      numberOffset: 0,
      now: NOW,
    });

    // Assert
    if ('problems' in result) throw new Error(result.problems.join());
    expect(result.ticket.requester).toEqual({ id: 'phone:+628123456', phone: '+62 812-3456' });
    expect(result.ticket.subject).toHaveLength(200);
  });
});

describe('importing this desk’s own export', () => {
  it('writes tickets and events as they were, counts what was there, and reports a broken line', async () => {
    // Arrange
    const ticket = aTicket({ id: '01JOWN0000000000000000007', number: 7 });
    const event = created(ticket);
    const lines = [
      headerLine('01JEXPORT', NOW.toISOString()),
      ticketLine(ticket),
      ...eventLines(event),
      endLine({ tickets: 1, events: 1, files: 0 }),
    ];
    const records: ImportRecord[] = lines.map((line, index) => ({
      at: `line ${index + 1}`,
      line: exportLineSchema.parse(JSON.parse(line)),
    }));
    records.push({ at: 'line 9', problems: ['is not JSON'] });
    const target = new InMemoryImportTarget();

    // Act
    const first = await importTickets(config, target, records, options('csv-mapping.json'));
    const second = await importTickets(config, target, records, options('csv-mapping.json'));

    // Assert
    expect(first).toEqual({
      imported: 1,
      already: 0,
      pastRetention: 0,
      events: 1,
      problems: [{ at: 'line 9', problems: ['is not JSON'] }],
    });
    expect(second).toMatchObject({ imported: 0, already: 1 });
    expect(target.tickets.get(ticket.id)).toEqual(ticket);
    expect(target.historyOf(ticket.id)).toEqual([event]);
    expect(target.counter).toBe(7);
  });

  it('reports a ticket whose number another ticket has', async () => {
    // Arrange
    const target = new InMemoryImportTarget();
    await target.writeTicket(aTicket({ id: '01JOTHER000000000000000001', number: 7 }));
    const records: ImportRecord[] = [{ at: 'line 2', line: exportLineSchema.parse(JSON.parse(ticketLine(aTicket({ number: 7 })))) }];

    // Act
    const report = await importTickets(config, target, records, options('csv-mapping.json'));

    // Assert
    expect(report.problems).toEqual([{ at: 'line 2', problems: ['number 7 is taken by another ticket of this desk'] }]);
  });
});
