// Inbound mail, decision by decision, on mail written the way real clients write it
// (test/fixtures/emails/*.eml): each fixture's expected outcome is in EXPECTED below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseMail } from '#shared/adapters/parse-mail.ts';
import { type InboundDeps, receiveMail, screenMail, type Verdicts } from '#shared/domain/mail/inbound-mail.ts';
import { bounceAddress, replyAddress } from '#shared/domain/mail/reply-address.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const KEY = Buffer.alloc(32, 7);
const DIR = join(import.meta.dirname, '../../../fixtures/emails');

type Deps = InboundDeps & ReturnType<typeof testDeps> & { objects: Map<string, Buffer>; messageClaims: InMemoryClaimStore };

const inboundTestDeps = (): Deps => {
  const objects = new Map<string, Buffer>();
  return {
    ...testDeps(),
    // The inbound-mail claim space's lock and time to live (shared/adapters/claim-store.ts): 5 minutes, 30 days.
    messageClaims: new InMemoryClaimStore({ lockSeconds: 300, ttlSeconds: 30 * 86_400 }),
    attachments: { putAttachment: async (key, content) => void objects.set(key, content) },
    signingKey: async () => KEY,
    objects,
  } as Deps;
};

let deps: Deps;
let ticket: { id: string; number: number };

/** A fixture with this test's ticket filled in (its id, number and a genuine reply address). */
const fixture = (name: string, replyTo?: string): Buffer => {
  const text = readFileSync(join(DIR, name), 'latin1');
  if (!ticket) return Buffer.from(text, 'latin1');
  const exp = Math.floor(deps.clock.now().getTime() / 1000) + 86_400;
  return Buffer.from(
    text
      .replaceAll('TICKET_ID', ticket.id.toLowerCase())
      .replaceAll('TICKET_NUMBER', String(ticket.number))
      .replaceAll('REPLY_ADDRESS', replyTo ?? replyAddress(KEY, ticket.id, exp, 'uji.example'))
      .replaceAll('BOUNCE_ADDRESS', bounceAddress(KEY, ticket.id, exp, 'nobody@example.org', 'uji.example')),
    'latin1',
  );
};

/** What SES says of a mail whose sender's domain authenticates it (DMARC pass). */
const AUTHENTIC: Verdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

const receive = async (raw: Buffer, verdicts: Verdicts = {}, source?: string) =>
  receiveMail(deps, await parseMail(raw, { source, recipients: [] }), raw, { ...AUTHENTIC, ...verdicts });

const history = async (id = ticket.id): Promise<TicketEvent[]> => (await deps.tickets.listEvents(id, { limit: 100 })).items;
const comments = async (id = ticket.id) => (await history(id)).filter((event) => event.type === 'CommentAdded');

beforeEach(async () => {
  deps = inboundTestDeps();
  ticket = undefined as never; // fixture() fills in nothing until the first ticket exists
  const first = await receive(fixture('new-request.eml'));
  if (first.outcome !== 'created') throw new Error(`setup: ${first.outcome}`);
  ticket = { id: first.ticketId, number: first.number };
});

describe('a new mail', () => {
  it('makes a ticket on the email channel, the requester known by their address', async () => {
    const created = await deps.tickets.getTicket(ticket.id);
    expect(created).toMatchObject({
      channel: 'email',
      subject: 'Printer di ruang guru tidak bisa mencetak',
      requester: { id: 'email:ani@example.org', email: 'ani@example.org', name: 'Ani Lestari' },
      status: 'new',
    });
    expect(created?.description).toContain('Printer di ruang guru tidak bisa mencetak sejak kemarin.');
  });

  it.each([
    ['html-only.eml', 'Proyektor kelas XI-2', 'Proyektor di kelas XI-2 tidak menyala.'],
    ['base64.eml', 'Lupa kata sandi e-Rapor', 'Kata sandi e-Rapor saya lupa. Mohon dibantu reset.'],
    ['quoted-printable.eml', 'AC kelas rusak', 'Ruang kelas sangat panas — AC tidak berfungsi sejak Senin.'],
    ['iso-8859-1.eml', 'Problème de réseau', 'Le réseau Wi-Fi ne fonctionne pas à la bibliothèque.'],
  ])('%s: decoded into a ticket', async (name, subject, words) => {
    const result = await receive(fixture(name));
    expect(result.outcome).toBe('created');
    const created = await deps.tickets.getTicket((result as { ticketId: string }).ticketId);
    expect(created?.subject).toBe(subject);
    expect(created?.description).toContain(words);
    expect(created?.description).not.toMatch(/<p>|<b>/);
  });
});

