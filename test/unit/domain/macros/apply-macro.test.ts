// Applying a macro: its reply in the ticket's language with the placeholders filled, its changes, all as one
// new version with the same rules and permissions as making them by hand; anything refused applies nothing.
import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { applyMacro } from '#shared/domain/macros/apply-macro.ts';
import type { Macro } from '#shared/domain/macros/macros.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { alice, hana, ivan } from '#test/fixtures/identities.ts';
import { InMemoryMacros } from '#test/fixtures/in-memory-macros.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const HOUR = 3_600_000;

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

/** Ivan's personal macro, stored. */
const personal = (overrides: Partial<Macro> = {}): Macro => ({
  id: '01J00000000000000000000M01',
  scope: 'personal',
  owner: 'ivan',
  name: { id: 'Cek kabel', en: 'Check the cable' },
  reply: { id: 'Coba cabut dan pasang lagi kabelnya.', en: 'Unplug the cable and plug it in again.' },
  visibility: 'public',
  actions: {},
  version: 1,
  updatedAt: T0,
  updatedBy: 'ivan',
  ...overrides,
});

/** One ticket (Alice's network ticket, IT support's) and the macros; the clock an hour after it was filed. */
const arrange = (ticket: Partial<Ticket> = {}, stored: Macro[] = []) => {
  const deps = { ...testDeps(), macros: new InMemoryMacros() };
  const current = aTicket(ticket);
  deps.tickets.seed(current);
  for (const macro of stored) void deps.macros.putMacro(macro, 0);
  deps.clock.advance(HOUR);
  return { deps, current, id: current.id, later: new Date(Date.parse(T0) + HOUR).toISOString() };
};

