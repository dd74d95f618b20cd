// The representative scenario `npm run cost` measures, through a sandbox on free ports with its schedules
// run on demand: the idle SLA check, then tickets living their whole life (half filed by API, half by mail;
// routed, answered, pending, the requester's reply, resolved, rated; agents reading their queue; a lead
// reading the reports), then the weekly trends job. Each part is metered on its own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { startSandbox } from '#sandbox/sandbox.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { waitForMail } from '#test/integration/mail-viewer.ts';
import { waitFor } from '#test/integration/wait-for.ts';
import type { Measured, Meter } from './meter.ts';

export type ScenarioCounts = {
  /** One idle run of the one-minute SLA check (the average of `idleRuns`). */
  idleSlaCheck: Measured;
  idleRuns: number;
  /** Everything the tickets caused, the pipeline behind the API included. */
  tickets: Measured;
  ticketCount: number;
  /** One run of the weekly trends job on the scenario's statistics. */
  trends: Measured;
};

type Person = { sub: string; name: string; email: string; groups: string[]; teams?: string[] };
const ROSTER = (JSON.parse(readFileSync(new URL('../../sandbox/staff-roster.json', import.meta.url), 'utf8')) as { people: Person[] })
  .people;

const SUBJECTS = [
  ['Wifi di ruang guru putus-putus', 'network'],
  ['Lupa kata sandi akun e-learning', 'accounts'],
  ['Proyektor kelas XI IPA 2 tidak menyala', 'hardware'],
  ['Slip gaji bulan ini belum terkirim', 'finance'],
  ['AC ruang kepala sekolah bocor', 'facilities'],
] as const;

/** The longest visibility timeout of queues.ts, plus 30 s. */
const SETTLE_TIMEOUT_MS = (Math.max(...QUEUES.map((queue) => queue.visibilityTimeoutSeconds)) + 30) * 1000;