describe('a reply', () => {
  it('gmail-reply.eml: by the signed reply address, a public comment without the quote', async () => {
    const result = await receive(fixture('gmail-reply.eml'));
    expect(result).toMatchObject({ outcome: 'commented', ticketId: ticket.id, matchedBy: 'reply-address' });
    const [comment] = await comments();
    expect(comment?.data).toEqual({ body: 'Sudah saya coba restart, masih tidak bisa.', visibility: 'public' });
    expect(comment?.actor).toEqual({ id: 'email:ani@example.org', role: 'requester' });
  });

  it('outlook-reply.eml: by References, the "From: … Sent:" block removed', async () => {
    const result = await receive(fixture('outlook-reply.eml'));
    expect(result).toMatchObject({ outcome: 'commented', matchedBy: 'thread' });
    expect((await comments())[0]?.data.body).toBe('The printer works again, thank you.\n\nRegards,\nAni');
  });

  it('apple-mail-reply.eml: reopens a resolved ticket', async () => {
    const staff = { id: 'hana', role: 'agent' as const, teams: ['helpdesk', 'it-support'] };
    const current = await deps.tickets.getTicket(ticket.id);
    await updateTicket(deps, { ...staff, role: 'admin' }, ticket.id, { status: 'resolved' }, current?.version);
    const result = await receive(fixture('apple-mail-reply.eml'));
    expect(result).toMatchObject({ outcome: 'commented', reopened: true });
    expect((await deps.tickets.getTicket(ticket.id))?.status).toBe('open');
    expect((await comments())[0]?.data.body).toBe('It is broken again this morning.');
  });

  it('indonesian-reply.eml: "Pada … menulis:" and "Dikirim dari iPhone saya" removed', async () => {
    const result = await receive(fixture('indonesian-reply.eml'));
    expect(result).toMatchObject({ outcome: 'commented', matchedBy: 'reply-address' });
    expect((await comments())[0]?.data.body).toBe('Nomor inventaris printernya INV-2024-017.');
  });

  it('matches by the subject token [#n] when nothing else names the ticket', async () => {
    const raw = Buffer.from(
      fixture('outlook-reply.eml')
        .toString('latin1')
        .replace(/^References: .*\r\n/m, '')
        .replace(/^Thread-Topic: .*\r\n/m, ''),
      'latin1',
    );
    expect(await receive(raw)).toMatchObject({ outcome: 'commented', matchedBy: 'subject' });
  });

  it('attachments.eml: the files are kept and listed on the comment', async () => {
    const result = await receive(fixture('attachments.eml'));
    expect(result).toMatchObject({ outcome: 'commented', attachments: 2 });
    const [comment] = await comments();
    const listed = (comment!.data as { attachments?: { name: string; size: number; contentType: string; key: string }[] }).attachments;
    expect(listed?.map(({ name, contentType }) => ({ name, contentType }))).toEqual([
      { name: 'galat.png', contentType: 'image/png' },
      { name: 'surat permohonan.pdf', contentType: 'application/pdf' },
    ]);
    for (const file of listed ?? []) expect(deps.objects.get(file.key)?.length).toBe(file.size);
    expect(listed?.[1]?.key).toMatch(/^attachments\/[0-9a-f]{64}\/2-surat_permohonan\.pdf$/);
  });

  it('stranger-reply.eml: a stranger naming the ticket gets a ticket of their own, never a comment on it', async () => {
    const result = await receive(fixture('stranger-reply.eml'));
    expect(result.outcome).toBe('created');
    expect(await comments()).toHaveLength(0);
  });

  it('a forged reply address is ignored, and the sender check still applies', async () => {
    const forged = `reply+${ticket.id.toLowerCase()}.zzzzzz.0000000000000000@uji.example`;
    const raw = Buffer.from(
      fixture('indonesian-reply.eml', forged)
        .toString('latin1')
        .replace('From: Ani Lestari <ani@example.org>', 'From: Mallory <mallory@example.net>'),
      'latin1',
    );
    expect((await receive(raw)).outcome).toBe('created');
    expect(await comments()).toHaveLength(0);
  });

  it('a configured agent may reply by mail: a public staff comment', async () => {
    const raw = Buffer.from(
      fixture('outlook-reply.eml').toString('latin1').replace('From: Ani Lestari <ani@example.org>', 'From: Hana <HANA@uji.example>'),
      'latin1',
    );
    expect(await receive(raw)).toMatchObject({ outcome: 'commented' });
    expect((await comments())[0]?.actor).toEqual({ id: 'hana', role: 'lead' });
  });

  it('a reply to a closed ticket starts a new ticket', async () => {
    const admin = { id: 'root', role: 'admin' as const, teams: [] };
    await updateTicket(deps, admin, ticket.id, { status: 'resolved' }, undefined);
    await updateTicket(deps, admin, ticket.id, { status: 'closed' }, undefined);
    const result = await receive(fixture('gmail-reply.eml'));
    expect(result.outcome).toBe('created');
  });
});

