// CSAT through a sandbox of its own: a ticket resolved through the API, its "resolved" mail read back from
// the SES emulator's store, a rating link clicked (then another: the last click wins), the comment form
// posted as a browser would, the CsatRated events in the history, and the report's CSAT figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;
let sesEndpoint: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helpdesk-csat-'));
  sandbox = await startSandboxProcess(dir);
  api = clientFor(sandbox.url);
  sesEndpoint = (await api.call('/_local/health')).body.emulators.ses.endpoint;
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSAT through the sandbox', () => {
  it('rates a resolved ticket from its mail: last click wins, the comment form, the history and the report', async () => {
    // Arrange: a ticket filed, answered and resolved; its "resolved" mail.
    const ani = await api.tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org', groups: ['requester'] });
    const budi = await api.tokenFor({ sub: 'budi', name: 'Budi', groups: ['agent'], teams: ['it-support'] });
    // The whole desk's figures are an administrator's (a lead reads the teams they lead).
    const lead = await api.tokenFor({ sub: 'root', name: 'Root', groups: ['admin'] });
    const ticket = (
      await api.call('/tickets', { method: 'POST', token: ani, body: { subject: 'Printer macet', category: 'hardware', channel: 'web' } })
    ).body;
    expect(
      (
        await api.call(`/tickets/${ticket.id}/comments`, {
          method: 'POST',
          token: budi,
          body: { body: 'Sudah kami perbaiki.', visibility: 'public' },
        })
      ).status,
    ).toBe(201);
    expect((await api.call(`/tickets/${ticket.id}`, { method: 'PATCH', token: budi, body: { status: 'resolved' } })).status).toBe(200);
    const resolvedMail = await waitForMail(sesEndpoint, (mail) => mail.subject.startsWith(`[#${ticket.number}] Selesai`));
    const links = [...resolvedMail.body.text!.matchAll(/https?:\/\/\S+?(\/csat\/[A-Za-z0-9_.-]+\?rating=(\d))/g)].map((match) => match[1]!);
    expect(links.map((path) => path.slice(-1))).toEqual(['1', '2', '3', '4', '5']);
    expect(resolvedMail.body.html).toContain('?rating=5');

    // Act: a click on 2, then on 4 (the last click wins), the same link again, a forged link, then the form.
    const first = await fetch(`${sandbox.url}${links[1]}`, { headers: { accept: 'text/html' } });
    const firstPage = await first.text();
    const second = await api.call(links[3]!);
    const replay = await api.call(links[3]!);
    const forged = await api.call(links[3]!.replace(/[A-Za-z0-9_-]{4}\?/, 'AAAA?'));
    const token = /\/csat\/([^?]+)\?/.exec(links[0]!)![1]!;
    const form = await fetch(`${sandbox.url}/csat/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ rating: '4', comment: 'Cepat, <terima kasih>!' }).toString(),
    });
    const formPage = await form.text();

    // Assert: the pages, in Indonesian, escaped, with a form that posts back to the link
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(firstPage).toContain('<html lang="id">');
    expect(firstPage).toContain(`tiket #${ticket.number}: 2 dari 5`);
    expect(firstPage).toContain('<form method="post"');
    expect(second).toMatchObject({ status: 200, body: { outcome: 'replaced', rating: 4 } });
    expect(replay).toMatchObject({ status: 200, body: { outcome: 'unchanged', rating: 4 } });
    expect(forged.status).toBe(404);
    expect(form.status).toBe(200);
    expect(formPage).toContain('Komentar Anda sudah kami simpan.');
    expect(formPage).not.toContain('<terima kasih>');
    // the history: three votes (2, then 4, then 4 with a comment), by the requester
    const events = (await api.call(`/tickets/${ticket.id}/events`, { token: budi })).body.items as {
      type: string;
      data: any;
      actor: any;
    }[];
    expect(
      events
        .filter((event) => event.type === 'CsatRated')
        .map((event) => [event.data.rating, event.data.previous, event.data.comment, event.actor.role]),
    ).toEqual([
      [2, null, undefined, 'requester'],
      [4, 2, undefined, 'requester'],
      [4, 4, 'Cepat, <terima kasih>!', 'requester'],
    ]);
    expect((await api.call(`/tickets/${ticket.id}`, { token: budi })).body.csat).toMatchObject({
      rating: 4,
      comment: 'Cepat, <terima kasih>!',
    });
    // the report: one response of rating 4 for the one resolution of the day
    const now = (await api.call('/_local/health')).body.now as string;
    const today = new Date(Date.parse(now) + 7 * 3600_000).toISOString().slice(0, 10);
    const report = await waitFor(
      async () => (await api.call(`/reports/summary?from=${today}&to=${today}`, { token: lead })).body,
      (body) => body.csat?.responses === 1 && body.csat.mean === 4 && body.resolution.resolved === 1,
    );
    expect(report.csat).toEqual({
      mean: 4,
      responses: 1,
      responseRate: 1,
      byRating: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
      comments: [expect.objectContaining({ ticketId: ticket.id, rating: 4, comment: 'Cepat, <terima kasih>!' })],
    });
  });
});
