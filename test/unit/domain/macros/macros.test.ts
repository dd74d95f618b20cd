// Keeping macros: the desk's defaults from the configuration, shared ones written by leads and admins,
// personal ones seen by their owner only; each write at the version read; names the desk does not know refused.
import { describe, expect, it } from 'vitest';
import type { MacroDefinition } from '#shared/config/config-schema.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { createMacro, deleteMacro, listMacros, type MacroDeps, updateMacro } from '#shared/domain/macros/macros.ts';
import { type FakeClock, fakeClock, sequentialIds, T0 } from '#test/fixtures/clock.ts';
import { admin, alice, hana, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryMacros } from '#test/fixtures/in-memory-macros.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

const kindOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.kind;
    throw error;
  }
};

const setup = (): MacroDeps & { macros: InMemoryMacros; clock: FakeClock } => ({
  macros: new InMemoryMacros(),
  clock: fakeClock(),
  ids: sequentialIds(),
  config: testConfig,
});

const definition = (overrides: Partial<MacroDefinition> = {}): MacroDefinition => ({
  name: { id: 'Proyektor: cek kabel HDMI', en: 'Projector: check the HDMI cable' },
  reply: { id: 'Halo {{requester.name}}, cek kabel HDMI.', en: 'Hello {{requester.name}}, check the HDMI cable.' },
  visibility: 'public',
  actions: { category: 'hardware' },
  ...overrides,
});

describe('writing macros', () => {
  it('lets a lead write a shared macro, recorded as version 1 by them', async () => {
    // Arrange
    const deps = setup();

    // Act
    const macro = await createMacro(deps, sari, { ...definition(), scope: 'shared' });

    // Assert
    expect(macro).toMatchObject({ scope: 'shared', version: 1, updatedAt: T0, updatedBy: 'sari', actions: { category: 'hardware' } });
    expect(macro.owner).toBeUndefined();
    expect(await deps.macros.getMacro(macro.id)).toEqual(macro);
  });

  it('lets an agent keep a personal macro but not write one for the desk; a requester neither', async () => {
    // Arrange
    const deps = setup();

    // Act
    const mine = await createMacro(deps, ivan, { ...definition(), scope: 'personal' });
    const refusals = await Promise.all([
      kindOf(createMacro(deps, ivan, { ...definition(), scope: 'shared' })),
      kindOf(createMacro(deps, alice, { ...definition(), scope: 'personal' })),
    ]);

    // Assert
    expect(mine).toMatchObject({ scope: 'personal', owner: 'ivan' });
    expect(refusals).toEqual(['forbidden', 'forbidden']);
    expect(await deps.macros.listMacros()).toHaveLength(1);
  });

  it('refuses a team, category, field or closed-list tag the desk does not know, naming each, and stores nothing', async () => {
    // Arrange
    const deps = setup();
    const closed = { ...deps, config: { ...testConfig, tags: { ...testConfig.tags, free: false } } };
    const input = definition({
      actions: { team: 'kantin', category: 'kantin', fields: { warna: 'merah' }, addTags: ['wifi-lab', 'lab-kimia'] },
    });

    // Act
    const error = await createMacro(closed, sari, { ...input, scope: 'shared' }).catch((reason: unknown) => reason);

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('unprocessable');
    expect((error as DomainError).details.errors?.map((problem) => problem.path)).toEqual([
      'actions.team',
      'actions.category',
      'actions.fields.warna',
      'actions.addTags.1',
    ]);
    expect(await deps.macros.listMacros()).toEqual([]);
  });
});

describe('listing macros', () => {
  it('shows staff the defaults, the shared ones and their own, by name; never another’s personal macro', async () => {
    // Arrange
    const deps = setup();
    await createMacro(deps, sari, { ...definition({ name: { id: 'Bersama', en: 'Shared' } }), scope: 'shared' });
    await createMacro(deps, ivan, { ...definition({ name: { id: 'Milik Ivan', en: "Ivan's" } }), scope: 'personal' });
    await createMacro(deps, hana, { ...definition({ name: { id: 'Milik Hana', en: "Hana's" } }), scope: 'personal' });

    // Act
    const forIvan = await listMacros(deps, ivan);

    // Assert
    expect(forIvan.map((macro) => [macro.name.id, macro.scope])).toEqual([
      ['Bersama', 'shared'],
      ['Gangguan Wi-Fi', 'default'],
      ['Milik Ivan', 'personal'],
      ['Minta info', 'default'],
      ['Tunggu vendor', 'default'],
    ]);
  });

  it('is for staff only', async () => {
    expect(await kindOf(listMacros(setup(), alice))).toBe('forbidden');
  });
});

describe('changing and deleting macros', () => {
  it('replaces a macro as its next version, keeping its scope and owner', async () => {
    // Arrange
    const deps = setup();
    const mine = await createMacro(deps, ivan, { ...definition(), scope: 'personal' });
    deps.clock.advance(60_000);

    // Act
    const changed = await updateMacro(deps, ivan, mine.id, definition({ actions: { priority: 'low' } }), 1);

    // Assert
    expect(changed).toMatchObject({ id: mine.id, scope: 'personal', owner: 'ivan', version: 2, actions: { priority: 'low' } });
    expect(changed.updatedAt).not.toBe(T0);
    expect(await deps.macros.getMacro(mine.id)).toEqual(changed);
  });

  it('refuses a stale If-Match with 412, and a change someone else saved first', async () => {
    // Arrange
    const deps = setup();
    const shared = await createMacro(deps, sari, { ...definition(), scope: 'shared' });
    const raced = { ...deps, macros: Object.assign(Object.create(deps.macros), { putMacro: async () => false }) };

    // Act
    const kinds = await Promise.all([
      kindOf(updateMacro(deps, sari, shared.id, definition(), 3)),
      kindOf(updateMacro(raced, sari, shared.id, definition())),
      kindOf(deleteMacro(deps, sari, shared.id, 3)),
    ]);

    // Assert
    expect(kinds).toEqual(['precondition-failed', 'precondition-failed', 'precondition-failed']);
    expect(await deps.macros.getMacro(shared.id)).toEqual(shared);
  });

  it('leaves the defaults to the configuration, shared macros to leads and admins, personal ones to their owner', async () => {
    // Arrange
    const deps = setup();
    const shared = await createMacro(deps, sari, { ...definition(), scope: 'shared' });
    const hanas = await createMacro(deps, hana, { ...definition(), scope: 'personal' });

    // Act
    const kinds = await Promise.all([
      kindOf(updateMacro(deps, admin, 'ask-info', definition())),
      kindOf(updateMacro(deps, ivan, shared.id, definition())),
      kindOf(deleteMacro(deps, ivan, hanas.id)),
      kindOf(updateMacro(deps, admin, shared.id, definition())),
    ]);

    // Assert
    expect(kinds).toEqual(['forbidden', 'forbidden', 'not-found', 'ok']);
  });

  it('deletes a macro: it is gone for everyone', async () => {
    // Arrange
    const deps = setup();
    const shared = await createMacro(deps, sari, { ...definition(), scope: 'shared' });

    // Act
    await deleteMacro(deps, admin, shared.id, 1);

    // Assert
    expect(await deps.macros.listMacros()).toEqual([]);
    expect(await kindOf(deleteMacro(deps, admin, shared.id))).toBe('not-found');
  });
});