describe('who sent it: SES’s SPF, DKIM and DMARC verdicts', () => {
  /** A mail that names the ticket by its subject token only, as a spoofer would write it. */
  const bySubject = (from = 'Ani Lestari <ani@example.org>', extraHeaders = '') =>
    Buffer.from(
      fixture('outlook-reply.eml')
        .toString('latin1')
        .replace(/^References: .*\r?\n/m, '')
        .replace('From: Ani Lestari <ani@example.org>', `${extraHeaders}From: ${from}`),
      'latin1',
    );
  const UNKNOWN_DOMAIN: Verdicts = { spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' };
  const countTickets = async () => (await deps.tickets.listTickets({}, { limit: 100 })).items.length;

  it('a requester’s From: sent by someone else, naming the ticket, is not their comment: a new ticket of an unverified sender', async () => {
    // Arrange: the envelope sender is the attacker's (their SPF passes for their own domain); DMARC fails
    const before = await countTickets();

    // Act
    const result = await receive(bySubject(), { spf: 'PASS', dkim: 'GRAY', dmarc: 'FAIL' }, 'mallory@evil.example');

    // Assert
    expect(result.outcome).toBe('created');
    expect(await comments()).toHaveLength(0);
    expect(await countTickets()).toBe(before + 1);
  });

  it('a domain without DMARC is judged by alignment: SPF passing for another domain proves nothing', async () => {
    expect((await receive(bySubject(), { ...UNKNOWN_DOMAIN, spf: 'PASS' }, 'mallory@evil.example')).outcome).toBe('created');
    expect(await comments()).toHaveLength(0);
  });

  it('SPF passing for the From: domain (DMARC not published) makes it the requester’s comment', async () => {
    const raw = bySubject();
    expect(await receive(raw, { ...UNKNOWN_DOMAIN, spf: 'PASS' }, 'bounces@mail.example.org')).toMatchObject({
      outcome: 'commented',
      matchedBy: 'subject',
    });
  });

  it('DKIM counts only when every signature is by the From: domain', async () => {
    const signed = (domains: string[]) =>
      domains.map((d) => `DKIM-Signature: v=1; a=rsa-sha256; d=${d}; s=s1;\r\n\tbh=x; b=y\r\n`).join('');
    const attackerToo = bySubject('Ani Lestari <ani@example.org>', signed(['example.org', 'evil.example']));
    expect((await receive(attackerToo, { ...UNKNOWN_DOMAIN, dkim: 'PASS' })).outcome).toBe('created');
    const genuine = Buffer.from(
      bySubject('Ani Lestari <ani@example.org>', signed(['example.org']))
        .toString('latin1')
        .replace('AM0PR01MB1234outlook', 'dkim-genuine'),
      'latin1',
    );
    expect(await receive(genuine, { ...UNKNOWN_DOMAIN, dkim: 'PASS' })).toMatchObject({ outcome: 'commented' });
    expect(await comments()).toHaveLength(1);
  });

  it('the signed reply address is proof enough: a reply to it is the requester’s comment even unauthenticated', async () => {
    expect(await receive(fixture('gmail-reply.eml'), UNKNOWN_DOMAIN)).toMatchObject({ outcome: 'commented', matchedBy: 'reply-address' });
  });

  it('a forged lead’s address gets nothing: no comment under their name, no ticket', async () => {
    // Arrange
    const before = await countTickets();

    // Act
    const result = await receive(bySubject('Hana <hana@uji.example>'), { spf: 'PASS', dkim: 'GRAY', dmarc: 'FAIL' }, 'x@evil.example');

    // Assert
    expect(result).toEqual({ outcome: 'dropped', reason: 'unauthenticated-staff' });
    expect(await comments()).toHaveLength(0);
    expect(await countTickets()).toBe(before);
  });

  it('an authenticated agent writing on a ticket outside their teams gets nothing (not-permitted)', async () => {
    // Arrange: Iwan works a team the ticket is not in
    const team = (await deps.tickets.getTicket(ticket.id))!.team;
    deps.staff.update('iwan', { teams: [team === 'sarpras' ? 'helpdesk' : 'sarpras'] });

    // Act
    const result = await receive(bySubject('Iwan <iwan@uji.example>'));

    // Assert
    expect(result).toEqual({ outcome: 'dropped', reason: 'not-permitted' });
    expect(await comments()).toHaveLength(0);
  });

  it('staff filing tickets by mail count against the hourly limit too', async () => {
    // Arrange
    const limit = deps.config.limits.ticketsPerRequesterPerHour;
    const mail = (n: number) =>
      Buffer.from(
        fixture('new-request.eml')
          .toString('latin1')
          .replace('Ani Lestari <ani@example.org>', 'Iwan <iwan@uji.example>')
          .replace('CAJx1new-request', `CAJx1staff-${n}`),
        'latin1',
      );

    // Act
    const outcomes = [];
    for (let n = 0; n <= limit; n++) outcomes.push((await receive(mail(n))).outcome);

    // Assert
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(limit);
    expect(outcomes.at(-1)).toBe('dropped');
  });
});

describe('the same mail delivered three times', () => {
  it('makes one ticket', async () => {
    const raw = fixture('base64.eml');
    const outcomes = await Promise.all([receive(raw), receive(raw), receive(raw)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'duplicate', 'duplicate']);
  });

  it('makes one comment', async () => {
    const raw = fixture('gmail-reply.eml');
    for (let i = 0; i < 3; i++) await receive(raw);
    expect(await comments()).toHaveLength(1);
  });

  it('acts on a retry when the first attempt failed (the claim is given back)', async () => {
    const raw = fixture('gmail-reply.eml');
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    let failures = 1;
    deps.tickets.saveTicket = async (...args) => {
      if (failures-- > 0) throw new Error('DynamoDB is down');
      return save(...args);
    };
    await expect(receive(raw)).rejects.toThrow('DynamoDB is down');
    expect(await receive(raw)).toMatchObject({ outcome: 'commented' });
    expect(await comments()).toHaveLength(1);
  });
});

describe('loops and junk: no ticket, no reply', () => {
  const countTickets = async () => (await deps.tickets.listTickets({}, { limit: 100 })).items.length;

  it.each([
    ['out-of-office.eml', 'auto-submitted'],
    ['mailing-list.eml', 'precedence'],
  ])('%s is dropped (%s)', async (name, reason) => {
    const before = await countTickets();
    expect(await receive(fixture(name))).toEqual({ outcome: 'dropped', reason });
    expect(await countTickets()).toBe(before);
    expect(await comments()).toHaveLength(0);
  });

  const base = () => fixture('new-request.eml').toString('latin1');
  const header = (line: string) => Buffer.from(base().replace('MIME-Version: 1.0', `${line}\r\nMIME-Version: 1.0`), 'latin1');
  it.each([
    ['Auto-Submitted: auto-generated', 'auto-submitted'],
    ['Precedence: bulk', 'precedence'],
    ['Precedence: junk', 'precedence'],
    ['X-Autoreply: yes', 'auto-reply-header'],
    ['X-Autorespond: yes', 'auto-reply-header'],
    ['List-Id: <guru.lists.example.org>', 'mailing-list'],
  ])('a mail with "%s" is dropped (%s)', async (line, reason) => {
    expect(await receive(header(line))).toEqual({ outcome: 'dropped', reason });
  });

  it('"Auto-Submitted: no" is a person writing: accepted', async () => {
    const raw = Buffer.from(header('Auto-Submitted: no').toString('latin1').replace('CAJx1new-request', 'CAJx1another'), 'latin1');
    expect((await receive(raw)).outcome).toBe('created');
  });

  it('an empty return path, mailer-daemon, postmaster and our own address are dropped', async () => {
    expect(await receive(fixture('new-request.eml'), {}, '')).toEqual({ outcome: 'dropped', reason: 'empty-return-path' });
    const from = (address: string) => Buffer.from(base().replace('Ani Lestari <ani@example.org>', address), 'latin1');
    expect(await receive(from('MAILER-DAEMON@example.org'))).toEqual({ outcome: 'dropped', reason: 'mailer-daemon' });
    expect(await receive(from('postmaster@example.org'))).toEqual({ outcome: 'dropped', reason: 'mailer-daemon' });
    expect(await receive(from('Helpdesk <Desk@uji.example>'))).toEqual({ outcome: 'dropped', reason: 'own-address' });
  });

  it.each([
    'desk+printer@uji.example',
    'DESK+x@UJI.EXAMPLE',
    'noreply@uji.example',
    'NoReply@Uji.Example',
    'reply+01jabcdefghjkmnpqrstvwxyz0.abc.0123456789abcdef@uji.example',
  ])('mail from the helpdesk’s own domain, %s, is a loop: dropped (own-address)', async (address) => {
    const raw = Buffer.from(base().replace('Ani Lestari <ani@example.org>', `Helpdesk <${address}>`), 'latin1');
    expect(await receive(raw)).toEqual({ outcome: 'dropped', reason: 'own-address' });
  });

  it('another person on the helpdesk’s domain is not a loop (staff and teachers share the school’s domain)', async () => {
    const raw = Buffer.from(
      base().replace('Ani Lestari <ani@example.org>', 'Guru <guru@uji.example>').replace('CAJx1new-request', 'CAJx1guru'),
      'latin1',
    );
    expect((await receive(raw)).outcome).toBe('created');
  });

  it('SES spam and virus verdicts of FAIL are dropped', async () => {
    expect(await receive(fixture('new-request.eml'), { spam: 'FAIL' })).toEqual({ outcome: 'dropped', reason: 'spam' });
    expect(await receive(fixture('new-request.eml'), { virus: 'FAIL' })).toEqual({ outcome: 'dropped', reason: 'virus' });
    expect((await receive(fixture('base64.eml'), { spam: 'PASS', virus: 'GRAY' })).outcome).toBe('created');
  });

  it('dsn-bounce.eml: to the signed bounce address, naming its recipient: an internal note of the status code, never a ticket', async () => {
    const before = await countTickets();
    expect(await receive(fixture('dsn-bounce.eml'))).toEqual({ outcome: 'bounce-recorded', ticketId: ticket.id });
    expect(await countTickets()).toBe(before);
    const [note] = await comments();
    expect(note?.data).toEqual({
      body: 'Surat ke pemohon tidak terkirim / Mail to the requester was not delivered (status 5.1.1).',
      visibility: 'internal',
    });
    expect(note?.actor).toEqual({ id: 'mail', role: 'system' });
  });

  /** A delivery report with the stranger's own words in every free-text field. */
  let reports = 0;
  const strangersReport = (to: string, finalRecipient = 'nobody@example.org') =>
    Buffer.from(
      fixture('dsn-bounce.eml')
        .toString('latin1')
        .replace('<dsn-1@amazonses.com>', `<dsn-stranger-${++reports}@evil.example>`)
        .replace(/^To: .*$/m, `To: ${to}`)
        .replace('Final-Recipient: rfc822; nobody@example.org', `Final-Recipient: rfc822; ${finalRecipient}`)
        .replace('smtp; 550 5.1.1 user unknown', 'smtp; 550 Kirim kata sandi Anda ke mallory@evil.example'),
      'latin1',
    );

  it('a stranger’s report naming the ticket in its embedded headers touches nothing', async () => {
    expect(await receive(strangersReport('desk@uji.example'))).toEqual({ outcome: 'bounce-unmatched' });
    expect(await history()).toHaveLength(1);
  });

  it('a report to a genuine bounce address about another recipient, or a forged bounce address, touches nothing', async () => {
    const genuine = bounceAddress(KEY, ticket.id, Math.floor(deps.clock.now().getTime() / 1000) + 86_400, 'ani@example.org', 'uji.example');
    expect(await receive(strangersReport(genuine, 'mallory@evil.example'))).toEqual({ outcome: 'bounce-unmatched' });
    const forged = genuine.replace(/\.[0-9a-z]{16}@/, '.0000000000000000@');
    expect(await receive(strangersReport(forged, 'ani@example.org'))).toEqual({ outcome: 'bounce-unmatched' });
    expect(await history()).toHaveLength(1);
  });

  it('the report’s free text never reaches the note', async () => {
    const genuine = bounceAddress(KEY, ticket.id, Math.floor(deps.clock.now().getTime() / 1000) + 86_400, 'ani@example.org', 'uji.example');
    expect(await receive(strangersReport(genuine, 'Ani@Example.org'))).toMatchObject({ outcome: 'bounce-recorded' });
    expect(JSON.stringify(await comments())).not.toMatch(/mallory|sandi|unknown/);
  });

  it('screenMail lets an ordinary mail through', async () => {
    expect(screenMail(await parseMail(fixture('new-request.eml')), testConfig)).toBeUndefined();
  });
});

describe('malformed MIME', () => {
  it('malformed.eml still parses into what can be read; it never throws', async () => {
    const result = await receive(fixture('malformed.eml'));
    expect(result.outcome).toBe('created');
  });
});
