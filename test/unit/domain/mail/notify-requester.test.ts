// Which event mails the requester (the decision table), what the mail carries (threading, reply address,
// tracking link), and the claim that makes it one mail per event however often the event arrives.
import { describe, expect, it } from 'vitest';
import { verifyToken } from '#shared/domain/access/signed-token.ts';
import { notify } from '#shared/domain/mail/notify.ts';
import {
  composeNotification,
  decideNotification,
  formatAddress,
  latestStaffRequest,
  threadId,
} from '#shared/domain/mail/notify-requester.ts';
import { readBounceAddress, readReplyAddress } from '#shared/domain/mail/reply-address.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { alice } from '#test/fixtures/identities.ts';
import {
  anEvent,
  comment,
  created,
  type NotifyTestDeps,
  notifyTestDeps,
  SIGNING_KEY,
  statusChanged,
  TEST_LINKS,
} from '#test/fixtures/notifications.ts';
import { TEST_STAFF } from '#test/fixtures/staff.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const requester = { id: alice.id, role: 'requester' as const };

/** What became of the requester's mail of this event (notify also decides staff mail: notify-staff.test.ts). */
const notifyRequester = async (deps: NotifyTestDeps, event: TicketEvent): Promise<Record<string, unknown>> => {
  const found = (await notify(deps, event)).find((outcome) => outcome.to === 'requester');
  if (!found) return {};
  const { to: _audience, ...outcome } = found;
  return outcome;
};
const lead = { id: 'sari', role: 'lead' as const };
const minutesBefore = (iso: string, minutes: number) => new Date(Date.parse(iso) - minutes * 60_000).toISOString();
const hoursBefore = (iso: string, hours: number) => minutesBefore(iso, hours * 60);

describe('decideNotification: the decision table', () => {
  const open = aTicket({ status: 'open' });
  const pending = aTicket({ status: 'pending' });
  const resolved = aTicket({ status: 'resolved' });

  it.each<[string, TicketEvent, ReturnType<typeof aTicket>, string]>([
    ['a new ticket', created(), aTicket(), 'received'],
    ['a public agent reply', comment('Sudah kami cek.'), open, 'reply'],
    ["a lead's public reply", comment('Sudah kami cek.', 'public', lead), open, 'reply'],
    ['waiting on the requester', statusChanged('open', 'pending'), pending, 'pending'],
    ['resolved by staff', statusChanged('open', 'resolved'), resolved, 'resolved'],
  ])('%s → %s mail', (_case, event, ticket, kind) => {
    expect(decideNotification(event, ticket, testConfig)).toEqual({ send: true, kind, to: alice.email });
  });

  it.each<[string, TicketEvent, ReturnType<typeof aTicket>, string]>([
    ['an internal note', comment('AP rusak, garansi habis.', 'internal'), open, 'internal-note'],
    ["the requester's own comment", comment('Masih mati.', 'public', requester), open, 'own-comment'],
    ['a system comment', comment('bounce', 'public', { id: 'mailer', role: 'system' }), open, 'not-for-requester'],
    ['resolved by the requester', statusChanged('open', 'resolved', requester), resolved, 'own-change'],
    ['reopened', statusChanged('resolved', 'open'), open, 'not-for-requester'],
    ['put on hold', statusChanged('open', 'on_hold'), aTicket({ status: 'on_hold' }), 'not-for-requester'],
    ['pending, but answered since', statusChanged('open', 'pending'), open, 'status-moved-on'],
    ['resolved, but reopened since', statusChanged('open', 'resolved'), open, 'status-moved-on'],
    ['an assignment', anEvent({ type: 'Assigned', data: { from: null, to: 'ivan' } }), open, 'not-for-requester'],
    ['an SLA breach', anEvent({ type: 'SlaBreached', data: { clock: 'firstResponse', dueAt: T0 } }), open, 'not-for-requester'],
  ])('%s → no mail (%s)', (_case, event, ticket, reason) => {
    expect(decideNotification(event, ticket, testConfig)).toEqual({ send: false, reason });
  });

  it('mails nobody when the requester has no email (a phone caller)', () => {
    const caller = aTicket({ requester: { id: 'phone:62812', name: 'Pak Budi', phone: '+62 812' } });
    expect(decideNotification(created(caller), caller, testConfig)).toEqual({ send: false, reason: 'no-email' });
  });

  it("never mails the helpdesk's own address (a loop in the making)", () => {
    const looped = aTicket({ requester: { id: 'email:desk', email: ' DESK@uji.example ' } });
    expect(decideNotification(created(looped), looped, testConfig)).toEqual({ send: false, reason: 'own-address' });
  });
});

