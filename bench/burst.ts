// `npm run bench -- burst [tickets] [requesters]`: where a burst of new tickets goes, per function. Files the
// tickets through the API of an in-process sandbox, waits until every queue is empty, and prints each
// function's invocations and mean duration a ticket and every AWS request a ticket, by who sent it (the meter of
// `npm run cost`). For finding what to make cheaper; the figures that count are `npm run bench -- throughput`'s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '#sandbox/sandbox.ts';
import type { Meter } from './cost/meter.ts';

const SUBJECTS = [
  'Printer di ruang guru tidak bisa mencetak',
  'Wifi lab komputer putus-putus',
  'Lupa password e-rapor',
  'AC ruang kelas 7B bocor',
  'Tagihan SPP bulan ini salah',
  'Minta surat keterangan aktif siswa',
];
/** A requester may file 20 tickets an hour (the configuration's default). */
const PER_REQUESTER = 20;

export const measureBurst = async (meter: Meter, tickets: number, requesters: number, log: (line: string) => void) => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-burst-'));
  const sandbox = await startSandbox({ port: 0, dir, schedules: false });
  try {
    const call = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
      const response = await fetch(`${sandbox.apiUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, any> };
    };
    const drained = async () => {
      for (let quiet = 0; quiet < 5; ) {
        const { emulators } = (await call('/_local/health')).body;
        const queues = Object.values(emulators.sqs.queues) as { visible: number; inFlight: number }[];
        quiet =
          emulators.eventbridge.pendingDeliveries === 0 && queues.every((queue) => queue.visible + queue.inFlight === 0) ? quiet + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await drained();
    const tokens: string[] = [];
    for (let index = 0; index * PER_REQUESTER < tickets; index++)
      tokens.push(
        (
          await call('/_local/token', {
            method: 'POST',
            body: { sub: `burst-${index}`, email: `burst-${index}@example.org`, groups: ['requester'] },
          })
        ).body.token,
      );
    meter.take();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: requesters }, async () => {
        while (next < tickets) {
          const index = next++;
          const { status } = await call('/tickets', {
            method: 'POST',
            token: tokens[Math.floor(index / PER_REQUESTER)],
            body: { subject: SUBJECTS[index % SUBJECTS.length] },
          });
          if (status !== 201) log(`  POST /tickets answered ${status}`);
        }
      }),
    );
    const filed = performance.now();
    await drained();
    const measured = meter.take();
    log(
      `${tickets} tickets filed in ${((filed - started) / 1000).toFixed(1)} s, every queue empty after ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const byFunction = new Map<string, { invocations: number; ms: number }>();
    for (const { fn, ms } of measured.invocations) {
      const entry = byFunction.get(fn) ?? { invocations: 0, ms: 0 };
      entry.invocations++;
      entry.ms += ms;
      byFunction.set(fn, entry);
    }
    const requests = new Map<string, number>();
    for (const request of measured.requests) {
      const key = `${request.sender || '(the sandbox)'} ${request.service} ${request.operation}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    }
    return [
      '| function | invocations a ticket | mean duration (ms) |',
      '| --- | --- | --- |',
      ...[...byFunction]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([fn, { invocations, ms }]) => `| ${fn} | ${(invocations / tickets).toFixed(2)} | ${(ms / invocations).toFixed(1)} |`),
      '',
      '| sender, service, request | a ticket |',
      '| --- | --- |',
      ...[...requests].sort((a, b) => b[1] - a[1]).map(([key, count]) => `| ${key} | ${(count / tickets).toFixed(2)} |`),
    ].join('\n');
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
