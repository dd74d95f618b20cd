// The services that drive the clocks: filing a ticket starts them, status and priority changes move them,
// a staff public reply meets the first response and starts the next update, a requester's reply to a
// pending ticket resumes them. Everything goes through the in-memory store with a fake clock.
import { describe, expect, it } from 'vitest';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { nextSlaCheck } from '#shared/domain/sla/sla.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { CreateTicketInput, Ticket } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { alice, ivan } from '#test/fixtures/identities.ts';
import { configInZone, HOUR, wib, wibIso, wit, wita } from '#test/fixtures/sla.ts';
import { testConfigWith } from '#test/fixtures/test-config.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const input = (overrides: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  subject: 'Wi-Fi di lab mati',
  description: 'Sejak pagi tidak ada sinyal.',
  channel: 'web',
  ...overrides,
});
const HIGH = { urgency: 'high', impact: 'medium' } as const;
const CRITICAL = { urgency: 'high', impact: 'high' } as const;

const file = async (at: Date, overrides: Partial<CreateTicketInput> = {}, config?: HelpdeskConfig) => {
  const deps = testDeps({ now: at.toISOString(), ...(config ? { config } : {}) });
  const { ticket } = await createTicket(deps, alice, input(overrides));
  return { deps, ticket };
};

const dueOf = (ticket: Ticket | undefined, clock: 'firstResponse' | 'nextUpdate' | 'resolution') => ticket?.sla?.clocks[clock]?.dueAt;

describe('filing a ticket starts its clocks', () => {
  it('a high ticket filed Friday 15:55 WIB (1-business-hour first response) is due Monday 08:55 WIB', async () => {
    const { deps, ticket } = await file(wib('2026-03-06 15:55'), HIGH);
    expect(ticket.priority).toBe('high');
    expect(ticket.sla).toMatchObject({ policy: 'high', calendar: 'business' });
    expect(dueOf(ticket, 'firstResponse')).toBe('2026-03-09T01:55:00.000Z');
    expect(dueOf(await deps.tickets.getTicket(ticket.id), 'firstResponse')).toBe(wibIso('2026-03-09 08:55'));
  });

  it('skips a public holiday: filed Friday 14 August 2026 15:55, due Tuesday 08:55', async () => {
    const { ticket } = await file(wib('2026-08-14 15:55'), HIGH);
    expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-08-18 08:55'));
  });

  it('skips the organisation’s closed dates: filed Wednesday 23 December 2026 15:55, due Monday the 28th 08:55', async () => {
    const config = testConfigWith({ closedDates: [{ date: '2026-12-24', name: 'Cuti bersama Natal' }] });
    const { ticket } = await file(wib('2026-12-23 15:55'), HIGH, config);
    expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-12-28 08:55'));
  });

  it.each([
    ['Asia/Makassar (WITA, UTC+8)', 'Asia/Makassar', wita, '2026-03-09T00:55:00.000Z'],
    ['Asia/Jayapura (WIT, UTC+9)', 'Asia/Jayapura', wit, '2026-03-08T23:55:00.000Z'],
  ] as const)('an organisation in %s: Friday 15:55 local is due Monday 08:55 local', async (_label, zone, at, expected) => {
    const { ticket } = await file(at('2026-03-06 15:55'), HIGH, configInZone(zone));
    expect(dueOf(ticket, 'firstResponse')).toBe(expected);
  });

  it('a critical ticket runs 24×7: filed Friday 15:55 it is due 16:25 the same day, resolution 19:55', async () => {
    const { ticket } = await file(wib('2026-03-06 15:55'), CRITICAL);
    expect(ticket.sla).toMatchObject({ policy: 'critical', calendar: '24x7' });
    expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-03-06 16:25'));
    expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-06 19:55'));
  });

  it('a critical ticket filed on a public holiday at night is due 30 minutes later', async () => {
    const { ticket } = await file(wib('2026-08-17 02:00'), CRITICAL);
    expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-08-17 02:30'));
  });
});

/** Alice's medium ticket filed at T0 (Monday 09:00 WIB) through the service, and its deps. */
const filedAtT0 = async () => {
  const { deps, ticket } = await file(new Date(T0));
  expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-03-02 13:00'));
  expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-05 09:00'));
  return { deps, id: ticket.id, at: (wall: string) => deps.clock.set(wibIso(wall)) };
};

