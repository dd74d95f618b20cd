import { describe, expect, it } from 'vitest';
import { type ExportLine, exportLineSchema } from '#shared/domain/portability/export-format.ts';
import {
  type ExportDeps,
  exportStatus,
  HAND_OVER_MS,
  runExport,
  STALE_AFTER_MS,
  startExport,
} from '#shared/domain/portability/export-tickets.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { fakeClock, sequentialIds } from '#test/fixtures/clock.ts';
import { admin, alice, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryBucket, InMemoryExportJobs, pagedSource } from '#test/fixtures/in-memory-export.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

/** Three tickets, each with a creation and a comment (one with an attachment). */
const desk = () => {
  const items: ({ ticket: ReturnType<typeof aTicket> } | { event: TicketEvent })[] = [];
  for (const n of [1, 2, 3]) {
    const ticket = aTicket({ id: `01JTICKET00000000000000000${n}`, number: n });
    const base = {
      ticketId: ticket.id,
      number: n,
      version: 1,
      at: ticket.createdAt,
      actor: { id: 'user-alice', role: 'requester' as const },
    };
    const snapshot = {
      status: 'new',
      priority: 'medium',
      category: 'network',
      team: 'it-support',
      assignee: null,
      channel: 'web',
    } as const;
    items.push({
      event: {
        ...base,
        id: `01JEVENT0000000000000000${n}A`,
        type: 'TicketCreated',
        data: {
          subject: ticket.subject,
          channel: 'web',
          category: 'network',
          team: 'it-support',
          priority: 'medium',
          classifiedBy: 'keywords',
        },
        ticket: snapshot,
      } as TicketEvent,
    });
    items.push({
      event: {
        ...base,
        id: `01JEVENT0000000000000000${n}B`,
        type: 'CommentAdded',
        data: {
          body: `Balasan ${n}`,
          visibility: 'public',
          ...(n === 2
            ? { attachments: [{ name: 'foto.jpg', size: 2048, contentType: 'image/jpeg', key: 'attachments/abc/0-foto.jpg' }] }
            : {}),
        },
        ticket: snapshot,
      } as TicketEvent,
    });
    items.push({ ticket });
  }
  return items;
};

const depsFor = (options: { pageSize?: number; partBytes?: number } = {}) => {
  const jobs = new InMemoryExportJobs();
  const bucket = new InMemoryBucket();
  const source = pagedSource(desk(), options.pageSize ?? 2);
  const scheduled: string[] = [];
  const clock = fakeClock();
  const deps: ExportDeps = {
    jobs,
    source,
    sink: bucket,
    schedule: async (id) => void scheduled.push(id),
    clock,
    ids: sequentialIds('01JEXPORT'),
    partBytes: options.partBytes ?? 1,
  };
  return { deps, jobs, bucket, source, scheduled, clock };
};

const plenty = () => 10 * 60_000;

const linesOf = (text: string): ExportLine[] =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => exportLineSchema.parse(JSON.parse(line)));

