// Erasure: the person disappears from every ticket they filed; the facts the statistics need remain.
import { describe, expect, it } from 'vitest';
import { ERASED, eraseRequester, pseudonymFor } from '#shared/domain/privacy/erase-requester.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { getTicket, listTicketEvents } from '#shared/domain/tickets/read-tickets.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { admin, alice, bob, ivan, sari } from '#test/fixtures/identities.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const arrange = async () => {
  const deps = testDeps();
  const { ticket } = await createTicket(deps, alice, {
    subject: 'Wi-Fi di kamar Alice Putri mati',
    description: 'HP saya 0812',
    channel: 'web',
  });
  await addComment(deps, alice, ticket.id, { body: 'Nomor saya 0812-3456', visibility: 'public' });
  await addComment(deps, ivan, ticket.id, { body: 'Kami cek router lantai 2.', visibility: 'public' });
  const { ticket: other } = await createTicket(deps, bob, { subject: 'Proyektor', description: '', channel: 'web' });
  return { deps, ticket, other };
};

describe('erasing a requester', () => {
  it('removes who they are and what they wrote, keeping the facts for statistics and the staff record', async () => {
    // Arrange
    const { deps, ticket } = await arrange();

    // Act
    const result = await eraseRequester(deps, admin, alice.id);

    // Assert
    expect(result).toEqual({ pseudonym: pseudonymFor(alice.id), tickets: 1, events: 2 });
    const erased = await getTicket(deps, sari, ticket.id);
    expect(erased).toMatchObject({
      subject: ERASED,
      description: ERASED,
      requester: { id: pseudonymFor(alice.id) },
      category: ticket.category,
      team: ticket.team,
      priority: ticket.priority,
      channel: 'web',
      createdAt: ticket.createdAt,
    });
    const history = (await listTicketEvents(deps, sari, ticket.id, { limit: 50 })).items;
    const text = JSON.stringify(history);
    for (const personal of [alice.id, alice.name!, alice.email!, '0812', 'Alice Putri']) expect(text).not.toContain(personal);
    expect(text).toContain('Kami cek router lantai 2.');
    expect(history.map((event) => event.type)).toContain('RequesterErased');
  });

  it('erases the custom field values that could name the person, and keeps a choice from a list for the reports', async () => {
    // Arrange
    const deps = testDeps();
    const { ticket } = await createTicket(deps, alice, {
      subject: 'Legalisir ijazah',
      description: '',
      channel: 'web',
      fields: { nisn: '0012345678', ruang: 'aula' },
    });
    // The requester corrects the number: the history holds both.
    await updateTicket(deps, alice, ticket.id, { fields: { nisn: '0099999999' } });

    // Act
    await eraseRequester(deps, admin, alice.id);

    // Assert
    const erased = await getTicket(deps, sari, ticket.id);
    expect(erased.fields).toEqual({ ruang: 'aula' });
    const text = JSON.stringify((await listTicketEvents(deps, sari, ticket.id, { limit: 50 })).items);
    expect(text).not.toMatch(/0012345678|0099999999/);
    expect(text).toContain('aula');
  });

  it('leaves other requesters alone and changes nothing more when run again', async () => {
    const { deps, other } = await arrange();
    await eraseRequester(deps, admin, alice.id);
    const again = await eraseRequester(deps, admin, alice.id);
    expect(again).toMatchObject({ tickets: 0, events: 0 });
    expect((await getTicket(deps, sari, other.id)).subject).toBe('Proyektor');
  });

  it('is for administrators only', async () => {
    const { deps } = await arrange();
    for (const caller of [alice, ivan, sari])
      await expect(eraseRequester(deps, caller, alice.id)).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('erasing a requester who rated a ticket', () => {
  it('keeps the rating and removes the words that came with it', async () => {
    // Arrange
    const { deps, ticket } = await arrange();
    const current = (await deps.tickets.getTicket(ticket.id))!;
    const rated = {
      ...current,
      csat: { rating: 4, at: current.updatedAt, resolvedAt: current.updatedAt, comment: 'Terima kasih, Alice Putri' },
      version: current.version + 1,
    };
    await deps.tickets.saveTicket(rated as typeof current, current.version, []);

    // Act
    await eraseRequester(deps, admin, alice.id);

    // Assert
    const erased = await getTicket(deps, sari, ticket.id);
    expect(erased.csat).toMatchObject({ rating: 4, comment: ERASED });
    expect(JSON.stringify(erased)).not.toContain('Alice Putri');
  });
});

describe('erasing a requester who sent files', () => {
  it('deletes the files and their names, and fails rather than leave them when it cannot delete', async () => {
    // Arrange: a reply by mail with a scan of an ID card
    const { deps, ticket } = await arrange();
    const [created] = (await deps.tickets.listEvents(ticket.id, { limit: 1 })).items;
    await deps.tickets.appendEvent({
      ...created!,
      id: '01J0000000000000000000ZZZZ',
      type: 'CommentAdded',
      data: {
        body: 'Ini KTP saya',
        visibility: 'public',
        attachments: [{ name: 'KTP Alice Putri.jpg', size: 1234, contentType: 'image/jpeg', key: 'attachments/abc/KTP.jpg' }],
      },
    });
    const deleted: string[] = [];

    // Act
    await expect(eraseRequester(deps, admin, alice.id)).rejects.toThrow(/attachment store/);
    await eraseRequester(deps, admin, alice.id, { deleteAttachments: async (keys) => void deleted.push(...keys) });

    // Assert
    expect(deleted).toEqual(['attachments/abc/KTP.jpg']);
    const history = JSON.stringify((await listTicketEvents(deps, sari, ticket.id, { limit: 50 })).items);
    expect(history).not.toContain('KTP Alice Putri.jpg');
    expect(history).not.toContain('attachments/abc/KTP.jpg');
  });
});
