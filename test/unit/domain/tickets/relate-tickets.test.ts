// Merging and linking: both tickets change in one write, each with its history, or neither does.
import { describe, expect, it } from 'vitest';
import { callerOf, canSeeEvent } from '#shared/domain/access/ticket-access.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { VersionConflictError } from '#shared/domain/tickets/ports.ts';
import { linkTickets, MAX_RELATIONS, mergeTicket } from '#shared/domain/tickets/relate-tickets.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { alice, bob, hana, ivan, sari } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const HOUR = 3_600_000;
const PRIMARY = '01HZZZZZZZZZZZZZZZZZZZZZZ1';
const DUPLICATE = '01HZZZZZZZZZZZZZZZZZZZZZZ2';
const THIRD = '01HZZZZZZZZZZZZZZZZZZZZZZ3';

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

/** Alice's primary (#1), Bob's duplicate (#2) and a third ticket (#3), all IT support's; an hour later. */
const arrange = (overrides: { primary?: Partial<Ticket>; duplicate?: Partial<Ticket>; third?: Partial<Ticket> } = {}) => {
  const deps = testDeps();
  deps.tickets.seed(aTicket({ status: 'open', ...overrides.primary }));
  deps.tickets.seed(
    aTicket({
      id: DUPLICATE,
      number: 2,
      requester: { id: bob.id, name: bob.name, email: bob.email },
      language: 'en',
      ...overrides.duplicate,
    }),
  );
  deps.tickets.seed(aTicket({ id: THIRD, number: 3, ...overrides.third }));
  deps.clock.advance(HOUR);
  return { deps, later: new Date(Date.parse(T0) + HOUR).toISOString() };
};

describe('merging a duplicate', () => {
  it('closes the duplicate with a reference and a notice to its requester, and lists it on the primary, in one write', async () => {
    // Arrange
    const { deps, later } = arrange();

    // Act
    const { duplicate, primary } = await mergeTicket(deps, ivan, DUPLICATE, { into: PRIMARY });

    // Assert
    expect(duplicate).toMatchObject({ status: 'closed', closedAt: later, mergedInto: { id: PRIMARY, number: 1 }, version: 2 });
    expect(duplicate.retainUntil).toBeDefined();
    expect(primary).toMatchObject({ status: 'open', mergedFrom: [{ id: DUPLICATE, number: 2 }], version: 2 });
    const duplicateHistory = deps.tickets.historyOf(DUPLICATE);
    expect(duplicateHistory.map((event) => event.type)).toEqual(['Merged', 'CommentAdded', 'StatusChanged']);
    expect(duplicateHistory[1]!.data).toEqual({
      body: 'This ticket was merged into ticket #1, which reports the same problem. We will keep you informed from ticket #1.',
      visibility: 'public',
    });
    expect(duplicateHistory[2]!.data).toEqual({ from: 'new', to: 'closed' });
    expect(deps.tickets.historyOf(PRIMARY).map((event) => [event.type, event.data])).toEqual([
      ['DuplicateMerged', { duplicate: { id: DUPLICATE, number: 2 } }],
    ]);
    expect(await deps.tickets.getTicket(DUPLICATE)).toEqual(duplicate);
    expect(await deps.tickets.getTicket(PRIMARY)).toEqual(primary);
  });

  it('refuses a merge into itself, into a closed ticket, or of a closed ticket with 409, writing nothing', async () => {
    // Arrange
    const { deps } = arrange({ third: { status: 'closed' } });
    const before = deps.snapshot();

    // Act
    const errors = await Promise.all([
      rejectionOf(mergeTicket(deps, ivan, DUPLICATE, { into: DUPLICATE })),
      rejectionOf(mergeTicket(deps, ivan, DUPLICATE, { into: THIRD })),
      rejectionOf(mergeTicket(deps, ivan, THIRD, { into: PRIMARY })),
    ]);

    // Assert
    expect(errors.map((error) => error.kind)).toEqual(['conflict', 'conflict', 'conflict']);
    expect(errors[1]!.message).toContain('#3 is closed');
    expect(deps.snapshot()).toEqual(before);
  });

  it('does not reach across teams (404) and is for staff (requesters 403), on either side', async () => {
    // Arrange: the primary is the facilities team's.
    const { deps } = arrange({ primary: { team: 'sarpras' } });
    const before = deps.snapshot();

    // Act
    const errors = await Promise.all([
      rejectionOf(mergeTicket(deps, ivan, DUPLICATE, { into: PRIMARY })),
      rejectionOf(mergeTicket(deps, alice, PRIMARY, { into: DUPLICATE })),
      rejectionOf(mergeTicket(deps, hana, DUPLICATE, { into: '01HZZZZZZZZZZZZZZZZZZZZZZ9' })),
    ]);

    // Assert
    expect(errors.map((error) => error.kind)).toEqual(['not-found', 'not-found', 'not-found']);
    expect(deps.snapshot()).toEqual(before);
  });

  it('lets a lead merge across teams', async () => {
    // Arrange
    const { deps } = arrange({ primary: { team: 'sarpras' } });

    // Act
    const { duplicate } = await mergeTicket(deps, sari, DUPLICATE, { into: PRIMARY });

    // Assert
    expect(duplicate.mergedInto).toEqual({ id: PRIMARY, number: 1 });
  });

  it('refuses a primary with the most duplicates it may list', async () => {
    // Arrange
    const full = Array.from({ length: MAX_RELATIONS }, (_, index) => ({
      id: `01J${String(index).padStart(23, '0')}`,
      number: 100 + index,
    }));
    const { deps } = arrange({ primary: { mergedFrom: full } });

    // Act
    const error = await rejectionOf(mergeTicket(deps, ivan, DUPLICATE, { into: PRIMARY }));

    // Assert
    expect(error.kind).toBe('conflict');
  });

  it('re-reads and merges again when the primary changed meanwhile', async () => {
    // Arrange
    const { deps } = arrange();
    const save = deps.tickets.saveTickets.bind(deps.tickets);
    let conflicts = 1;
    deps.tickets.saveTickets = async (writes) => {
      if (conflicts-- > 0) throw new VersionConflictError(PRIMARY);
      return save(writes);
    };

    // Act
    const { primary } = await mergeTicket(deps, ivan, DUPLICATE, { into: PRIMARY });

    // Assert
    expect(primary.mergedFrom).toHaveLength(1);
    expect(deps.tickets.historyOf(PRIMARY)).toHaveLength(1);
  });
});

