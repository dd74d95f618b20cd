// Following a ticket: staff who may read it follow and stop following, once each, recorded for staff only.
import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { setFollowing } from '#shared/domain/tickets/follow-ticket.ts';
import { alice, hana, ivan } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof DomainError ? error.kind : 'thrown'),
  );

const arrange = (status: 'open' | 'closed' = 'open') => {
  const deps = testDeps();
  const ticket = aTicket({ status });
  deps.tickets.seed(ticket);
  return { deps, id: ticket.id };
};

describe('following a ticket', () => {
  it('adds the caller once, records it, and marks the ticket followed in its events', async () => {
    // Arrange
    const { deps, id } = arrange();

    // Act
    const followed = await setFollowing(deps, ivan, id, true);
    const again = await setFollowing(deps, ivan, id, true);

    // Assert
    expect(followed).toMatchObject({ followers: ['ivan'], version: 2 });
    expect(again).toEqual(followed);
    const history = deps.tickets.historyOf(id);
    expect(history.map((event) => [event.type, event.data, event.ticket.followed])).toEqual([['Followed', { staff: 'ivan' }, true]]);
  });

  it('removes the caller when they stop following, and changes nothing when they were not following', async () => {
    // Arrange
    const { deps, id } = arrange();
    await setFollowing(deps, ivan, id, true);

    // Act
    const stopped = await setFollowing(deps, ivan, id, false);
    const notFollowing = await setFollowing(deps, ivan, id, false);

    // Assert
    expect(stopped.followers).toBeUndefined();
    expect(notFollowing.version).toBe(stopped.version);
    expect(deps.tickets.historyOf(id).map((event) => event.type)).toEqual(['Followed', 'Unfollowed']);
  });

  it('is for staff who may read the ticket, and not on a closed ticket', async () => {
    // Arrange
    const open = arrange();
    const closed = arrange('closed');

    // Act
    const kinds = await Promise.all([
      kindOf(setFollowing(open.deps, alice, open.id, true)),
      kindOf(setFollowing(open.deps, hana, open.id, true)),
      kindOf(setFollowing(closed.deps, ivan, closed.id, true)),
    ]);

    // Assert
    expect(kinds).toEqual(['forbidden', 'not-found', 'conflict']);
    expect(open.deps.tickets.historyOf(open.id)).toEqual([]);
  });
});
