import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { assertTransition, canTransition, type Status } from '#shared/domain/tickets/ticket-status.ts';
import { DAY_MS, T0 } from '#test/fixtures/clock.ts';

// The life cycle (DESIGN.md §6): new → open → pending ⇄ open → on_hold ⇄ open → resolved → closed,
// resolved → open within the reopen window, closed is final. Beyond the main line, a new ticket may be
// parked (pending, on_hold) or resolved straight away (a duplicate, a question answered at triage), and a
// ticket waiting on someone may be resolved (the requester says it is solved). Nothing ever moves to itself,
// nothing reaches closed except through resolved, and nothing leaves closed.
//
// Written out cell by cell, not derived from the module: rows are "from", columns are "to".
const ALL: Status[] = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'];
const ALLOWED_GRID: Record<Status, Record<Status, boolean>> = {
  //        →   new    open   pending on_hold resolved closed
  new: { new: false, open: true, pending: true, on_hold: true, resolved: true, closed: false },
  open: { new: false, open: false, pending: true, on_hold: true, resolved: true, closed: false },
  pending: { new: false, open: true, pending: false, on_hold: false, resolved: true, closed: false },
  on_hold: { new: false, open: true, pending: false, on_hold: false, resolved: true, closed: false },
  resolved: { new: false, open: true, pending: false, on_hold: false, resolved: false, closed: true },
  closed: { new: false, open: false, pending: false, on_hold: false, resolved: false, closed: false },
};

const PAIRS = ALL.flatMap((from) => ALL.map((to) => ({ from, to, allowed: ALLOWED_GRID[from][to] })));
const allowedFrom = (from: Status) => ALL.filter((to) => ALLOWED_GRID[from][to]);

const now = new Date(T0);
const context = { now, reopenWindowDays: 14 };

const thrownBy = (action: () => void): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('ticket status transitions', () => {
  it.each(PAIRS.filter((pair) => pair.allowed))('allows $from → $to', ({ from, to }) => {
    // Act
    const allowed = canTransition(from, to);
    const error = thrownBy(() => assertTransition(from, to, context));

    // Assert
    expect(allowed).toBe(true);
    expect(error).toBeUndefined();
  });

  it.each(PAIRS.filter((pair) => !pair.allowed))('refuses $from → $to with a conflict naming the allowed moves', ({ from, to }) => {
    // Act
    const allowed = canTransition(from, to);
    const error = thrownBy(() => assertTransition(from, to, context));

    // Assert
    expect(allowed).toBe(false);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    const message = (error as DomainError).message;
    const options = allowedFrom(from);
    if (options.length === 0) {
      expect(message).toMatch(/final/);
    } else {
      expect(message).toContain(`A ${from} ticket cannot move to ${to}`);
      for (const option of options) expect(message).toContain(option);
      // It names only the allowed moves: none of the refused targets appears in the list it offers.
      const offered = message.slice(message.indexOf('it can move to') + 'it can move to'.length);
      for (const refused of ALL.filter((candidate) => !options.includes(candidate))) expect(offered.split(/[ ,.]+/)).not.toContain(refused);
    }
  });

  it('agrees with itself: assertTransition throws exactly when canTransition says no (any pair, no reopen window)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.constantFrom(...ALL), (from, to) => {
        const threw = thrownBy(() => assertTransition(from, to, context)) !== undefined;
        return threw === !canTransition(from, to);
      }),
    );
  });
});

describe('reopening a resolved ticket', () => {
  const resolvedAt = '2026-03-02T02:00:00.000Z';
  const at = (ms: number) => new Date(Date.parse(resolvedAt) + ms);

  it('is allowed inside the window', () => {
    expect(() => assertTransition('resolved', 'open', { now: at(3 * DAY_MS), resolvedAt, reopenWindowDays: 14 })).not.toThrow();
  });

  it('is allowed at the very edge of the window', () => {
    expect(() => assertTransition('resolved', 'open', { now: at(14 * DAY_MS), resolvedAt, reopenWindowDays: 14 })).not.toThrow();
  });

  it('is refused one millisecond after the window, as a conflict that says to file a new ticket', () => {
    // Act
    const error = thrownBy(() => assertTransition('resolved', 'open', { now: at(14 * DAY_MS + 1), resolvedAt, reopenWindowDays: 14 }));

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    expect((error as DomainError).message).toMatch(/14 days/);
    expect((error as DomainError).message).toMatch(/new ticket/);
  });

  it('follows the configured window length', () => {
    expect(() => assertTransition('resolved', 'open', { now: at(2 * DAY_MS), resolvedAt, reopenWindowDays: 1 })).toThrow(DomainError);
    expect(() => assertTransition('resolved', 'open', { now: at(DAY_MS), resolvedAt, reopenWindowDays: 1 })).not.toThrow();
  });

  it('does not limit closing a long-resolved ticket', () => {
    expect(() => assertTransition('resolved', 'closed', { now: at(400 * DAY_MS), resolvedAt, reopenWindowDays: 14 })).not.toThrow();
  });
});