describe('latestStaffRequest', () => {
  it("is the latest public staff comment, unless the requester has written since; internal notes don't count", () => {
    const ask = comment('Mohon kirim foto router.');
    const note = comment('catatan', 'internal');
    const answer = comment('Ini fotonya.', 'public', requester);
    const status = statusChanged('open', 'pending');
    // newest first
    expect(latestStaffRequest([status, note, ask, answer])).toBe('Mohon kirim foto router.');
    expect(latestStaffRequest([status, answer, ask])).toBeUndefined();
    expect(latestStaffRequest([status])).toBeUndefined();
  });
});

describe('composeNotification', () => {
  const ticket = aTicket({ number: 42, language: 'en' });
  const mail = composeNotification({
    kind: 'received',
    to: alice.email!,
    event: created(ticket),
    ticket,
    config: testConfig,
    key: SIGNING_KEY,
    now: new Date(T0),
    publicUrl: TEST_LINKS.publicUrl,
    consoleUrl: TEST_LINKS.consoleUrl,
    staff: TEST_STAFF,
  });

  it("comes from the organisation's sender address, to the requester, in the ticket's language", () => {
    expect(mail.from).toBe('"Helpdesk Sekolah Uji" <desk@uji.example>');
    expect(mail.to).toBe(alice.email);
    expect(mail.subject).toBe('[#42] Ticket received: Wi-Fi di lab mati');
  });

  it('is marked automatic and threaded under the ticket', () => {
    expect(mail.headers).toEqual([
      { name: 'Auto-Submitted', value: 'auto-replied' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
      { name: 'In-Reply-To', value: threadId(ticket.id, 'uji.example') },
      { name: 'References', value: threadId(ticket.id, 'uji.example') },
    ]);
    expect(threadId(ticket.id, 'uji.example')).toBe(`<ticket.${ticket.id.toLowerCase()}@uji.example>`);
  });

  it('has a reply address on the sender domain that names the ticket for 90 days', () => {
    expect(mail.replyTo).toMatch(/^reply\+[0-9a-z.]+@uji\.example$/);
    expect(readReplyAddress(SIGNING_KEY, mail.replyTo, new Date(T0))).toEqual({
      ticketId: ticket.id,
      exp: Date.parse(T0) / 1000 + 90 * 86_400,
    });
  });

  it('sends its bounces to a signed address that names the ticket and this recipient only', () => {
    expect(mail.bounceTo).toMatch(/^bounce\+[0-9a-z.]+@uji\.example$/);
    expect(readBounceAddress(SIGNING_KEY, mail.bounceTo!, alice.email!, new Date(T0))).toEqual({ ticketId: ticket.id });
    expect(readBounceAddress(SIGNING_KEY, mail.bounceTo!, 'someone.else@example.org', new Date(T0))).toBeUndefined();
  });

  it('links to the ticket\'s page in the console with a signed tracking token of purpose "track"', () => {
    // Act
    const token = /\/track\/([A-Za-z0-9_.-]+)/.exec(mail.text)?.[1];

    // Assert
    expect(mail.text).toContain(`${TEST_LINKS.consoleUrl}/track/`);
    expect(verifyToken(SIGNING_KEY, token!, 'track', new Date(T0))).toMatchObject({ purpose: 'track', ticketId: ticket.id });
    expect(verifyToken(SIGNING_KEY, token!, 'reply', new Date(T0))).toBeUndefined();
  });

  it("names the replying agent from the staff directory, or the ticket's team", () => {
    const open = aTicket({ status: 'open' });
    const byIvan = composeNotification({
      kind: 'reply',
      to: 'a@b.example',
      event: comment('Halo'),
      ticket: open,
      config: testConfig,
      key: SIGNING_KEY,
      now: new Date(T0),
      publicUrl: TEST_LINKS.publicUrl,
      consoleUrl: TEST_LINKS.consoleUrl,
      staff: TEST_STAFF,
    });
    const byAdmin = composeNotification({
      kind: 'reply',
      to: 'a@b.example',
      event: comment('Halo', 'public', { id: 'root', role: 'admin' }),
      ticket: open,
      config: testConfig,
      key: SIGNING_KEY,
      now: new Date(T0),
      publicUrl: TEST_LINKS.publicUrl,
      consoleUrl: TEST_LINKS.consoleUrl,
      staff: TEST_STAFF,
    });
    expect(byIvan.text).toContain('Ivan membalas tiket #1');
    expect(byAdmin.text).toContain('Dukungan TI membalas tiket #1');
  });

  it('encodes a sender name outside ASCII', () => {
    expect(formatAddress('Helpdesk Sekolah Ümit', 'desk@uji.example')).toBe(
      `=?UTF-8?B?${Buffer.from('Helpdesk Sekolah Ümit').toString('base64')}?= <desk@uji.example>`,
    );
  });
});

describe('notifyRequester: one mail per event', () => {
  it('sends the acknowledgement once, however often the event is delivered', async () => {
    // Arrange
    const deps = notifyTestDeps();
    const event = created();

    // Act
    const outcomes = [await notifyRequester(deps, event), await notifyRequester(deps, event), await notifyRequester(deps, event)];

    // Assert
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['sent', 'duplicate', 'duplicate']);
    expect(deps.mailer.sent).toHaveLength(1);
    expect(await deps.sendClaims.read(event.id)).toEqual({ state: 'completed', fields: { outcome: 'sent', messageId: 'ses-1' } });
  });

  it('sends once when two deliveries of the event run at the same time; the second comes back, then finds it sent', async () => {
    // Arrange
    const deps = notifyTestDeps();
    const event = created();

    // Act
    const [first, second] = await Promise.allSettled([notifyRequester(deps, event), notifyRequester(deps, event)]);
    const retried = await notifyRequester(deps, event);

    // Assert
    expect(first).toMatchObject({ status: 'fulfilled', value: { outcome: 'sent' } });
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { name: 'NotificationsFailedError', causes: [expect.objectContaining({ name: 'MailInProgressError' })] },
    });
    expect(retried.outcome).toBe('duplicate');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('does not drop a delivery that finds the mail being sent: when that attempt fails, the delivery sends it', async () => {
    // Arrange: another attempt holds the claim (its send is slow)
    const deps = notifyTestDeps();
    const event = created();
    const other = await deps.sendClaims.claim(event.id, deps.clock.now());

    // Act: this delivery comes back; the other attempt fails and gives the claim back; this one is retried
    const whileHeld = notifyRequester(deps, event);
    await expect(whileHeld).rejects.toMatchObject({ causes: [expect.objectContaining({ name: 'MailInProgressError' })] });
    await deps.sendClaims.release(event.id, other!);
    const retried = await notifyRequester(deps, event);

    // Assert
    expect(retried.outcome).toBe('sent');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('gives the claim back when sending fails, so the retry sends it', async () => {
    // Arrange
    const deps = notifyTestDeps();
    const event = created();
    deps.mailer.failNext();

    // Act
    const first = notifyRequester(deps, event);
    await expect(first).rejects.toMatchObject({
      name: 'NotificationsFailedError',
      causes: [expect.objectContaining({ message: 'connect ECONNREFUSED' })],
    });
    const claimAfterFailure = await deps.sendClaims.read(event.id);
    const retry = await notifyRequester(deps, event);

    // Assert
    expect(claimAfterFailure).toBeUndefined();
    expect(retry.outcome).toBe('sent');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('takes over the claim of an attempt that died while sending, once its lock has run out', async () => {
    // Arrange: an attempt claimed the event, then vanished (timeout, crash)
    const deps = notifyTestDeps();
    const event = created();
    await deps.sendClaims.claim(event.id, deps.clock.now());

    // Act
    const whileLocked = notifyRequester(deps, event);
    await expect(whileLocked).rejects.toMatchObject({ causes: [expect.objectContaining({ name: 'MailInProgressError' })] });
    deps.clock.advance(121_000);
    const afterLock = await notifyRequester(deps, event);

    // Assert: came back while locked (not dropped), sent once the lock ran out
    expect(afterLock.outcome).toBe('sent');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('sends each event its own mail', async () => {
    const deps = notifyTestDeps({ tickets: [aTicket({ status: 'open' })] });
    await notifyRequester(deps, comment('Satu'));
    await notifyRequester(deps, comment('Dua'));
    expect(deps.mailer.sent.map((mail) => mail.kind)).toEqual(['reply', 'reply']);
  });

  it('quotes what a pending ticket waits for from its history', async () => {
    // Arrange: the request was written an hour before the ticket was put on hold.
    const ticket = aTicket({ status: 'pending' });
    const deps = notifyTestDeps({ tickets: [ticket] });
    const request = { ...comment('Mohon kirim foto router.'), at: hoursBefore(T0, 1) };
    deps.store.tickets.seed(ticket, [created(ticket), request, statusChanged('open', 'pending')]);

    // Act
    await notifyRequester(deps, statusChanged('open', 'pending'));

    // Assert
    expect(deps.mailer.sent[0]!.text).toContain('Mohon kirim foto router.');
  });

  it("sends no 'waiting on you' when the same person's public reply came just before (the reply's mail said it)", async () => {
    // Arrange: Ivan answers and sets pending five minutes later.
    const ticket = aTicket({ status: 'pending' });
    const deps = notifyTestDeps({ tickets: [ticket] });
    const reply = { ...comment('Mohon kirim foto router.'), at: minutesBefore(T0, 5) };
    const pending = statusChanged('open', 'pending');
    deps.store.tickets.seed(ticket, [created(ticket), reply, pending]);

    // Act
    const outcome = await notifyRequester(deps, pending);

    // Assert
    expect(outcome).toEqual({ outcome: 'skipped', reason: 'asked-in-reply', kind: 'pending' });
    expect(deps.mailer.sent).toHaveLength(0);
  });

  it.each<[string, TicketEvent['actor'], number]>([
    ['by someone else', lead, 5],
    ['by the same person, longer ago than ten minutes', { id: 'ivan', role: 'agent' }, 11],
  ])("still sends 'waiting on you' after a reply %s", async (_case, replier, minutes) => {
    // Arrange
    const ticket = aTicket({ status: 'pending' });
    const deps = notifyTestDeps({ tickets: [ticket] });
    const reply = { ...comment('Mohon kirim foto router.', 'public', replier), at: minutesBefore(T0, minutes) };
    const pending = statusChanged('open', 'pending');
    deps.store.tickets.seed(ticket, [created(ticket), reply, pending]);

    // Act
    const outcome = await notifyRequester(deps, pending);

    // Assert
    expect(outcome).toMatchObject({ outcome: 'sent', kind: 'pending' });
    expect(deps.mailer.sent[0]!.text).toContain('Mohon kirim foto router.');
  });

  it("still sends 'waiting on you' when the requester wrote after the agent's reply", async () => {
    // Arrange
    const ticket = aTicket({ status: 'pending' });
    const deps = notifyTestDeps({ tickets: [ticket] });
    const reply = { ...comment('Mohon kirim foto router.'), at: minutesBefore(T0, 5) };
    const answer = { ...comment('Ini fotonya.', 'public', requester), at: minutesBefore(T0, 2) };
    const pending = statusChanged('open', 'pending');
    deps.store.tickets.seed(ticket, [created(ticket), reply, answer, pending]);

    // Act / Assert
    expect(await notifyRequester(deps, pending)).toMatchObject({ outcome: 'sent', kind: 'pending' });
  });

  it('sends nothing, and claims nothing, for an event that mails nobody', async () => {
    const deps = notifyTestDeps({ tickets: [aTicket({ status: 'open' })] });
    const note = comment('rahasia', 'internal');
    expect(await notifyRequester(deps, note)).toEqual({ outcome: 'skipped', reason: 'internal-note' });
    expect(deps.sendClaims.snapshot()).toEqual([]);
    expect(deps.mailer.sent).toHaveLength(0);
  });

  it('skips an event whose ticket does not exist', async () => {
    const deps = notifyTestDeps({ tickets: [] });
    expect(await notifyRequester(deps, created())).toEqual({ outcome: 'skipped', reason: 'no-ticket' });
  });
});

describe('notifyRequester: acknowledgements per sender per hour', () => {
  const ticketsOf = (count: number) =>
    Array.from({ length: count }, (_, index) => aTicket({ id: `01HZZZZZZZZZZZZZZZZZZZZZ${String(index + 10)}`, number: index + 1 }));

  it(`acknowledges at most limits.acknowledgementsPerSenderPerHour (${testConfig.limits.acknowledgementsPerSenderPerHour}) new tickets of one address an hour`, async () => {
    // Arrange
    const tickets = ticketsOf(7);
    const deps = notifyTestDeps({ tickets });

    // Act
    const outcomes = [];
    for (const ticket of tickets) outcomes.push(await notifyRequester(deps, created(ticket)));

    // Assert
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'skipped', 'skipped']);
    expect(outcomes[6]).toEqual({ outcome: 'skipped', reason: 'rate-limited', kind: 'received' });
    expect(deps.mailer.sent).toHaveLength(5);
  });

  it('does not send a suppressed acknowledgement later, even when the event comes again next hour', async () => {
    // Arrange: the hour's acknowledgements are used up
    const tickets = ticketsOf(6);
    const deps = notifyTestDeps({ tickets });
    for (const ticket of tickets.slice(0, 5)) await notifyRequester(deps, created(ticket));
    const late = created(tickets[5]!);
    await notifyRequester(deps, late);

    // Act
    deps.clock.advance(3_600_000);
    const again = await notifyRequester(deps, late);

    // Assert
    expect(again.outcome).toBe('duplicate');
    expect(deps.mailer.sent).toHaveLength(5);
  });

  it('counts addresses case-insensitively, and only acknowledgements (replies are not limited)', async () => {
    // Arrange
    const tickets = ticketsOf(6).map((ticket, index) =>
      index % 2 ? { ...ticket, requester: { ...ticket.requester, email: alice.email!.toUpperCase() } } : ticket,
    );
    const deps = notifyTestDeps({ tickets: [...tickets, aTicket({ status: 'open' })] });

    // Act
    for (const ticket of tickets) await notifyRequester(deps, created(ticket));
    const reply = await notifyRequester(deps, comment('Balasan'));

    // Assert
    expect(deps.mailer.sent.filter((mail) => mail.kind === 'received')).toHaveLength(5);
    expect(reply.outcome).toBe('sent');
  });

  it('gives the acknowledgement back when the send fails, so retries do not use up the hour', async () => {
    // Arrange
    const tickets = ticketsOf(5);
    const deps = notifyTestDeps({ tickets });
    deps.mailer.failNext(3);
    const first = created(tickets[0]!);

    // Act: three failed attempts, then success, then the other four tickets
    for (let attempt = 0; attempt < 3; attempt++) await notifyRequester(deps, first).catch(() => undefined);
    await notifyRequester(deps, first);
    for (const ticket of tickets.slice(1)) await notifyRequester(deps, created(ticket));

    // Assert
    expect(deps.mailer.sent).toHaveLength(5);
  });
});
