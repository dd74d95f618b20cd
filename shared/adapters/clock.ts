// Wall-clock time for the domain. The offset exists for the local sandbox's `POST /_local/clock`, which
// moves time forward so a person or a test can watch an SLA clock run out; in AWS it stays 0.
import { randomBytes } from 'node:crypto';
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

/**
 * The random part of a ULID from the operating system's generator, as ulid's own does, but 4 KiB at a time:
 * ulid asks crypto for one byte per character (16 calls, some 0.1 ms an id). A byte ÷ 256 is uniform over [0, 1)
 * in steps of 1/256, and 256 is a multiple of ULID's 32 characters: no bias.
 */
let pool = /* @__PURE__ */ Buffer.alloc(0);
let used = 0;
const pooledRandom = (): number => {
  if (used >= pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  return pool[used++]! / 256;
};

// Pure: a bundle that never makes an id (most read-only handlers import this module for the clock) drops ulid.
const monotonic = /* @__PURE__ */ monotonicFactory(pooledRandom);

/** ULIDs: sortable by creation time (history order), unguessable enough to serve as opaque ids. */
export const ulidGenerator = (clock: Clock = systemClock): IdGenerator => ({
  next: () => monotonic(clock.now().getTime()),
});
