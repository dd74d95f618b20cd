// Staff are told: who hears of which event, what the mail says and where it links, each mail once, each
// person's choices respected, and no way for a reply to a staff mail to reach the ticket or the requester.
import { describe, expect, it } from 'vitest';
import { screenMail } from '#shared/domain/mail/inbound-mail.ts';
import { notify } from '#shared/domain/mail/notify.ts';
import { composeStaffMail, decideStaffNotifications } from '#shared/domain/mail/notify-staff.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { anEvent, comment, created, notifyTestDeps, TEST_LINKS } from '#test/fixtures/notifications.ts';
import { TEST_STAFF } from '#test/fixtures/staff.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const requester = { id: 'user-alice', role: 'requester' as const };
const assigned = aTicket({ status: 'open', assignee: 'iwan', number: 7 });
const staffMails = (deps: ReturnType<typeof notifyTestDeps>) => deps.mailer.sent.filter((mail) => mail.to.endsWith('@uji.example'));

const TOLD: [string, TicketEvent, Ticket, string[]][] = [
  [
    'an assignment: the assignee',
    anEvent({ type: 'Assigned', data: { from: null, to: 'iwan' } }, {}, assigned),
    assigned,
    ['assigned iwan'],
  ],
  ['the requester replying: the assignee', comment('Masih mati.', 'public', requester, assigned), assigned, ['requester-replied iwan']],
  [
    'an SLA warning: the assignee',
    anEvent(
      { type: 'SlaWarning', data: { clock: 'firstResponse', dueAt: '2026-03-02T06:00:00.000Z' } },
      { actor: { id: 'sla', role: 'system' } },
      assigned,
    ),
    assigned,
    ['sla-warning iwan'],
  ],
  [
    'an SLA breach: the assignee',
    anEvent(
      { type: 'SlaBreached', data: { clock: 'resolution', dueAt: '2026-03-02T06:00:00.000Z' } },
      { actor: { id: 'sla', role: 'system' } },
      assigned,
    ),
    assigned,
    ['sla-breach iwan'],
  ],
  [
    'an escalation: each lead named by the step',
    anEvent(
      { type: 'Escalated', data: { level: 1, action: 'notify-lead', leads: ['ivan', 'sari'] } },
      { actor: { id: 'sla', role: 'system' } },
      assigned,
    ),
    assigned,
    ['escalation ivan', 'escalation sari'],
  ],
];

