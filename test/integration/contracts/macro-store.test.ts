// The macro store's contract (MacroStore in shared/domain/macros/macros.ts), run against the DynamoDB store on
// DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { createMacroStore } from '#shared/adapters/macro-store.ts';
import type { Macro, MacroStore } from '#shared/domain/macros/macros.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { InMemoryMacros } from '#test/fixtures/in-memory-macros.ts';
import { localTable } from './local-table.ts';

const implementations: { name: string; make: () => Promise<MacroStore> }[] = [
  { name: 'in memory', make: async () => new InMemoryMacros() },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return createMacroStore(client, table);
    },
  },
];

const aMacro = (overrides: Partial<Macro> = {}): Macro => ({
  id: '01J00000000000000000000M01',
  scope: 'personal',
  owner: 'ivan',
  name: { id: 'Cek kabel', en: 'Check the cable' },
  reply: { id: 'Halo {{requester.name}}', en: 'Hello {{requester.name}}' },
  visibility: 'public',
  actions: { status: 'pending', addTags: ['wifi-lab'], fields: { ruang: 'lab-1', unit: 2, nisn: null } },
  version: 1,
  updatedAt: T0,
  updatedBy: 'ivan',
  ...overrides,
});

describe.each(implementations)('the macro store ($name)', ({ make }) => {
  let store: MacroStore;
  beforeEach(async () => {
    store = await make();
  });

  it('keeps a new macro whole and lists every stored one', async () => {
    // Arrange
    const first = aMacro();
    const second = aMacro({ id: '01J00000000000000000000M02', scope: 'shared', owner: undefined, reply: undefined });
    delete second.owner;
    delete second.reply;

    // Act
    const written = [await store.putMacro(first, 0), await store.putMacro(second, 0)];

    // Assert
    expect(written).toEqual([true, true]);
    expect(await store.getMacro(first.id)).toEqual(first);
    expect((await store.listMacros()).sort((a, b) => a.id.localeCompare(b.id))).toEqual([first, second]);
    expect(await store.getMacro('01J00000000000000000000M99')).toBeUndefined();
  });

  it('writes only at the version read: a new id once, a change on the current version', async () => {
    // Arrange
    const first = aMacro();
    await store.putMacro(first, 0);
    const next = { ...first, version: 2, name: { id: 'Cek kabel LAN', en: 'Check the LAN cable' } };

    // Act
    const again = await store.putMacro(first, 0);
    const stale = await store.putMacro(next, 5);
    const current = await store.putMacro(next, 1);

    // Assert
    expect([again, stale, current]).toEqual([false, false, true]);
    expect(await store.getMacro(first.id)).toEqual(next);
  });

  it('deletes only at the current version, and nothing that is not there', async () => {
    // Arrange
    const first = aMacro();
    await store.putMacro(first, 0);

    // Act
    const stale = await store.deleteMacro(first.id, 2);
    const current = await store.deleteMacro(first.id, 1);
    const missing = await store.deleteMacro(first.id, 1);

    // Assert
    expect([stale, current, missing]).toEqual([false, true, false]);
    expect(await store.listMacros()).toEqual([]);
  });
});
