// Wall-clock time for the domain. The offset exists for the local sandbox's `POST /_local/clock`, which
// moves time forward so a person or a test can watch an SLA clock run out; in AWS it stays 0.
import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '#shared/domain/tickets/ports.ts';

let offsetMs = 0;

export const systemClock: Clock = { now: () => new Date(Date.now() + offsetMs) };

/** Moves this process's clock forward (sandbox only); returns the new time. */
export const advanceClock = (ms: number): Date => {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
  offsetMs += ms;
  return systemClock.now();
};

// Pure: a bundle that never makes an id (most read-only handlers import this module for the clock) drops ulid.
const monotonic = /* @__PURE__ */ monotonicFactory();

/** ULIDs: sortable by creation time (history order), unguessable enough to serve as opaque ids. */
export const ulidGenerator = (clock: Clock = systemClock): IdGenerator => ({
  next: () => monotonic(clock.now().getTime()),
});