describe('status changes move the clocks', () => {
  it('pending for 3 hours, then the requester replies: every due time moves by exactly 3 business hours', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    const pending = await updateTicket(deps, ivan, id, { status: 'pending' });
    expect(pending.sla?.clocks.firstResponse).toEqual({ targetMs: 4 * HOUR, elapsedMs: HOUR });
    expect(await deps.slaSchedule.listDue(wibIso('2026-12-31 00:00'), { limit: 10 })).toEqual({ items: [], cursor: undefined });

    at('2026-03-02 13:00');
    const { ticket } = await addComment(deps, alice, id, { body: 'Sudah saya restart, masih mati.', visibility: 'public' });
    expect(ticket.status).toBe('open');
    expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-03-02 16:00'));
    expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-05 12:00'));
    // The requester's reply is not a response from the desk.
    expect(ticket.sla?.clocks.firstResponse?.stoppedAt).toBeUndefined();
  });

  it('an agent taking a ticket out of pending resumes the clocks the same way', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    await updateTicket(deps, ivan, id, { status: 'pending' });
    at('2026-03-02 13:00');
    const ticket = await updateTicket(deps, ivan, id, { status: 'open' });
    expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-05 12:00'));
  });

  it('on hold does not pause', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    const ticket = await updateTicket(deps, ivan, id, { status: 'on_hold' });
    expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-05 09:00'));
    expect(ticket.sla?.clocks.resolution?.runningSince).toBe(T0);
  });

  it('resolving stops the clocks and takes the ticket off the schedule; reopening runs resolution on', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:30');
    const resolved = await updateTicket(deps, ivan, id, { status: 'resolved' });
    expect(resolved.sla?.clocks.resolution).toEqual({ targetMs: 24 * HOUR, elapsedMs: 1.5 * HOUR, stoppedAt: wibIso('2026-03-02 10:30') });
    expect(nextSlaCheck(resolved.sla)).toBeUndefined();
    expect((await deps.slaSchedule.listDue(wibIso('2026-12-31 00:00'), { limit: 10 })).items).toEqual([]);

    at('2026-03-03 09:00');
    const { ticket } = await addComment(deps, alice, id, { body: 'Mati lagi.', visibility: 'public' });
    expect(ticket.status).toBe('open');
    expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-05 15:30'));
    expect(nextSlaCheck(ticket.sla)).toBeDefined();
  });

  it('a priority change keeps the time used and applies the new targets', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    const ticket = await updateTicket(deps, ivan, id, { priority: 'high' });
    expect(ticket.sla?.policy).toBe('high');
    expect(dueOf(ticket, 'firstResponse')).toBe(wibIso('2026-03-02 10:00'));
    expect(dueOf(ticket, 'resolution')).toBe(wibIso('2026-03-03 09:00'));
  });
});

describe('replies', () => {
  it('a staff public reply meets the first response and starts the next-update clock', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    const { ticket } = await addComment(deps, ivan, id, { body: 'Kami cek ke lab sekarang.', visibility: 'public' });
    expect(ticket.sla?.clocks.firstResponse).toEqual({ targetMs: 4 * HOUR, elapsedMs: HOUR, stoppedAt: wibIso('2026-03-02 10:00') });
    expect(ticket.sla?.clocks.nextUpdate).toMatchObject({ runningSince: wibIso('2026-03-02 10:00'), dueAt: wibIso('2026-03-03 10:00') });
    expect((await deps.tickets.getTicket(id))?.sla).toEqual(ticket.sla);
  });

  it('each further public reply starts the next-update clock again', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    await addComment(deps, ivan, id, { body: 'Kami cek.', visibility: 'public' });
    at('2026-03-03 09:00');
    const { ticket } = await addComment(deps, ivan, id, { body: 'Access point diganti besok.', visibility: 'public' });
    expect(ticket.sla?.clocks.firstResponse?.stoppedAt).toBe(wibIso('2026-03-02 10:00'));
    expect(dueOf(ticket, 'nextUpdate')).toBe(wibIso('2026-03-04 09:00'));
  });

  it('an internal note is not a response', async () => {
    const { deps, id, at } = await filedAtT0();
    at('2026-03-02 10:00');
    const { ticket } = await addComment(deps, ivan, id, { body: 'Cek AP lantai 2.', visibility: 'internal' });
    expect(ticket.sla?.clocks.firstResponse?.stoppedAt).toBeUndefined();
    expect(ticket.sla?.clocks.nextUpdate).toBeUndefined();
  });

  it('a ticket without an SLA (written before the SLA engine) takes replies and changes as before', async () => {
    const deps = testDeps();
    const old = aTicket({ status: 'open' });
    deps.tickets.seed(old);
    const { ticket } = await addComment(deps, ivan, old.id, { body: 'Halo.', visibility: 'public' });
    expect(ticket.sla).toBeUndefined();
    expect((await updateTicket(deps, ivan, old.id, { status: 'pending', priority: 'high' })).sla).toBeUndefined();
  });
});
