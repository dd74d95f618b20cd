// The ClaimStore contract (shared/domain/claims.ts), run against the DynamoDB store on DynamoDB Local and
// against the in-memory fake the unit tests use, so the fake cannot drift from the real thing.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { ClaimLostError, type ClaimStore } from '#shared/domain/claims.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';
import { localTable } from './local-table.ts';

const SPACE = CLAIM_SPACES.notification;
const T0 = Date.parse('2026-11-27T08:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const implementations: { name: string; make: () => Promise<ClaimStore> }[] = [
  { name: 'in memory', make: async () => new InMemoryClaimStore(SPACE) },
  {
    name: 'DynamoDB',
    make: async () => {
      // One table for the file: each test claims keys of its own.
      const { client, table } = await (shared ??= localTable());
      return createClaimStore(client, table, SPACE);
    },
  },
];

let shared: ReturnType<typeof localTable> | undefined;

describe.each(implementations)('the claim store ($name)', ({ make }) => {
  let claims: ClaimStore;
  /** This test's own key called `name`. */
  let key: (name: string) => string;
  beforeEach(async () => {
    claims = await make();
    const test = randomUUID();
    key = (name) => `${test}#${name}`;
  });

  it('gives a free key to one holder, and refuses it to the next while the lock runs', async () => {
    // Act
    const first = await claims.claim(key('E1'), at(0), { kind: 'received' });
    const second = await claims.claim(key('E1'), at(SPACE.lockSeconds - 1));

    // Assert
    expect(first).toEqual(expect.any(String));
    expect(second).toBeUndefined();
    expect(await claims.read(key('E1'))).toEqual({ state: 'in_progress', fields: { kind: 'received' } });
  });

  it('lets another holder take over once the lock has run out; the first can then neither complete nor release', async () => {
    // Arrange
    const died = (await claims.claim(key('E1'), at(0)))!;

    // Act
    const takeover = await claims.claim(key('E1'), at(SPACE.lockSeconds + 1), { attempt: '2' });
    const lateComplete = await rejectionOf(claims.complete(key('E1'), died, { outcome: 'sent' }));
    await claims.release(key('E1'), died);

    // Assert
    expect(takeover).toEqual(expect.any(String));
    expect(takeover).not.toBe(died);
    expect(lateComplete).toBeInstanceOf(ClaimLostError);
    expect(await claims.read(key('E1'))).toEqual({ state: 'in_progress', fields: { attempt: '2' } });
  });

  it('keeps a completed claim with its fields, and refuses the key until it expires', async () => {
    // Arrange
    const holder = (await claims.claim(key('E1'), at(0), { requestHash: 'h1' }))!;

    // Act
    await claims.complete(key('E1'), holder, { ticketId: 'T1' });
    const afterLock = await claims.claim(key('E1'), at(SPACE.lockSeconds + 1));
    const afterTtl = await claims.claim(key('E1'), at(SPACE.ttlSeconds + 1));

    // Assert
    expect(afterLock).toBeUndefined();
    expect(afterTtl).toEqual(expect.any(String));
  });

  it('reads a completed claim as completed, with the fields of the claim and of the completion', async () => {
    const holder = (await claims.claim(key('E1'), at(0), { requestHash: 'h1' }))!;
    await claims.complete(key('E1'), holder, { ticketId: 'T1' });
    expect(await claims.read(key('E1'))).toEqual({ state: 'completed', fields: { requestHash: 'h1', ticketId: 'T1' } });
  });

  it('tells which of many keys are done: not those in progress, released or never claimed', async () => {
    // Arrange: 101 done (more than one batch read takes), one in progress, one released
    const done = Array.from({ length: 101 }, (_, index) => key(`D${index}`));
    await Promise.all(done.map(async (name) => claims.complete(name, (await claims.claim(name, at(0)))!)));
    await claims.claim(key('busy'), at(0));
    await claims.release(key('gone'), (await claims.claim(key('gone'), at(0)))!);

    // Act
    const completed = await claims.completedAmong([...done, key('busy'), key('gone'), key('never'), done[0]!]);

    // Assert
    expect([...completed].sort()).toEqual([...done].sort());
    expect(await claims.completedAmong([])).toEqual(new Set());
  });

  it('frees a released key at once', async () => {
    // Arrange
    const holder = (await claims.claim(key('E1'), at(0)))!;

    // Act
    await claims.release(key('E1'), holder);

    // Assert
    expect(await claims.read(key('E1'))).toBeUndefined();
    expect(await claims.claim(key('E1'), at(1))).toEqual(expect.any(String));
  });

  it('lets only the holder complete or release, and nobody release a completed claim', async () => {
    // Arrange
    const holder = (await claims.claim(key('E1'), at(0)))!;

    // Act
    const stranger = await rejectionOf(claims.complete(key('E1'), 'someone-else'));
    await claims.release(key('E1'), 'someone-else');
    await claims.complete(key('E1'), holder);
    await claims.release(key('E1'), holder);

    // Assert
    expect(stranger).toBeInstanceOf(ClaimLostError);
    expect(await claims.read(key('E1'))).toEqual({ state: 'completed', fields: {} });
  });

  it('says nothing about a key never claimed, and cannot complete it', async () => {
    expect(await claims.read(key('never'))).toBeUndefined();
    await expect(claims.complete(key('never'), 'anyone')).rejects.toBeInstanceOf(ClaimLostError);
  });

  it('keeps keys apart', async () => {
    expect(await claims.claim(key('E1'), at(0))).toEqual(expect.any(String));
    expect(await claims.claim(key('E2'), at(0))).toEqual(expect.any(String));
  });
});
