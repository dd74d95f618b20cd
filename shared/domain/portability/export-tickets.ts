// A full export: every ticket, history event, comment and file reference, as JSON Lines (export-format.ts),
// written as one object by a multipart upload. An administrator starts it (GET /admin/export) and polls it;
// a worker writes it in runs. Each part is uploaded, then the export's record takes the part and the read
// position after it (the checkpoint) in one conditional write; a run that is about to time out stops and
// schedules the next, and a run that dies anyway leaves the last checkpoint, so the next run re-reads only
// what was not yet in a part. The file is complete, each line once, however many runs it took.
import type { Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { forbidden, notFound } from '#shared/domain/errors.ts';
import type { Clock, IdGenerator } from '#shared/domain/tickets/ports.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { type ExportCounts, endLine, eventLines, fileCount, headerLine, ticketLine } from './export-format.ts';

export type ExportPart = { number: number; etag: string };

export type ExportJob = {
  id: string;
  status: 'running' | 'done' | 'failed';
  requestedBy: string;
  startedAt: string;
  /** Last progress (a part, a run starting): an export without progress for STALE_AFTER_MS is given up. */
  updatedAt: string;
  finishedAt?: string;
  /** The object's key in the bucket. */
  key: string;
  uploadId?: string;
  parts: ExportPart[];
  /** Where the next part's reading starts (the source's opaque position); undefined before the first part. */
  cursor?: string;
  /** What the uploaded parts hold. */
  counts: ExportCounts;
  /** Worker runs so far. */
  runs: number;
  /** Optimistic concurrency: a save is refused unless the stored record is at `version - 1`. */
  version: number;
};

/** The exports' records: each export, and which one is the latest. */
export interface ExportJobs {
  latest(): Promise<ExportJob | undefined>;
  get(id: string): Promise<ExportJob | undefined>;
  /** Records a new export as the latest, unless another became the latest since `previous` was read. */
  start(job: ExportJob, previous: string | undefined): Promise<boolean>;
  /** Saves the record if the stored one is at `job.version - 1`; false when another run changed it. */
  save(job: ExportJob): Promise<boolean>;
}

/** The table, read whole in pages: every ticket and history item, in a stable order. */
export interface ExportSource {
  page(cursor: string | undefined): Promise<{ tickets: Ticket[]; events: TicketEvent[]; cursor?: string | undefined }>;
}

/** Where the file goes: a multipart upload, and a link to download it. */
export interface ExportSink {
  begin(key: string): Promise<string>;
  part(key: string, uploadId: string, number: number, body: string): Promise<string>;
  complete(key: string, uploadId: string, parts: ExportPart[]): Promise<void>;
  /** A link that downloads the object for `seconds` without credentials. */
  link(key: string, seconds: number): Promise<string>;
}

export type ExportDeps = {
  jobs: ExportJobs;
  source: ExportSource;
  sink: ExportSink;
  /** Hands the export to a worker run (a message on the exports queue). */
  schedule: (exportId: string) => Promise<void>;
  clock: Clock;
  ids: IdGenerator;
  /** Bytes of a part before it is uploaded (S3: at least 5 MiB except the last); tests use less. */
  partBytes?: number;
};

export const EXPORT_PREFIX = 'exports/';
/** S3's smallest part but the last. */
export const PART_BYTES = 5 * 1024 * 1024;
/** A run stops and hands over when less than this is left of its time. */
export const HAND_OVER_MS = 60_000;
/** An export that made no progress for this long is given up: the next request starts a new one. */
export const STALE_AFTER_MS = 2 * 3600_000;
/** How long the download link works. */
export const LINK_SECONDS = 3600;

const requireExporter = (identity: Identity) => {
  if (!can(callerOf(identity), 'export:run')) throw forbidden('Only an administrator can export the desk.');
};

export type ExportView = {
  id: string;
  status: ExportJob['status'];
  startedAt: string;
  finishedAt?: string;
  counts: ExportCounts;
  /** When done: the link and until when it works. */
  download?: { url: string; expiresAt: string };
};

const viewOf = async (deps: ExportDeps, job: ExportJob): Promise<ExportView> => {
  const view: ExportView = { id: job.id, status: job.status, startedAt: job.startedAt, counts: job.counts };
  if (job.finishedAt) view.finishedAt = job.finishedAt;
  if (job.status === 'done') {
    const expiresAt = new Date(deps.clock.now().getTime() + LINK_SECONDS * 1000).toISOString();
    view.download = { url: await deps.sink.link(job.key, LINK_SECONDS), expiresAt };
  }
  return view;
};

const stale = (job: ExportJob, now: Date) => now.getTime() - Date.parse(job.updatedAt) > STALE_AFTER_MS;

/**
 * Starts an export, or joins the one running (a second click does not start a second export). Admins only.
 * `started` says whether this call started it.
 */
export const startExport = async (deps: ExportDeps, identity: Identity): Promise<{ export: ExportView; started: boolean }> => {
  requireExporter(identity);
  const now = deps.clock.now();
  const latest = await deps.jobs.latest();
  if (latest?.status === 'running' && !stale(latest, now)) return { export: await viewOf(deps, latest), started: false };
  const id = deps.ids.next();
  const job: ExportJob = {
    id,
    status: 'running',
    requestedBy: identity.id,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    key: `${EXPORT_PREFIX}${id}.jsonl`,
    parts: [],
    counts: { tickets: 0, events: 0, files: 0 },
    runs: 0,
    version: 1,
  };
  if (!(await deps.jobs.start(job, latest?.id))) {
    // Someone started one at the same moment: that one is the export.
    const winner = await deps.jobs.latest();
    if (winner) return { export: await viewOf(deps, winner), started: false };
  }
  await deps.schedule(id);
  return { export: await viewOf(deps, job), started: true };
};

/** One export as it stands, with its download link once done. Admins only; an unknown id is 404. */
export const exportStatus = async (deps: ExportDeps, identity: Identity, id: string): Promise<ExportView> => {
  requireExporter(identity);
  const job = await deps.jobs.get(id);
  if (!job) throw notFound(`Export ${id} was not found.`);
  if (job.status === 'running' && stale(job, deps.clock.now())) return { ...(await viewOf(deps, job)), status: 'failed' };
  return viewOf(deps, job);
};

export type RunOutcome = 'done' | 'handed-over' | 'not-running' | 'superseded';

/** Saves the record one version on; false when another run got there first (this run then stops). */
const advance = async (deps: ExportDeps, job: ExportJob, change: Partial<ExportJob>): Promise<ExportJob | undefined> => {
  const next: ExportJob = { ...job, ...change, updatedAt: deps.clock.now().toISOString(), version: job.version + 1 };
  return (await deps.jobs.save(next)) ? next : undefined;
};

/**
 * One worker run: from the export's checkpoint, reads pages, uploads a part whenever one is full, and records
 * each part with the position after it. Hands over (schedules the next run) when `timeLeftMs()` drops below
 * HAND_OVER_MS; completes the upload when the source is read to the end.
 */
export const runExport = async (deps: ExportDeps, exportId: string, timeLeftMs: () => number): Promise<RunOutcome> => {
  const partBytes = deps.partBytes ?? PART_BYTES;
  const found = await deps.jobs.get(exportId);
  if (found?.status !== 'running') return 'not-running';
  let job = await advance(deps, found, { runs: found.runs + 1 });
  if (!job) return 'superseded';
  if (!job.uploadId) {
    job = await advance(deps, job, { uploadId: await deps.sink.begin(job.key) });
    if (!job) return 'superseded';
  }
  const uploadId = job.uploadId!;
  // Lines read since the last checkpoint; counted into the record only with the part that holds them.
  let lines: string[] = job.parts.length === 0 ? [headerLine(job.id, job.startedAt)] : [];
  let bytes = 0;
  let pending: ExportCounts = { tickets: 0, events: 0, files: 0 };
  let cursor = job.cursor;
  for (;;) {
    if (timeLeftMs() < HAND_OVER_MS) {
      // What was read since the last part is read again by the next run: nothing is lost or doubled.
      await deps.schedule(job.id);
      return 'handed-over';
    }
    const page = await deps.source.page(cursor);
    for (const ticket of page.tickets) lines.push(ticketLine(ticket));
    for (const event of page.events) lines.push(...eventLines(event));
    pending = {
      tickets: pending.tickets + page.tickets.length,
      events: pending.events + page.events.length,
      files: pending.files + fileCount(page.events),
    };
    bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    cursor = page.cursor;
    const end = cursor === undefined;
    if (!end && bytes < partBytes) continue;
    const counts = {
      tickets: job.counts.tickets + pending.tickets,
      events: job.counts.events + pending.events,
      files: job.counts.files + pending.files,
    };
    if (end) lines.push(endLine(counts));
    const number = job.parts.length + 1;
    const etag = await deps.sink.part(job.key, uploadId, number, `${lines.join('\n')}\n`);
    const parts = [...job.parts, { number, etag }];
    job = await advance(deps, job, { parts, counts, ...(cursor === undefined ? {} : { cursor }) });
    if (!job) return 'superseded';
    lines = [];
    pending = { tickets: 0, events: 0, files: 0 };
    if (end) {
      await deps.sink.complete(job.key, uploadId, parts);
      const done = await advance(deps, job, { status: 'done', finishedAt: deps.clock.now().toISOString() });
      return done ? 'done' : 'superseded';
    }
  }
};