describe('who on staff is told', () => {
  it.each(TOLD)('%s', (_case, event, ticket, expected) => {
    const decisions = decideStaffNotifications(event, ticket, TEST_STAFF);
    expect(decisions.map((decision) => (decision.send ? `${decision.kind} ${decision.member.id}` : decision.reason))).toEqual(expected);
  });

  it.each<[string, TicketEvent, Ticket]>([
    ['an internal note', comment('catatan', 'internal', { id: 'ivan', role: 'agent' }, assigned), assigned],
    ["staff's own public reply", comment('Sudah kami cek.', 'public', { id: 'ivan', role: 'agent' }, assigned), assigned],
    ['the requester replying on an unassigned ticket (the team queue shows it)', comment('Halo?', 'public', requester), aTicket()],
    [
      'an SLA warning on an unassigned ticket',
      anEvent({ type: 'SlaWarning', data: { clock: 'firstResponse', dueAt: '2026-03-02T06:00:00Z' } }),
      aTicket(),
    ],
    [
      'a priority raised by the ladder',
      anEvent({ type: 'Escalated', data: { level: 2, action: 'raise-priority', priority: 'high' } }),
      assigned,
    ],
    ['an unassignment', anEvent({ type: 'Assigned', data: { from: 'iwan', to: null } }), aTicket()],
  ])('nobody for %s', (_case, event, ticket) => {
    expect(decideStaffNotifications(event, ticket, TEST_STAFF)).toEqual([]);
  });

  it('tells the leads when a ticket comes to their team and no one there is available', () => {
    const away = TEST_STAFF.map((member) => (member.teams.includes('it-support') ? { ...member, available: false } : member));
    const decisions = decideStaffNotifications(created(aTicket()), aTicket(), away);
    expect(decisions.map((decision) => decision.send && `${decision.kind} ${decision.member.id}`)).toEqual(['unassignable ivan']);
  });

  it('tells nobody when someone in the team is available, or once the ticket has someone', () => {
    const away = TEST_STAFF.map((member) => (member.teams.includes('it-support') ? { ...member, available: false } : member));
    expect(decideStaffNotifications(created(aTicket()), aTicket(), TEST_STAFF)).toEqual([]);
    expect(decideStaffNotifications(created(aTicket()), aTicket({ assignee: 'iwan', status: 'open' }), away)).toEqual([]);
  });

  it('tells nobody of their own doing, and respects a turned-off kind', () => {
    const selfAssigned = anEvent(
      { type: 'Assigned', data: { from: null, to: 'iwan' } },
      { actor: { id: 'iwan', role: 'agent' } },
      assigned,
    );
    const quiet = TEST_STAFF.map((member) =>
      member.id === 'iwan' ? { ...member, notifications: { 'requester-replied': false } } : member,
    );
    expect(decideStaffNotifications(selfAssigned, assigned, TEST_STAFF)).toEqual([
      { send: false, kind: 'assigned', id: 'iwan', reason: 'own-change' },
    ]);
    expect(decideStaffNotifications(comment('Halo', 'public', requester, assigned), assigned, quiet)).toEqual([
      { send: false, kind: 'requester-replied', id: 'iwan', reason: 'opted-out' },
    ]);
  });

  it('tells the assignee of the moment: a breach on Iwan’s watch is his news after the ladder moved the ticket on', () => {
    const breach = anEvent(
      { type: 'SlaBreached', data: { clock: 'firstResponse', dueAt: '2026-03-02T06:00:00Z' } },
      { actor: { id: 'sla', role: 'system' } },
      assigned,
    );
    const movedOn = aTicket({ status: 'open', team: 'sarpras', assignee: null });
    expect(decideStaffNotifications(breach, movedOn, TEST_STAFF).map((decision) => decision.send && decision.member.id)).toEqual(['iwan']);
  });

  it('skips an assignment delivered after the ticket went to someone else', () => {
    const old = anEvent({ type: 'Assigned', data: { from: null, to: 'mira' } }, {}, assigned);
    expect(decideStaffNotifications(old, assigned, TEST_STAFF)).toEqual([
      { send: false, kind: 'assigned', id: 'mira', reason: 'moved-on' },
    ]);
  });
});

