import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { DAY_MS, T0 } from '#test/fixtures/clock.ts';
import { alice, bob, ivan } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

const arrange = (ticket: Partial<Ticket> = {}) => {
  const deps = testDeps();
  const current = aTicket(ticket);
  deps.tickets.seed(current);
  deps.clock.advance(60_000);
  return { deps, id: current.id };
};

describe('adding a comment', () => {
  it('records an agent’s internal note without changing the status', async () => {
    // Arrange
    const { deps, id } = arrange({ status: 'open', assignee: 'ivan' });

    // Act
    const { ticket, comment } = await addComment(deps, ivan, id, { body: 'Cek access point lantai 2.', visibility: 'internal' });

    // Assert
    expect(ticket).toMatchObject({ status: 'open', version: 2 });
    expect(comment).toMatchObject({
      type: 'CommentAdded',
      data: { body: 'Cek access point lantai 2.', visibility: 'internal' },
      actor: { id: 'ivan', role: 'agent' },
      version: 2,
    });
    expect(deps.tickets.historyOf(id)).toEqual([comment]);
  });

  it('forbids a requester an internal note, and writes nothing', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const before = deps.snapshot();
    const error = await rejectionOf(addComment(deps, alice, id, { body: 'rahasia', visibility: 'internal' }));
    expect(error.kind).toBe('forbidden');
    expect(deps.snapshot()).toEqual(before);
  });

  it('brings a ticket waiting on the requester back to open when they reply', async () => {
    // Act
    const { deps, id } = arrange({ status: 'pending' });
    const { ticket } = await addComment(deps, alice, id, { body: 'Sudah saya coba, masih mati.', visibility: 'public' });

    // Assert
    expect(ticket.status).toBe('open');
    expect(await deps.tickets.getTicket(id)).toMatchObject({ status: 'open', version: 2 });
    expect(deps.tickets.historyOf(id).map((event) => [event.type, event.data])).toEqual([
      ['CommentAdded', { body: 'Sudah saya coba, masih mati.', visibility: 'public' }],
      ['StatusChanged', { from: 'pending', to: 'open' }],
    ]);
  });

  it('reopens a resolved ticket when the requester replies within the window', async () => {
    const { deps, id } = arrange({ status: 'resolved', resolvedAt: T0 });
    const { ticket } = await addComment(deps, alice, id, { body: 'Mati lagi.', visibility: 'public' });
    expect(ticket.status).toBe('open');
    expect(ticket.resolvedAt).toBeUndefined();
  });

  it('refuses a requester’s reply to a ticket resolved longer ago than the window', async () => {
    const { deps, id } = arrange({ status: 'resolved', resolvedAt: T0 });
    deps.clock.set(new Date(Date.parse(T0) + 8 * DAY_MS).toISOString());
    const error = await rejectionOf(addComment(deps, alice, id, { body: 'Mati lagi.', visibility: 'public' }));
    expect(error.kind).toBe('conflict');
    expect(error.message).toMatch(/new ticket/);
  });

  it('leaves a pending ticket pending when staff reply', async () => {
    const { deps, id } = arrange({ status: 'pending' });
    const { ticket } = await addComment(deps, ivan, id, { body: 'Mohon kirim foto router.', visibility: 'public' });
    expect(ticket.status).toBe('pending');
  });

  it('leaves an open ticket open when the requester adds to it', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const { ticket } = await addComment(deps, alice, id, { body: 'Tambahan info.', visibility: 'public' });
    expect(ticket.status).toBe('open');
    expect(deps.tickets.historyOf(id).map((event) => event.type)).toEqual(['CommentAdded']);
  });

  it('takes no comments on a closed ticket (conflict)', async () => {
    const { deps, id } = arrange({ status: 'closed', resolvedAt: T0, closedAt: T0 });
    const before = deps.snapshot();
    for (const identity of [alice, ivan]) {
      const error = await rejectionOf(addComment(deps, identity, id, { body: 'Halo?', visibility: 'public' }));
      expect(error.kind).toBe('conflict');
    }
    expect(deps.snapshot()).toEqual(before);
  });

  it('sees a stranger’s ticket as not found', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const error = await rejectionOf(addComment(deps, bob, id, { body: 'Halo', visibility: 'public' }));
    expect(error.kind).toBe('not-found');
  });
});
