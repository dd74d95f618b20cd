// Staff mail for mentions and followers: `@handle` in an internal note names colleagues (by id or the local part
// of their address), who are mailed if they may open the ticket; followers hear of comments and status changes
// others make.
import { describe, expect, it } from 'vitest';
import { notify } from '#shared/domain/mail/notify.ts';
import { mentionedStaff } from '#shared/domain/staff/staff.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { ivan } from '#test/fixtures/identities.ts';
import { anEvent, comment, notifyTestDeps, statusChanged } from '#test/fixtures/notifications.ts';
import { TEST_STAFF } from '#test/fixtures/staff.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

describe('mentions', () => {
  it('finds colleagues by id or address, whatever the case, once, and not inside an address', () => {
    expect(mentionedStaff('@Iwan tolong cek, cc @mira. Lapor ke alice@iwan.example', TEST_STAFF).map((member) => member.id)).toEqual([
      'iwan',
      'mira',
    ]);
    expect(mentionedStaff('tanpa sebutan', TEST_STAFF)).toEqual([]);
  });

  it('records the colleagues an internal note names, and nobody for a public reply', async () => {
    // Arrange
    const deps = testDeps();
    const ticket = aTicket({ status: 'open' });
    deps.tickets.seed(ticket);

    // Act
    const note = await addComment(deps, ivan, ticket.id, { body: '@iwan @sari @nobody tolong cek AP lab', visibility: 'internal' });
    const reply = await addComment(deps, ivan, ticket.id, { body: 'Halo @iwan', visibility: 'public' });

    // Assert
    expect(note.comment.data).toMatchObject({ mentions: ['iwan', 'sari'] });
    expect(reply.comment.data).not.toHaveProperty('mentions');
  });

  it('mails each colleague named who may open the ticket, quoting the note and naming its writer', async () => {
    // Arrange: Sari leads facilities (a lead sees every ticket); Iwan is IT support's; Hana's helpdesk agent.
    const ticket = aTicket({ status: 'open', team: 'it-support' });
    const deps = notifyTestDeps({ tickets: [ticket] });
    deps.staff.update('hana', { role: 'agent' });
    const note = anEvent(
      { type: 'CommentAdded', data: { body: '@iwan @hana @ivan cek AP lab', visibility: 'internal', mentions: ['iwan', 'hana', 'ivan'] } },
      {},
      ticket,
    );

    // Act
    const outcomes = await notify(deps, note);

    // Assert
    expect(outcomes.filter((outcome) => outcome.to === 'staff').map((outcome) => [outcome.staffId, outcome.outcome])).toEqual([
      ['iwan', 'sent'],
      ['hana', 'skipped'],
      ['ivan', 'skipped'],
    ]);
    const mail = deps.mailer.sent[0]!;
    expect(mail.to).toBe('iwan@uji.example');
    expect(mail.subject).toBe(`Anda disebut: #1 ${ticket.subject}`);
    expect(mail.text).toContain('Ivan menyebut Anda dalam catatan internal tiket #1');
    expect(mail.text).toContain('@iwan @hana @ivan cek AP lab');
  });
});

describe('followers', () => {
  it('mails followers the comments and status changes others make, each once, and not what they did', async () => {
    // Arrange
    const ticket = aTicket({ status: 'on_hold', followers: ['iwan', 'ivan'], assignee: 'mira' });
    const deps = notifyTestDeps({ tickets: [ticket] });
    const note = comment('Vendor datang besok.', 'internal', { id: 'ivan', role: 'lead' }, ticket);
    const held = statusChanged('open', 'on_hold', { id: 'mira', role: 'agent' }, ticket);

    // Act
    const onNote = await notify(deps, note);
    const onStatus = await notify(deps, held);
    await notify(deps, held);

    // Assert
    expect(onNote.filter((outcome) => outcome.to === 'staff').map((outcome) => [outcome.staffId, outcome.outcome])).toEqual([
      ['iwan', 'sent'],
    ]);
    expect(onStatus.filter((outcome) => outcome.to === 'staff').map((outcome) => [outcome.staffId, outcome.outcome])).toEqual([
      ['iwan', 'sent'],
      ['ivan', 'sent'],
    ]);
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual(['iwan@uji.example', 'iwan@uji.example', 'ivan@uji.example']);
    expect(deps.mailer.sent[0]!.text).toContain('Vendor datang besok.');
    expect(deps.mailer.sent[1]!.text).toContain('Status: Sedang diproses → Ditunda');
  });
});
