// The per-requester creation limit: a flood of tickets from one account stops at the configured number
// per hour with a 429 that says when to come back; replays and staff are not counted.
import { describe, expect, it } from 'vitest';
import type { DomainError } from '#shared/domain/errors.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { alice, bob, ivan } from '#test/fixtures/identities.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const input = (subject: string) => ({ subject, description: '', channel: 'web' as const });
const limit = (deps: ReturnType<typeof testDeps>) => deps.config.limits.ticketsPerRequesterPerHour;

describe('creating tickets within the hourly limit', () => {
  it('refuses the first ticket over the limit with too-many-requests and Retry-After, writing nothing', async () => {
    // Arrange: 10:20 within the hour; the window ends at 11:00
    const deps = testDeps({ now: '2026-11-30T10:20:00.000Z' });
    for (let n = 0; n < limit(deps); n++) await createTicket(deps, alice, input(`Printer ${n}`));
    const before = deps.snapshot() as Record<string, unknown>;

    // Act
    const error = (await createTicket(deps, alice, input('one more')).catch((caught: unknown) => caught)) as DomainError;

    // Assert: no ticket, history, count or key written (only a ticket number is spent, as by any failed create)
    expect(error.kind).toBe('too-many-requests');
    expect(error.message).toBe(`You can file ${limit(deps)} tickets an hour; please try again in 40 minutes.`);
    expect(error.details.headers).toEqual({ 'retry-after': String(40 * 60) });
    expect(deps.tickets.ticketCount()).toBe(limit(deps));
    const after = deps.snapshot() as Record<string, unknown>;
    expect({ ...after, numbers: undefined }).toEqual({ ...before, numbers: undefined });
  });

  it('refuses the 21st ticket in an idempotent request too, giving its key back', async () => {
    // Arrange
    const deps = testDeps({ now: '2026-11-30T10:20:00.000Z' });
    for (let n = 0; n < limit(deps); n++) await createTicket(deps, alice, input(`Printer ${n}`));

    // Act
    const error = (await createTicket(deps, alice, input('one more'), 'key-21').catch((caught: unknown) => caught)) as DomainError;

    // Assert: the key is free again, so the same request an hour later files the ticket
    expect(error.kind).toBe('too-many-requests');
    expect(await deps.idempotencyKeys.read('user-alice#key-21')).toBeUndefined();
    deps.clock.set('2026-11-30T11:00:00.000Z');
    await expect(createTicket(deps, alice, input('one more'), 'key-21')).resolves.toMatchObject({ created: true });
  });

  it('counts each requester apart, lets staff file freely, and opens again in the next hour', async () => {
    const deps = testDeps({ now: '2026-11-30T10:20:00.000Z' });
    for (let n = 0; n < limit(deps); n++) await createTicket(deps, alice, input(`Printer ${n}`));
    await expect(createTicket(deps, bob, input('mine'))).resolves.toMatchObject({ created: true });
    for (let n = 0; n < limit(deps) + 2; n++)
      await expect(
        createTicket(deps, ivan, { ...input(`call ${n}`), channel: 'phone', requester: { name: 'Pak Joko', phone: '+62 812 0000 0000' } }),
      ).resolves.toMatchObject({ created: true });
    deps.clock.set('2026-11-30T11:00:00.000Z');
    await expect(createTicket(deps, alice, input('next hour'))).resolves.toMatchObject({ created: true });
  });

  it('does not count a replay of an idempotent request', async () => {
    const deps = testDeps();
    for (let n = 0; n < limit(deps); n++) await createTicket(deps, alice, input('same'), 'key-1');
    await expect(createTicket(deps, alice, input('other'))).resolves.toMatchObject({ created: true });
  });
});
