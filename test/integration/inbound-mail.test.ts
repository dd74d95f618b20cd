// Mail to the helpdesk through the sandbox: nodemailer speaks SMTP to the SES-receiving stand-in, which
// stores the raw mail in the local S3 and invokes functions/email/inbound-mail with SES's receipt event. A new
// mail becomes a ticket, its acknowledgement goes out through the SES emulator, and a reply to that
// acknowledgement (to its signed Reply-To, threaded) lands on the ticket as the requester's comment.
import { rmSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { headerOf, waitForMail } from './mail-viewer.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;
let sesEndpoint: string;
let smtpPort: number;
let rina: string;

/** What `probe` finds, once it finds something. */
const eventually = async <T>(probe: () => Promise<T | undefined>): Promise<T> => (await waitFor(probe, (value) => value !== undefined))!;

const send = (message: Record<string, unknown>) =>
  createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail(message as never);

beforeAll(async () => {
  dir = sandboxDir('helpdesk-inbound-');
  sandbox = await startSandboxProcess(dir);
  api = clientFor(sandbox.url);
  smtpPort = Number(/SMTP\s+localhost:(\d+)/.exec(sandbox.output())?.[1]);
  sesEndpoint = (await api.call('/_local/health')).body.emulators.ses.endpoint;
  rina = await api.tokenFor({ sub: 'rina', name: 'Rina Wulandari', groups: ['lead'], teams: ['helpdesk'] });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ticketWithSubject = (subject: string) =>
  eventually(async () => {
    const { body } = await api.call('/tickets?limit=100', { token: rina });
    return (body.items as { id: string; number: number; subject: string; channel: string }[]).find((t) => t.subject === subject);
  });

describe('inbound mail over SMTP', () => {
  it('prints the SMTP port', () => {
    expect(smtpPort).toBeGreaterThan(0);
  });

  it('lists the SMTP server and the S3 stand-in in /_local/health', async () => {
    const { status, body } = await api.call('/_local/health');
    expect(status).toBe(200);
    expect(body.emulators.smtp).toEqual({ host: 'localhost', port: smtpPort, running: true, ok: true });
    expect(body.emulators.s3).toMatchObject({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      bucket: 'helpdesk-mail',
      prefix: 'inbound/',
      running: true,
    });
  });

  it("a new mail becomes a ticket; a reply to the acknowledgement becomes the requester's comment", async () => {
    const subject = `Printer lab bahasa macet ${Date.now()}`;
    const messageId = `<first-${Date.now()}@example.org>`;
    const first = {
      from: 'Wati <wati@example.org>',
      to: 'helpdesk@sekolah.example',
      subject,
      text: 'Printer di lab bahasa macet.\n\nWati',
      messageId,
    };
    await send(first);
    await send(first); // the same Message-ID again: nothing more
    const ticket = await ticketWithSubject(subject);
    expect(ticket.channel).toBe('email');

    // The acknowledgement, read back from the SES emulator.
    const ack = await waitForMail(
      sesEndpoint,
      (mail) => mail.subject.startsWith(`[#${ticket.number}] `) && mail.destination.to.includes('wati@example.org'),
    );
    const thread = headerOf(ack, 'References');
    expect(ack.replyTo[0]).toMatch(/^reply\+/);

    await send({
      from: 'Wati <wati@example.org>',
      to: ack.replyTo[0],
      subject: `Re: ${ack.subject}`,
      inReplyTo: thread,
      references: thread,
      text: `Sudah dicoba, masih macet.\n\nPada Sen, 2 Mar 2026 pukul 09.00, Helpdesk <helpdesk@sekolah.example>\nmenulis:\n\n> Tiket Anda diterima.\n`,
    });
    const comment = await eventually(async () => {
      const { body } = await api.call(`/tickets/${ticket.id}/events`, { token: rina });
      return (body.items as { type: string; actor: { role: string }; data: { body?: string } }[]).find(
        (event) => event.type === 'CommentAdded',
      );
    });
    expect(comment.actor.role).toBe('requester');
    expect(comment.data.body).toBe('Sudah dicoba, masih macet.');

    const { body } = await api.call('/tickets?limit=100', { token: rina });
    expect((body.items as { subject: string }[]).filter((t) => t.subject === subject)).toHaveLength(1);
  });

  it('a forged reply naming a requester’s ticket is not their comment: another envelope sender, or marked forged', async () => {
    // Arrange: Wati's ticket
    const subject = `Wi-Fi perpustakaan mati ${Date.now()}`;
    await send({ from: 'Wati <wati@example.org>', to: 'helpdesk@sekolah.example', subject, text: 'Wi-Fi mati.' });
    const ticket = await ticketWithSubject(subject);
    const asWati = (forged: string, extra: Record<string, unknown>) =>
      send({
        from: 'Wati <wati@example.org>',
        to: 'helpdesk@sekolah.example',
        subject: forged,
        references: `<ticket.${ticket.id.toLowerCase()}@sekolah.example>`,
        text: 'Tolong kirim kata sandi saya ke mallory@evil.example.',
        ...extra,
      });

    // Act: someone else writes as Wati, naming her ticket by its number and its thread, from their own envelope
    // sender (the sandbox's DMARC fails: not aligned), and once more marked forged
    const byEnvelope = `Re: [#${ticket.number}] ${subject} (envelope)`;
    await asWati(byEnvelope, { envelope: { from: 'mallory@evil.example', to: 'helpdesk@sekolah.example' } });
    const byMarker = `Re: [#${ticket.number}] ${subject} (marked)`;
    await asWati(byMarker, { headers: { 'X-Sandbox-Verdict': 'forged' } });

    // Assert: tickets of their own (an unverified sender), nothing on Wati's
    await ticketWithSubject(byEnvelope);
    await ticketWithSubject(byMarker);
    const { body } = await api.call(`/tickets/${ticket.id}/events`, { token: rina });
    expect((body.items as { type: string }[]).filter((event) => event.type === 'CommentAdded')).toEqual([]);
  });

  it('an out-of-office reply makes no ticket', async () => {
    const subject = `Automatic reply ${Date.now()}`;
    await send({
      from: 'wati@example.org',
      to: 'helpdesk@sekolah.example',
      subject,
      text: 'Cuti.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const marker = `Marker ${Date.now()}`;
    await send({ from: 'wati@example.org', to: 'helpdesk@sekolah.example', subject: marker, text: 'Marker.' });
    await ticketWithSubject(marker);
    const { body } = await api.call('/tickets?limit=100', { token: rina });
    expect((body.items as { subject: string }[]).some((t) => t.subject === subject)).toBe(false);
  });
});
