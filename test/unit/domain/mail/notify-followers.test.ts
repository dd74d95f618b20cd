// The requesters of duplicates merged into a ticket follow it: a public staff reply reaches them too, each once,
// greeted by their own name; nobody is mailed twice and internal notes reach no one.
import { describe, expect, it } from 'vitest';
import { notify } from '#shared/domain/mail/notify.ts';
import { alice, bob } from '#test/fixtures/identities.ts';
import { comment, notifyTestDeps, statusChanged } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const DUPLICATE = '01HZZZZZZZZZZZZZZZZZZZZZZ2';
const SAME_PERSON = '01HZZZZZZZZZZZZZZZZZZZZZZ3';

const arrange = () => {
  const primary = aTicket({
    status: 'open',
    mergedFrom: [
      { id: DUPLICATE, number: 2 },
      { id: SAME_PERSON, number: 3 },
    ],
  });
  const duplicate = aTicket({
    id: DUPLICATE,
    number: 2,
    status: 'closed',
    language: 'en',
    requester: { id: bob.id, name: bob.name, email: bob.email },
  });
  // Alice filed twice: she hears of the primary once, as its requester.
  const again = aTicket({ id: SAME_PERSON, number: 3, status: 'closed', requester: { id: alice.id, email: ' ALICE@siswa.example' } });
  return { deps: notifyTestDeps({ tickets: [primary, duplicate, again] }), primary };
};

describe('followers of a ticket', () => {
  it('mails a public reply to the requester and to each merged duplicate’s requester, once each', async () => {
    // Arrange
    const { deps, primary } = arrange();
    const reply = comment('Access point sudah diganti.', 'public', { id: 'ivan', role: 'agent' }, primary);

    // Act
    const outcomes = await notify(deps, reply);
    const again = await notify(deps, reply);

    // Assert
    expect(outcomes.filter((outcome) => outcome.to !== 'staff').map((outcome) => [outcome.to, outcome.outcome])).toEqual([
      ['requester', 'sent'],
      ['follower', 'sent'],
    ]);
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual([alice.email, bob.email]);
    expect(deps.mailer.sent[1]!.text).toContain('Bob Santoso');
    expect(deps.mailer.sent[1]!.text).toContain('Access point sudah diganti.');
    expect(again.filter((outcome) => outcome.to === 'follower').map((outcome) => outcome.outcome)).toEqual(['duplicate']);
    expect(deps.mailer.sent).toHaveLength(2);
  });

  it('mails followers nothing for an internal note or a status the requester alone is asked about', async () => {
    // Arrange
    const { deps, primary } = arrange();

    // Act
    await notify(deps, comment('Catatan internal.', 'internal', { id: 'ivan', role: 'agent' }, primary));
    await notify(deps, statusChanged('open', 'pending', { id: 'ivan', role: 'agent' }, { ...primary, status: 'pending' }));

    // Assert
    expect(deps.mailer.sent.map((mail) => mail.to)).not.toContain(bob.email);
  });
});