export const runScenario = async (meter: Meter, options: { tickets: number; idleRuns: number; log: (line: string) => void }) => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-cost-'));
  const sandbox = await startSandbox({ port: 0, dir, schedules: false });
  try {
    const url = sandbox.apiUrl;
    const call = async (path: string, init: { method?: string; token?: string; body?: unknown; accept?: string } = {}) => {
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.accept ? { accept: init.accept } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text.slice(0, 300)}`);
      return text && response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as any) : text;
    };
    const tokenFor = async (who: Partial<Person> & { sub: string }) =>
      ((await call('/_local/token', { method: 'POST', body: { groups: ['requester'], ...who } })) as { token: string }).token;
    const health = () => call('/_local/health');
    /** Until nothing is on its way through the bus or a queue: what the tickets caused has all happened. */
    const settled = async () => {
      let quiet = 0;
      await waitFor(
        async () => {
          const { emulators } = await health();
          const queues = Object.values(emulators.sqs.queues) as { visible: number; inFlight: number }[];
          const idle = emulators.eventbridge.pendingDeliveries === 0 && queues.every((queue) => queue.visible + queue.inFlight === 0);
          quiet = idle ? quiet + 1 : 0;
          return quiet;
        },
        (count) => count >= 5, // half a second of quiet: the stream poller has had its turn
        // A message a consumer failed (the search index's lost race under concurrent events) comes back only
        // after its queue's visibility timeout: wait that long, and some more.
        SETTLE_TIMEOUT_MS,
      );
    };
    const sesEndpoint = (await health()).emulators.ses.endpoint as string;
    const smtpPort = sandbox.smtpPort;
    await settled();
    meter.take(); // the sandbox's start (seeding the roster and the knowledge base) is not the helpdesk's bill

    options.log(`  the idle SLA check, ${options.idleRuns}×`);
    for (let run = 0; run < options.idleRuns; run++) await call('/_local/run/check-sla', { method: 'POST' });
    const idleSlaCheck = meter.take();

    options.log(`  ${options.tickets} tickets through their whole life`);
    const lead = await tokenFor(ROSTER.find((person) => person.sub === 'rina')!);
    const staffToken = new Map<string, string>();
    const tokenOf = async (sub: string) => {
      if (!staffToken.has(sub)) staffToken.set(sub, await tokenFor(ROSTER.find((person) => person.sub === sub)!));
      return staffToken.get(sub)!;
    };
    for (let index = 0; index < options.tickets; index++) {
      const [topic, category] = SUBJECTS[index % SUBJECTS.length]!;
      const subject = `${topic} (${index + 1})`;
      const byMail = index % 2 === 1;
      const requester = { sub: `requester-${index}`, name: `Peminta ${index}`, email: `peminta${index}@example.org` };
      const requesterToken = await tokenFor(requester);
      let id: string;
      if (byMail) {
        await createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({
          from: `${requester.name} <${requester.email}>`,
          to: 'helpdesk@sekolah.example',
          subject,
          text: `${topic}. Mohon bantuannya.\n\n${requester.name}`,
        });
        id = (await waitFor(
          async () =>
            ((await call('/tickets?limit=100', { token: lead })).items as { id: string; subject: string }[]).find(
              (t) => t.subject === subject,
            ),
          (found) => found !== undefined,
        ))!.id;
      } else {
        id = (
          await call('/tickets', {
            method: 'POST',
            token: requesterToken,
            body: { subject, category, channel: 'web', description: `${topic}. Mohon bantuannya.` },
          })
        ).id as string;
      }
      const routed = await waitFor(
        () => call(`/tickets/${id}`, { token: lead }),
        (ticket) => Boolean(ticket.assignee),
      );
      const agent = await tokenOf(routed.assignee as string);
      // The agent's day: the queue, the ticket, an answer, pending; the requester replies; resolved.
      await call(`/tickets?assignee=me&limit=25`, { token: agent });
      await call(`/tickets/${id}`, { token: agent });
      await call(`/tickets/${id}/comments`, {
        method: 'POST',
        token: agent,
        body: { body: 'Sudah kami cek. Mohon dicoba lagi.', visibility: 'public' },
      });
      await call(`/tickets/${id}`, { method: 'PATCH', token: agent, body: { status: 'pending' } });
      if (!byMail)
        await call(`/tickets/${id}/comments`, {
          method: 'POST',
          token: requesterToken,
          body: { body: 'Sudah bisa, terima kasih.', visibility: 'public' },
        });
      await call(`/tickets?assignee=me&limit=25`, { token: agent });
      await call(`/tickets/${id}/events`, { token: agent });
      await call(`/tickets/${id}`, { method: 'PATCH', token: agent, body: { status: 'resolved' } });
      // Rated: by the console (API tickets) or by the link in the "resolved" mail (mail tickets).
      if (byMail) {
        const number = routed.number as number;
        const mail = await waitForMail(sesEndpoint, (sent) => sent.subject.startsWith(`[#${number}] Selesai`), 20_000);
        const link = /https?:\/\/\S+?(\/csat\/[A-Za-z0-9_.-]+\?rating=5)/.exec(mail.body.text ?? '')![1]!;
        await call(link);
      } else {
        await call(`/tickets/${id}`, { token: requesterToken });
        await call(`/tickets/${id}/csat`, { method: 'PUT', token: requesterToken, body: { rating: 5 } });
      }
      await settled();
    }
    // A lead reads the reports once per five tickets (a weekly look on a small desk).
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    // A lead reads the figures of a team they lead (the whole desk's are the administrators').
    const team = ROSTER.find((person) => person.sub === 'rina')!.teams![0]!;
    for (let read = 0; read < Math.max(1, Math.round(options.tickets / 5)); read++) {
      await call(`/reports/summary?from=${day(30)}&to=${day(0)}&team=${team}`, { token: lead });
      await call(`/reports/forecast?team=${team}`, { token: lead });
    }
    await settled();
    const tickets = meter.take();

    options.log('  the weekly trends job');
    await call('/_local/run/detect-trends', { method: 'POST' });
    await settled();
    const trends = meter.take();
    return { idleSlaCheck, idleRuns: options.idleRuns, tickets, ticketCount: options.tickets, trends } satisfies ScenarioCounts;
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