describe('linking tickets', () => {
  it('records a relation on both tickets, each from its own side', async () => {
    // Arrange
    const { deps } = arrange();

    // Act
    const { ticket, other } = await linkTickets(deps, ivan, DUPLICATE, { ticket: PRIMARY, kind: 'parent' });

    // Assert
    expect(ticket.links).toEqual([{ id: PRIMARY, number: 1, kind: 'parent' }]);
    expect(other.links).toEqual([{ id: DUPLICATE, number: 2, kind: 'child' }]);
    expect(deps.tickets.historyOf(DUPLICATE).map((event) => event.data)).toEqual([{ ticket: { id: PRIMARY, number: 1 }, kind: 'parent' }]);
    expect(deps.tickets.historyOf(PRIMARY).map((event) => event.data)).toEqual([{ ticket: { id: DUPLICATE, number: 2 }, kind: 'child' }]);
  });

  it('keeps a major incident two levels deep with one parent each, and refuses a link twice or to itself', async () => {
    // Arrange: #1 is the major incident, #2 its child.
    const { deps } = arrange();
    await linkTickets(deps, ivan, PRIMARY, { ticket: DUPLICATE, kind: 'child' });
    const before = deps.snapshot();

    // Act
    const errors = await Promise.all([
      rejectionOf(linkTickets(deps, ivan, DUPLICATE, { ticket: THIRD, kind: 'parent' })),
      rejectionOf(linkTickets(deps, ivan, DUPLICATE, { ticket: THIRD, kind: 'child' })),
      rejectionOf(linkTickets(deps, ivan, PRIMARY, { ticket: THIRD, kind: 'parent' })),
      rejectionOf(linkTickets(deps, ivan, THIRD, { ticket: PRIMARY, kind: 'child' })),
      rejectionOf(linkTickets(deps, ivan, PRIMARY, { ticket: DUPLICATE, kind: 'related' })),
      rejectionOf(linkTickets(deps, ivan, THIRD, { ticket: THIRD, kind: 'related' })),
    ]);

    // Assert
    expect(errors.map((error) => error.kind)).toEqual(['conflict', 'conflict', 'conflict', 'conflict', 'conflict', 'conflict']);
    expect(errors.map((error) => error.message)).toEqual([
      'Ticket #2 already belongs to a major incident.',
      'Ticket #2 is a child of a major incident and cannot have children.',
      'Ticket #1 is a major incident itself and cannot be a child.',
      'Ticket #1 is a major incident itself and cannot be a child.',
      'Ticket #1 is already linked to #2.',
      'A ticket cannot be linked to itself.',
    ]);
    expect(deps.snapshot()).toEqual(before);
    // Another child of the same incident is fine.
    const { other } = await linkTickets(deps, ivan, THIRD, { ticket: PRIMARY, kind: 'parent' });
    expect(other.links?.map((link) => link.number)).toEqual([2, 3]);
  });

  it('refuses a full list of links', async () => {
    // Arrange
    const full = Array.from({ length: MAX_RELATIONS }, (_, index) => ({
      id: `01J${String(index).padStart(23, '0')}`,
      number: 100 + index,
      kind: 'related' as const,
    }));
    const { deps } = arrange({ third: { links: full } });

    // Act
    const error = await rejectionOf(linkTickets(deps, ivan, PRIMARY, { ticket: THIRD, kind: 'related' }));

    // Assert
    expect(error.message).toContain('already has 200 links');
  });

  it('shows the requester neither the link nor the duplicate merged into their ticket', async () => {
    // Arrange
    const { deps } = arrange();
    await linkTickets(deps, ivan, PRIMARY, { ticket: THIRD, kind: 'related' });
    await mergeTicket(deps, ivan, DUPLICATE, { into: PRIMARY });
    const primary = (await deps.tickets.getTicket(PRIMARY))!;

    // Act
    const seen = deps.tickets.historyOf(PRIMARY).filter((event) => canSeeEvent(callerOf(alice), primary, event));

    // Assert
    expect(deps.tickets.historyOf(PRIMARY).map((event) => event.type)).toEqual(['Linked', 'DuplicateMerged']);
    expect(seen).toEqual([]);
  });
});