describe('applying a macro', () => {
  it('writes its reply in the ticket language with the placeholders filled and its status change, as one version', async () => {
    // Arrange
    const { deps, id, later } = arrange();

    // Act
    const { ticket, events } = await applyMacro(deps, ivan, id, 'ask-info');

    // Assert
    expect(ticket).toMatchObject({ status: 'pending', version: 2, updatedAt: later });
    expect(events.map((event) => event.type)).toEqual(['MacroApplied', 'CommentAdded', 'StatusChanged']);
    expect(events.every((event) => event.version === 2 && event.actor.id === 'ivan')).toBe(true);
    expect(events[0]!.data).toEqual({ macro: 'ask-info', name: 'Minta info' });
    expect(events[1]!.data).toEqual({
      body: 'Halo Alice Putri, mohon kirim foto untuk #1 (Dukungan TI, Menunggu tanggapan Anda). Salam, Ivan',
      visibility: 'public',
      macro: 'ask-info',
    });
    expect(await deps.tickets.getTicket(id)).toEqual(ticket);
    expect(deps.tickets.historyOf(id)).toEqual(events);
  });

  it('answers an English ticket in English, and greets a requester without a name politely', async () => {
    // Arrange
    const { deps, id } = arrange({ language: 'en', requester: { id: alice.id, email: alice.email! } });

    // Act
    const { events } = await applyMacro(deps, ivan, id, 'ask-info');

    // Assert
    expect(events[1]!.data).toMatchObject({
      body: 'Hello there, please send a photo for #1 (IT Support, Waiting for your reply). Regards, Ivan',
    });
  });

  it('adds and removes tags, sets fields, takes the ticket and leaves an internal note', async () => {
    // Arrange
    const { deps, id } = arrange({ tags: ['ujian', 'ppdb'] });

    // Act
    const { ticket, events } = await applyMacro(deps, ivan, id, 'wifi-outage');

    // Assert
    expect(ticket).toMatchObject({
      priority: 'high',
      tags: ['ppdb', 'wifi-lab'],
      fields: { ruang: 'lab-1' },
      assignee: 'ivan',
      status: 'open',
    });
    expect(events.map((event) => event.type)).toEqual([
      'MacroApplied',
      'CommentAdded',
      'TagsChanged',
      'FieldsChanged',
      'PriorityChanged',
      'Assigned',
      'StatusChanged',
    ]);
    expect(events[1]!.data).toMatchObject({ visibility: 'internal', body: 'Bagian dari gangguan Wi-Fi lab.' });
    expect(events[2]!.data).toEqual({ added: ['wifi-lab'], removed: ['ujian'] });
  });

  it('applies the caller’s own personal macro', async () => {
    // Arrange
    const { deps, id } = arrange({}, [personal()]);

    // Act
    const { ticket, events } = await applyMacro(deps, ivan, id, personal().id);

    // Assert
    expect(ticket.status).toBe('new');
    expect(events.map((event) => event.type)).toEqual(['MacroApplied', 'CommentAdded']);
    expect(events[1]!.data).toMatchObject({ body: 'Coba cabut dan pasang lagi kabelnya.', macro: personal().id });
  });

  it('refuses a change the life cycle does not allow with 409 and applies nothing, reply included', async () => {
    // Arrange: a ticket waiting on its requester cannot be put on hold.
    const { deps, id, current } = arrange({ status: 'pending' });
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(applyMacro(deps, ivan, id, 'on-hold'));

    // Assert
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('cannot move to on_hold');
    expect(deps.snapshot()).toEqual(before);
    expect(await deps.tickets.getTicket(id)).toEqual(current);
  });

  it('refuses a closed ticket with 409', async () => {
    // Arrange
    const { deps, id } = arrange({ status: 'closed', closedAt: T0 });
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(applyMacro(deps, ivan, id, 'ask-info'));

    // Assert
    expect(error.kind).toBe('conflict');
    expect(deps.snapshot()).toEqual(before);
  });

  it('is for staff: a requester is refused even on their own ticket', async () => {
    // Arrange
    const { deps, id } = arrange();

    // Act
    const error = await rejectionOf(applyMacro(deps, alice, id, 'ask-info'));

    // Assert
    expect(error.kind).toBe('forbidden');
  });

  it('does not find a ticket outside the agent’s teams, another’s personal macro, or an unknown macro', async () => {
    // Arrange
    const { deps, id } = arrange({}, [personal()]);
    const ivansColleague = { ...hana, teams: ['it-support'] };

    // Act
    const errors = await Promise.all([
      rejectionOf(applyMacro(deps, hana, id, 'ask-info')),
      rejectionOf(applyMacro(deps, ivansColleague, id, personal().id)),
      rejectionOf(applyMacro(deps, ivan, id, 'no-such-macro')),
      rejectionOf(applyMacro(deps, ivan, id, '01J00000000000000000000M99')),
    ]);

    // Assert
    expect(errors.map((error) => error.kind)).toEqual(['not-found', 'not-found', 'not-found', 'not-found']);
    expect(deps.tickets.historyOf(id)).toEqual([]);
  });

  it('refuses a stale If-Match with 412', async () => {
    // Arrange
    const { deps, id } = arrange();

    // Act
    const error = await rejectionOf(applyMacro(deps, ivan, id, 'ask-info', 7));

    // Assert
    expect(error.kind).toBe('precondition-failed');
    expect(deps.tickets.historyOf(id)).toEqual([]);
  });

  it('refuses a value the desk no longer knows with 422 naming the field (a tag off a closed list)', async () => {
    // Arrange: a personal macro written while tags were free.
    const { deps, id } = arrange({}, [personal({ reply: undefined, actions: { addTags: ['lab-kimia'] } })]);
    deps.config = { ...deps.config, tags: { ...deps.config.tags, free: false } };

    // Act
    const error = await rejectionOf(applyMacro(deps, ivan, id, personal().id));

    // Assert
    expect(error.kind).toBe('unprocessable');
    expect(error.details.errors?.[0]?.path).toMatch(/^tags/);
    expect(deps.tickets.historyOf(id)).toEqual([]);
  });
});
