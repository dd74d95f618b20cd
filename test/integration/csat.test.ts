// CSAT through a sandbox of its own: a ticket resolved through the API, its "resolved" mail read back from
// the SES emulator's store, a rating link opened (it shows the choice and records nothing, so a mail scanner
// opening every link casts no vote), votes sent (the last one wins), the page's form posted as a browser
// would, the CsatRated events in the history, and the report's CSAT figures.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';
import { recentDays } from './report-range.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;
let sesEndpoint: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-csat-');
  sandbox = await startSandboxProcess(dir);
  api = clientFor(sandbox.url);
  sesEndpoint = (await api.call('/_local/health')).body.emulators.ses.endpoint;
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A ticket filed by Ani, answered and resolved by Budi; the five rating links of its "resolved" mail. */
const resolvedTicket = async (subject: string) => {
  const ani = await api.tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org', groups: ['requester'] });
  const budi = await api.tokenFor({ sub: 'budi', name: 'Budi', groups: ['agent'], teams: ['it-support'] });
  const ticket = (await api.call('/tickets', { method: 'POST', token: ani, body: { subject, category: 'hardware', channel: 'web' } })).body;
  await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: budi, body: { body: 'Sudah kami perbaiki.' } });
  await api.call(`/tickets/${ticket.id}`, { method: 'PATCH', token: budi, body: { status: 'resolved' } });
  const mail = await waitForMail(sesEndpoint, (candidate) => candidate.subject.startsWith(`[#${ticket.number}] Selesai`));
  const links = [...mail.body.text!.matchAll(/https?:\/\/\S+?(\/csat\/[A-Za-z0-9_.-]+\?rating=(\d))/g)].map((match) => match[1]!);
  return { ticket, budi, mail, links };
};

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

    // Act: the link for 2 opened, the vote for 2 sent, then 4 (the last vote wins), 4 again, a forged link,
    // then the page's form with a comment.
    const token = /\/csat\/([^?]+)\?/.exec(links[0]!)![1]!;
    const vote = (body: Record<string, unknown>) => api.call(`/csat/${token}`, { method: 'POST', body });
    const first = await fetch(`${sandbox.url}${links[1]}`, { headers: { accept: 'text/html' } });
    const firstPage = await first.text();
    const two = await vote({ rating: 2 });
    const second = await vote({ rating: 4 });
    const replay = await vote({ rating: 4 });
    const forged = await api.call(links[3]!.replace(/[A-Za-z0-9_-]{4}\?/, 'AAAA?'));
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
    expect(firstPage).toContain(`tiket #${ticket.number}?`);
    expect(firstPage).toContain('value="2" checked');
    expect(firstPage).toContain('<form method="post"');
    expect(two).toMatchObject({ status: 200, body: { outcome: 'recorded', rating: 2 } });
    expect(second).toMatchObject({ status: 200, body: { outcome: 'replaced', rating: 4 } });
    expect(replay).toMatchObject({ status: 200, body: { outcome: 'unchanged', rating: 4 } });
    expect(forged.status).toBe(404);
    expect(form.status).toBe(200);
    expect(formPage).toContain(`tiket #${ticket.number}: 4 dari 5`);
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
    // the report: one response of rating 4 for the one resolution
    const now = (await api.call('/_local/health')).body.now as string;
    const report = await waitFor(
      async () => (await api.call(`/reports/summary?${recentDays(now)}`, { token: lead })).body,
      (body) => body.csat?.responses === 1 && body.csat.mean === 4 && body.csat.comments?.length === 1 && body.resolution.resolved === 1,
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

describe('a rating link opened by a mail scanner', () => {
  it('casts no vote: the GET shows the choice with the rating preselected, and only the page’s POST records it', async () => {
    // Arrange
    const { ticket, budi, mail, links } = await resolvedTicket('Proyektor mati (pemindai tautan)');

    // Act: a scanner opens every link, as a browser and as a bot; then the person sends the page's form
    const pages = [];
    for (const link of links) pages.push(await fetch(`${sandbox.url}${link}`, { headers: { accept: 'text/html' } }));
    const bodies = await Promise.all(pages.map((page) => page.text()));
    const asJson = await api.call(links[0]!);
    const afterScan = (await api.call(`/tickets/${ticket.id}`, { token: budi })).body;
    const historyAfterScan = (await api.call(`/tickets/${ticket.id}/events`, { token: budi })).body.items as { type: string }[];
    const action = /<form method="post" action="([^"]+)"/.exec(bodies[2]!)?.[1];
    const sent = await fetch(new URL(action ?? '', `${sandbox.url}${links[2]}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ rating: '3', comment: '' }).toString(),
    });
    const afterSend = (await api.call(`/tickets/${ticket.id}`, { token: budi })).body;

    // Assert: nothing recorded by the GETs; each page preselects its own rating; the POST records it
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200]);
    expect(bodies.map((body) => /value="(\d)" checked/.exec(body)?.[1])).toEqual(['1', '2', '3', '4', '5']);
    expect(bodies[2]).toContain(`tiket #${ticket.number}`);
    expect(bodies[2]).not.toContain('Terima kasih! Penilaian Anda');
    expect(asJson).toMatchObject({ status: 200, body: { number: ticket.number, rating: 1, recorded: false } });
    expect(afterScan.csat).toBeUndefined();
    expect(historyAfterScan.filter((event) => event.type === 'CsatRated')).toEqual([]);
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain(`tiket #${ticket.number}: 3 dari 5`);
    expect(afterSend.csat).toMatchObject({ rating: 3 });
    // The mail asks for one more step, not one click.
    expect(mail.body.text).not.toMatch(/klik salah satu nilai/i);
    expect(mail.body.text).toMatch(/lalu tekan Kirim/);
  });

  it('the tracking link changes nothing either: opening it leaves the ticket and its history as they were', async () => {
    // Arrange
    const ani = await api.tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org', groups: ['requester'] });
    const lead = await api.tokenFor({ sub: 'rina', name: 'Rina', groups: ['lead'] });
    const ticket = (await api.call('/tickets', { method: 'POST', token: ani, body: { subject: 'Kabel LAN putus (pelacakan)' } })).body;
    const ack = await waitForMail(sesEndpoint, (candidate) => candidate.subject.startsWith(`[#${ticket.number}] `));
    const track = /https?:\/\/\S+?(\/track\/[A-Za-z0-9_.-]+)/.exec(ack.body.text!)![1]!;
    // Routing assigns the ticket meanwhile, which is a change of its own: read it once that is done.
    const before = await api.waitForTicket(ticket.id, lead, (read) => Boolean(read.assignee));

    // Act
    for (const accept of ['text/html', 'application/json']) await fetch(`${sandbox.url}${track}`, { headers: { accept } });

    // Assert
    const after = (await api.call(`/tickets/${ticket.id}`, { token: lead })).body;
    expect(after.version).toBe(before.version);
    expect(after.updatedAt).toBe(before.updatedAt);
  });
});