describe('starting an export', () => {
  it('is an administrator’s alone', async () => {
    // Arrange
    const { deps, scheduled } = depsFor();

    // Act / Assert
    for (const who of [alice, ivan, sari]) await expect(startExport(deps, who)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(exportStatus(deps, ivan, 'x')).rejects.toMatchObject({ kind: 'forbidden' });
    expect(scheduled).toEqual([]);
  });

  it('starts one export and hands it to a worker; a second request joins it', async () => {
    // Arrange
    const { deps, scheduled } = depsFor();

    // Act
    const first = await startExport(deps, admin);
    const second = await startExport(deps, admin);

    // Assert
    expect(first.started).toBe(true);
    expect(first.export).toMatchObject({ status: 'running', counts: { tickets: 0, events: 0, files: 0 } });
    expect(second).toEqual({ export: first.export, started: false });
    expect(scheduled).toEqual([first.export.id]);
  });

  it('starts a new one once the last is done, or has made no progress for two hours', async () => {
    // Arrange
    const { deps, clock } = depsFor();
    const first = await startExport(deps, admin);
    await runExport(deps, first.export.id, plenty);
    const second = await startExport(deps, admin);
    clock.advance(STALE_AFTER_MS + 1);

    // Act
    const stalled = await exportStatus(deps, admin, second.export.id);
    const third = await startExport(deps, admin);

    // Assert
    expect(second.started).toBe(true);
    expect(stalled.status).toBe('failed');
    expect(third.started).toBe(true);
    expect(new Set([first.export.id, second.export.id, third.export.id]).size).toBe(3);
  });

  it('joins the export another request started at the same moment', async () => {
    // Arrange
    const { deps, jobs } = depsFor();
    const winner = await startExport(deps, admin);
    const realLatest = jobs.latest.bind(jobs);
    let calls = 0;
    // The first read of "latest" sees nothing yet (the other start had not been written), the second sees it.
    jobs.latest = async () => (++calls === 1 ? undefined : realLatest());

    // Act
    const loser = await startExport(deps, admin);

    // Assert
    expect(loser).toEqual({ export: winner.export, started: false });
  });

  it('is 404 for an export that does not exist', async () => {
    await expect(exportStatus(depsFor().deps, admin, '01JNOPE')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('running an export', () => {
  it('writes every ticket, event and file reference once, between a header and a trailer, and links to it', async () => {
    // Arrange
    const { deps, bucket } = depsFor();
    const { export: started } = await startExport(deps, admin);

    // Act
    const outcome = await runExport(deps, started.id, plenty);
    const status = await exportStatus(deps, admin, started.id);

    // Assert
    expect(outcome).toBe('done');
    const lines = linesOf(bucket.objects.get(`exports/${started.id}.jsonl`)!);
    expect(lines[0]).toMatchObject({ kind: 'helpdesk-export', version: 1, exportId: started.id });
    expect(lines.at(-1)).toEqual({ kind: 'end', tickets: 3, events: 6, files: 1 });
    expect(lines.filter((line) => line.kind === 'ticket')).toHaveLength(3);
    expect(lines.filter((line) => line.kind === 'event')).toHaveLength(6);
    expect(lines.filter((line) => line.kind === 'file')).toEqual([
      {
        kind: 'file',
        ticketId: '01JTICKET000000000000000002',
        eventId: '01JEVENT00000000000000002B',
        name: 'foto.jpg',
        size: 2048,
        contentType: 'image/jpeg',
        key: 'attachments/abc/0-foto.jpg',
      },
    ]);
    expect(status).toMatchObject({
      status: 'done',
      counts: { tickets: 3, events: 6, files: 1 },
      download: { url: `https://bucket.example/exports/${started.id}.jsonl?expires=3600`, expiresAt: '2026-03-02T03:00:00.000Z' },
    });
  });

  it('hands over before its time runs out and the next run finishes it: nothing lost, nothing twice', async () => {
    // Arrange
    const { deps, bucket, scheduled } = depsFor({ pageSize: 2, partBytes: 1 });
    const { export: started } = await startExport(deps, admin);
    let pages = 0;
    const source = deps.source;
    deps.source = {
      page: async (cursor) => {
        pages++;
        return source.page(cursor);
      },
    };
    // Time for two pages, then the clock says a minute is left.
    const timeLeft = () => (pages < 2 ? 10 * 60_000 : HAND_OVER_MS - 1);

    // Act
    const first = await runExport(deps, started.id, timeLeft);
    const second = await runExport(deps, started.id, plenty);

    // Assert
    expect([first, second]).toEqual(['handed-over', 'done']);
    expect(scheduled).toEqual([started.id, started.id]);
    const lines = linesOf(bucket.objects.get(`exports/${started.id}.jsonl`)!);
    expect(lines.filter((line) => line.kind === 'ticket').map((line) => (line.kind === 'ticket' ? line.ticket.number : 0))).toEqual([
      1, 2, 3,
    ]);
    expect(lines.filter((line) => line.kind === 'event')).toHaveLength(6);
    expect(lines.filter((line) => line.kind === 'helpdesk-export')).toHaveLength(1);
  });

  it('resumes from the last uploaded part after a run died (a timeout, a crash), re-reading only what was not written', async () => {
    // Arrange: parts of about three lines; the third part's upload fails once, as if the function had died there.
    const { deps, bucket, source } = depsFor({ pageSize: 3, partBytes: 200 });
    const { export: started } = await startExport(deps, admin);
    bucket.failParts.add(3);

    // Act
    const died = await runExport(deps, started.id, plenty).catch((error: unknown) => error);
    const readsBefore = source.reads;
    const resumed = await runExport(deps, started.id, plenty);

    // Assert
    expect(died).toBeInstanceOf(Error);
    expect(resumed).toBe('done');
    // The resumed run started after part 2's pages, not from the beginning.
    expect(source.reads - readsBefore).toBeLessThan(readsBefore);
    const lines = linesOf(bucket.objects.get(`exports/${started.id}.jsonl`)!);
    const ids = lines.flatMap((line) => (line.kind === 'event' ? [line.event.id] : line.kind === 'ticket' ? [line.ticket.id] : []));
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
    expect(lines.at(-1)).toEqual({ kind: 'end', tickets: 3, events: 6, files: 1 });
  });

  it('does nothing for an export that is not running, and stops when another run got ahead of it', async () => {
    // Arrange
    const { deps, jobs } = depsFor();
    const { export: started } = await startExport(deps, admin);
    const realSave = jobs.save.bind(jobs);
    jobs.save = async () => false;

    // Act
    const superseded = await runExport(deps, started.id, plenty);
    jobs.save = realSave;
    await runExport(deps, started.id, plenty);
    const again = await runExport(deps, started.id, plenty);
    const unknown = await runExport(deps, '01JNOPE', plenty);

    // Assert
    expect(superseded).toBe('superseded');
    expect(again).toBe('not-running');
    expect(unknown).toBe('not-running');
  });
});
