// Ticket and event ids: ULIDs, sortable by time and with 80 random bits drawn from the operating system's
// generator (a pool of bytes, not one call per character).
import { describe, expect, it } from 'vitest';
import { ulidGenerator } from '#shared/adapters/clock.ts';

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('ulidGenerator', () => {
  it('gives ids in time order, each with its own random part, using every character', () => {
    // Arrange: 2,000 ids a millisecond apart (more than one pool of random bytes)
    let now = Date.parse('2026-12-01T09:00:00Z');
    const ids = ulidGenerator({ now: () => new Date(now++) });

    // Act
    const made = Array.from({ length: 2_000 }, () => ids.next());

    // Assert
    expect(made.every((id) => CROCKFORD.test(id))).toBe(true);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made.map((id) => id.slice(10))).size).toBe(made.length);
    expect(new Set(made.flatMap((id) => [...id.slice(10)])).size).toBe(32);
  });

  it('keeps ids of the same millisecond in the order they were made', () => {
    // Arrange
    const ids = ulidGenerator({ now: () => new Date('2026-12-01T09:00:00Z') });

    // Act
    const made = Array.from({ length: 50 }, () => ids.next());

    // Assert
    expect(new Set(made.map((id) => id.slice(0, 10))).size).toBe(1);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(50);
  });
});
