// Mail to requesters through the sandbox's real pipeline: table stream → bus → notify-requester rule → notify
// queue → functions/queue/notify → SES (aws-ses-v2-local), read back from the emulator's store. Its own
// sandbox, so the mails in the store and the SES fault toggle are this file's alone.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyToken } from '#shared/domain/access/signed-token.ts';
import { readReplyAddress } from '#shared/domain/mail/reply-address.ts';
import { clientFor } from './api-client.ts';
import { headerOf, sentMails, waitForMail } from './mail-viewer.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { queueIdle, waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;
let sesEndpoint: string;
let ani: string;
let budi: string;
let rina: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-mail-');
  // Visibility timeouts shortened: a send that failed while SES was down is retried in seconds, not minutes.
  // The console the suite built (global-setup.ts): the acknowledgement's tracking link opens its page.
  sandbox = await startSandboxProcess(dir, { QUEUE_TIME_SCALE: '0.05', CONSOLE_DIST: inject('consoleDist') });
  api = clientFor(sandbox.url);
  sesEndpoint = (await api.call('/_local/health')).body.emulators.ses.endpoint;
  ani = await api.tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org', groups: ['requester'] });
  budi = await api.tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['agent'], teams: ['it-support'] });
  rina = await api.tokenFor({ sub: 'rina', name: 'Rina Wulandari', groups: ['lead'], teams: ['helpdesk'] });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const mailsOf = async (number: number) => (await sentMails(sesEndpoint)).filter((mail) => mail.subject.startsWith(`[#${number}] `));
/** Waits for the ticket's mail whose subject starts `[#n] <prefix>`. */
const mailFor = (number: number, prefix: string) => waitForMail(sesEndpoint, (mail) => mail.subject.startsWith(`[#${number}] ${prefix}`));
const health = async () => (await api.call('/_local/health')).body;
const notifyQueueIdle = (h: any) => queueIdle(h.emulators.sqs.queues.notify);
const fileTicket = async (body: Record<string, unknown>, token = ani) =>
  (await api.call('/tickets', { method: 'POST', token, body })).body as { id: string; number: number };
/** Another requester with an address of their own: each address gets five acknowledgements an hour. */
const requesterToken = (sub: string) => api.tokenFor({ sub, name: sub, email: `${sub}@example.org`, groups: ['requester'] });