describe('the staff mail', () => {
  const escalation = anEvent(
    {
      type: 'Escalated',
      data: { level: 1, action: 'notify-lead', leads: ['ivan'], clock: 'firstResponse', dueAt: '2026-03-02T06:00:00.000Z' },
    },
    { actor: { id: 'sla', role: 'system' } },
    assigned,
  );
  const ivan = { ...TEST_STAFF.find((member) => member.id === 'ivan')!, email: 'ivan@uji.example' };
  const mail = composeStaffMail({
    kind: 'escalation',
    member: ivan,
    event: escalation,
    ticket: assigned,
    config: testConfig,
    consoleUrl: TEST_LINKS.consoleUrl,
  });

  it('names the ticket, the clock and the due time in the organisation zone, in the lead’s language', () => {
    expect(mail.to).toBe('ivan@uji.example');
    expect(mail.subject).toBe('Eskalasi: #7 Wi-Fi di lab mati');
    expect(mail.text).toContain(
      'Tiket #7 tim Dukungan TI dieskalasikan kepada Anda sebagai ketua tim: batas waktu tanggapan pertama terlampaui',
    );
    expect(mail.text).toMatch(/Senin, 2 Maret 2026.*13[.:]00/);
    const inEnglish = composeStaffMail({
      kind: 'escalation',
      member: { ...ivan, language: 'en' },
      event: escalation,
      ticket: assigned,
      config: testConfig,
      consoleUrl: TEST_LINKS.consoleUrl,
    });
    expect(inEnglish.text).toContain('Ticket #7 of team IT Support is escalated to you as its lead: the first response time ran out');
  });

  it('links to the ticket in the console', () => {
    expect(mail.text).toContain(`${TEST_LINKS.consoleUrl}/tickets/${assigned.id}`);
    expect(mail.html).toContain(`href="${TEST_LINKS.consoleUrl}/tickets/${assigned.id}"`);
  });

  it('offers no way back into the ticket: no reply address, no thread, no [#n] token; a reply to it is dropped', () => {
    expect(mail.replyTo).toBe('noreply@uji.example');
    expect(mail.subject).not.toMatch(/\[#\d+\]/);
    expect(mail.headers.map((header) => header.name)).toEqual(['Auto-Submitted', 'X-Auto-Response-Suppress']);
    const reply = {
      from: { address: 'ivan@uji.example' },
      recipients: ['noreply@uji.example'],
      subject: `Re: ${mail.subject}`,
      inReplyTo: [],
      references: [],
      headers: {},
      text: 'Siapa yang menangani?',
      attachments: [],
    };
    expect(screenMail(reply, testConfig)).toBe('no-reply-address');
  });

  it('escapes what people wrote', () => {
    const hostile = aTicket({ subject: '<script>alert(1)</script>', assignee: 'iwan', status: 'open' });
    const html = composeStaffMail({
      kind: 'requester-replied',
      member: { ...TEST_STAFF.find((member) => member.id === 'iwan')!, email: 'iwan@uji.example' },
      event: comment('<img src=x onerror=alert(1)>', 'public', requester, hostile),
      ticket: hostile,
      config: testConfig,
      consoleUrl: TEST_LINKS.consoleUrl,
    }).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('notify: one staff mail per event and person', () => {
  it('mails each lead of an escalation once, however often the event is delivered', async () => {
    // Arrange
    const deps = notifyTestDeps({ tickets: [assigned] });
    const event = anEvent(
      { type: 'Escalated', data: { level: 1, action: 'notify-lead', leads: ['ivan', 'sari'] } },
      { actor: { id: 'sla', role: 'system' } },
      assigned,
    );

    // Act
    const first = await notify(deps, event);
    const again = await notify(deps, event);

    // Assert
    expect(first.map((outcome) => `${outcome.outcome} ${outcome.kind} ${outcome.staffId}`)).toEqual([
      'sent escalation ivan',
      'sent escalation sari',
    ]);
    expect(again.map((outcome) => outcome.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(staffMails(deps).map((mail) => mail.to)).toEqual(['ivan@uji.example', 'sari@uji.example']);
  });

  it('sends the other mails of an event when one fails, and only the failed one on the retry', async () => {
    // Arrange: the requester's reply on Iwan's ticket also... only Iwan is told; make the first send fail
    const deps = notifyTestDeps({ tickets: [assigned] });
    const event = anEvent(
      { type: 'Escalated', data: { level: 1, action: 'notify-lead', leads: ['ivan', 'sari'] } },
      { actor: { id: 'sla', role: 'system' } },
      assigned,
    );
    deps.mailer.failNext(1);

    // Act
    const failed = await notify(deps, event).catch((error: unknown) => error);
    const retried = await notify(deps, event);

    // Assert
    expect(failed).toMatchObject({ name: 'NotificationsFailedError' });
    expect(retried.map((outcome) => `${outcome.outcome} ${outcome.staffId}`)).toEqual(['sent ivan', 'duplicate sari']);
    expect(
      staffMails(deps)
        .map((mail) => mail.to)
        .sort(),
    ).toEqual(['ivan@uji.example', 'sari@uji.example']);
  });

  it('mails the requester and the assignee of the same reply separately: the requester hears nothing of their own words', async () => {
    const deps = notifyTestDeps({ tickets: [assigned] });
    const outcomes = await notify(deps, comment('Masih mati.', 'public', requester, assigned));
    expect(outcomes.map((outcome) => `${outcome.to} ${outcome.outcome} ${outcome.kind ?? outcome.reason}`)).toEqual([
      'requester skipped own-comment',
      'staff sent requester-replied',
    ]);
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual(['iwan@uji.example']);
  });
});
