// A requester's record for staff: contact details from their latest ticket, their tickets newest first, each
// within the caller's reach, and the erasure offered to administrators only.
import { describe, expect, it } from 'vitest';
import { requesterRecord } from '#shared/domain/people/requester-record.ts';
import { eraseRequester } from '#shared/domain/privacy/erase-requester.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { admin, alice, hana, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const arrange = async () => {
  const deps = testDeps();
  const file = async (subject: string, category: string, requester?: { name: string; email?: string; phone?: string }) => {
    deps.clock.advance(60_000);
    return (
      await createTicket(deps, requester ? hana : alice, {
        subject,
        description: '',
        category,
        channel: requester ? 'phone' : 'web',
        ...(requester ? { requester } : {}),
      })
    ).ticket;
  };
  const first = await file('Printer macet', 'hardware');
  const second = await file('AC mati', 'facilities');
  return { deps, first, second };
};

describe('a requester record', () => {
  it('gives staff the requester’s contact details and tickets, newest first; erasure only for an administrator', async () => {
    // Arrange
    const { deps, first, second } = await arrange();

    // Act
    const forLead = await requesterRecord(deps, sari, alice.id, {});
    const forAdmin = await requesterRecord(deps, admin, alice.id, {});

    // Assert
    expect(forLead.requester).toEqual({ id: 'user-alice', name: 'Alice Putri', email: 'alice@siswa.example' });
    expect(forLead.tickets.map((ticket) => ticket.id)).toEqual([second.id, first.id]);
    expect(forLead.tickets[0]).toMatchObject({
      subject: 'AC mati',
      category: 'facilities',
      team: 'sarpras',
      status: 'new',
      channel: 'web',
    });
    expect([forLead.canErase, forAdmin.canErase]).toEqual([false, true]);
    expect(forAdmin.erased).toBe(false);
  });

  it('shows an agent only the tickets of their teams, and nobody they cannot see (404)', async () => {
    // Arrange
    const { deps, first } = await arrange();

    // Act
    const forIvan = await requesterRecord(deps, { ...ivan, role: 'agent' }, alice.id, {});

    // Assert
    expect(forIvan.tickets.map((ticket) => ticket.id)).toEqual([first.id]);
    await expect(requesterRecord(deps, { ...hana, teams: ['helpdesk'] }, alice.id, {})).rejects.toMatchObject({ kind: 'not-found' });
    await expect(requesterRecord(deps, admin, 'nobody', {})).rejects.toMatchObject({ kind: 'not-found' });
    await expect(requesterRecord(deps, alice, alice.id, {})).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('after erasure, finds the person under their pseudonym with nothing that names them', async () => {
    // Arrange
    const { deps } = await arrange();
    const { pseudonym } = await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore() });

    // Act
    const record = await requesterRecord(deps, admin, pseudonym, {});

    // Assert
    expect(record.erased).toBe(true);
    expect(record.requester).toEqual({ id: pseudonym });
    expect(record.tickets.every((ticket) => ticket.subject === '[erased]')).toBe(true);
    await expect(requesterRecord(deps, admin, alice.id, {})).rejects.toMatchObject({ kind: 'not-found' });
  });
});