describe('mail to requesters in the sandbox', () => {
  it('acknowledges a new ticket: Indonesian, subject token, tracking link, signed Reply-To, automatic, threaded', async () => {
    // Act
    const ticket = await fileTicket({ subject: 'Wi-Fi di lab komputer mati', description: 'Sejak pagi tidak bisa terhubung' });
    const mail = await mailFor(ticket.number, 'Tiket diterima: ');

    // Assert: addressed from the helpdesk to the requester
    expect(mail.subject).toBe(`[#${ticket.number}] Tiket diterima: Wi-Fi di lab komputer mati`);
    expect(mail.from).toBe('"Helpdesk SMA Negeri Contoh" <helpdesk@sekolah.example>');
    expect(mail.destination.to).toEqual(['ani@example.org']);
    // Replies thread without trusting the subject: a signed address naming the ticket, and the thread id
    const key = Buffer.from(readFileSync(join(dir, 'signing-key'), 'utf8').trim(), 'base64');
    expect(mail.replyTo).toHaveLength(1);
    expect(mail.replyTo[0]).toMatch(/^reply\+[0-9a-z]{26}\.[0-9a-z]+\.[0-9a-z]{16}@sekolah\.example$/);
    expect(readReplyAddress(key, mail.replyTo[0]!, new Date())?.ticketId).toBe(ticket.id);
    expect(headerOf(mail, 'Auto-Submitted')).toBe('auto-replied');
    expect(headerOf(mail, 'References')).toBe(`<ticket.${ticket.id.toLowerCase()}@sekolah.example>`);
    expect(headerOf(mail, 'In-Reply-To')).toBe(headerOf(mail, 'References'));
    // The summary and how to follow it, in both parts
    expect(mail.body.text).toContain(`tercatat sebagai tiket #${ticket.number}`);
    expect(mail.body.text).toContain('Sejak pagi tidak bisa terhubung');
    expect(mail.body.text).toContain('Cukup balas email ini');
    // The link leads to the console's tracking page on the sandbox's own console port (a free one here): the
    // page reads the ticket through the API with the same token.
    expect(sandbox.consoleUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(mail.body.text).toContain(`${sandbox.consoleUrl}/track/`);
    const token = /\/track\/([A-Za-z0-9_.-]+)/.exec(mail.body.text!)?.[1];
    expect((await fetch(`${sandbox.consoleUrl}/track/${token}`)).status).toBe(200);
    expect((await fetch(`${sandbox.url}/track/${token}`)).status).toBe(200);
    expect(verifyToken(key, token!, 'track', new Date())?.ticketId).toBe(ticket.id);
    expect(mail.body.html).toContain('<html lang="id">');
  });

  it("writes in the requester's language", async () => {
    // Act
    const ticket = await fileTicket({ subject: 'Projector in room 12 is broken', language: 'en' }, await requesterToken('citra'));
    const mail = await mailFor(ticket.number, 'Ticket received: ');

    // Assert
    expect(mail.body.text).toContain(`recorded it as ticket #${ticket.number}`);
    expect(mail.body.html).toContain('<html lang="en">');
  });

  it('escapes a <script> subject in the HTML part', async () => {
    // Act
    const ticket = await fileTicket({ subject: 'Printer <script>alert(1)</script> macet' }, await requesterToken('dodi'));
    const mail = await mailFor(ticket.number, 'Tiket diterima: ');

    // Assert
    expect(mail.body.html).toContain('Printer &lt;script&gt;alert(1)&lt;/script&gt; macet');
    expect(mail.body.html).not.toContain('<script>');
  });

  it("mails an agent's public reply, not an internal note, then 'resolved'; the pending set with the reply adds no mail", async () => {
    // Arrange
    const ticket = await fileTicket({ subject: 'Internet lambat di ruang guru' });
    await mailFor(ticket.number, 'Tiket diterima: ');

    // Act: a note, a public reply and at once waiting on the requester (one act), resolved
    await api.call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: budi,
      body: { body: 'Catatan internal: AP lama rusak.', visibility: 'internal' },
    });
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: budi, body: { body: 'Mohon kirim foto lampu router.' } });
    const reply = await mailFor(ticket.number, 'Balasan baru: ');
    await api.call(`/tickets/${ticket.id}`, { method: 'PATCH', token: budi, body: { status: 'pending' } });
    await api.call(`/tickets/${ticket.id}`, { method: 'PATCH', token: budi, body: { status: 'resolved' } });
    const resolved = await mailFor(ticket.number, 'Selesai: ');

    // Assert
    expect(reply.body.text).toContain('Budi Santoso membalas');
    expect(reply.body.text).toContain('Mohon kirim foto lampu router.');
    expect(resolved.body.text).toContain('balas email ini dalam 14 hari dan tiket akan dibuka kembali');
    await waitFor(health, notifyQueueIdle);
    const all = await mailsOf(ticket.number);
    expect(all.map((mail) => mail.subject.split(':')[0])).toEqual([
      `[#${ticket.number}] Tiket diterima`,
      `[#${ticket.number}] Balasan baru`,
      `[#${ticket.number}] Selesai`,
    ]);
    expect(JSON.stringify(all)).not.toContain('Catatan internal');
    expect(new Set(all.map((mail) => headerOf(mail, 'References')))).toEqual(
      new Set([`<ticket.${ticket.id.toLowerCase()}@sekolah.example>`]),
    );
  });

  it("mails 'waiting on you', quoting the agent's request, when someone else puts the ticket on hold for the requester", async () => {
    // Arrange
    const admin = await api.tokenFor({ sub: 'admin', name: 'Admin Sekolah', groups: ['admin'] });
    const ticket = await fileTicket({ subject: 'Proyektor lab bahasa redup' });
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: budi, body: { body: 'Mohon kirim foto proyektornya.' } });
    await mailFor(ticket.number, 'Balasan baru: ');

    // Act
    await api.call(`/tickets/${ticket.id}`, { method: 'PATCH', token: admin, body: { status: 'pending' } });
    const pending = await mailFor(ticket.number, 'Menunggu tanggapan Anda: ');

    // Assert
    expect(pending.body.text).toContain('kami memerlukan hal berikut dari Anda:\n\nMohon kirim foto proyektornya.');
  });

  it('sends one mail when the same event is delivered again and again', async () => {
    // Arrange: a ticket whose acknowledgement went out, and its TicketCreated event as the bus delivers it
    const ticket = await fileTicket({ subject: 'Kursi di kelas 7B patah' });
    await mailFor(ticket.number, 'Tiket diterima: ');
    const events = (await api.call(`/tickets/${ticket.id}/events`, { token: rina })).body.items as { type: string }[];
    const detail = events.find((event) => event.type === 'TicketCreated')!;
    const message = JSON.stringify({
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'TicketCreated',
      source: 'helpdesk',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'ap-southeast-3',
      resources: [],
      detail,
    });
    const sqsEndpoint = (await health()).emulators.sqs.endpoint;
    const sqs = new SQSClient({ endpoint: sqsEndpoint, region: 'ap-southeast-3', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

    // Act: five more copies, in one batch
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: `${sqsEndpoint}/000000000000/notify`,
        Entries: Array.from({ length: 5 }, (_, index) => ({ Id: `copy-${index}`, MessageBody: message })),
      }),
    );
    const settled = await waitFor(health, notifyQueueIdle);
    sqs.destroy();

    // Assert
    expect((await mailsOf(ticket.number)).filter((mail) => mail.subject.includes('Tiket diterima'))).toHaveLength(1);
    expect(settled.emulators.sqs.deadLetters.notify).toBe(0);
  });

  it('loses no mail while SES is down: the send is retried and the mail goes out once SES is back', async () => {
    // Arrange
    await api.call('/_local/emulators/ses', { method: 'POST', body: { running: false } });

    // Act
    const ticket = await fileTicket({ subject: 'Proyektor aula tidak menyala' }, await requesterToken('eka'));
    // The event reaches the notify queue, and its send fails, again and again (each time the consumer hands
    // the message back, it is received again once its visibility timeout has passed: 6 s here, 2 minutes on AWS).
    const whileDown = await waitFor(health, (h) => !notifyQueueIdle(h), 10_000);
    const stillDown = await waitFor(
      health,
      (h) => h.emulators.sqs.queues.notify.retries >= whileDown.emulators.sqs.queues.notify.retries + 2,
      20_000,
    );
    await api.call('/_local/emulators/ses', { method: 'POST', body: { running: true } });

    // Assert: held on the queue (not lost, not dead-lettered) while SES was down, sent once when it came back
    expect(whileDown.emulators.ses.ok).toBe(false);
    expect(notifyQueueIdle(stillDown)).toBe(false);
    expect(stillDown.emulators.sqs.deadLetters.notify).toBe(0);
    await mailFor(ticket.number, 'Tiket diterima: ');
    const settled = await waitFor(health, notifyQueueIdle);
    expect(await mailsOf(ticket.number)).toHaveLength(1);
    expect(settled.emulators.sqs.deadLetters.notify).toBe(0);
  }, 45_000);
});
