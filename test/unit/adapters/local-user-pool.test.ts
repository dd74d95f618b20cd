// The sandbox's user pool file: invitations get a readable id unique in the pool and refuse an address in
// use whatever its case; role, teams and the account's state are changed in place; the file is written whole.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalPoolAdmin, readLocalPool, writeLocalPool } from '#shared/adapters/local-user-pool.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-pool-'));
  file = join(dir, 'user-pool.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the sandbox’s user pool', () => {
  it('invites with an id from the address, unique in the pool, and refuses an address in use', async () => {
    // Arrange
    writeLocalPool(file, [{ id: 'rudi', name: 'Rudi Lama', email: 'rudi@lama.example', role: 'agent', teams: [], enabled: true }]);
    const pool = createLocalPoolAdmin(file);

    // Act
    const first = await pool.invite({ email: 'Rudi@Sekolah.example', name: 'Rudi Hartono', role: 'agent', teams: ['tata-usaha'] });
    const dotted = await pool.invite({ email: 'sri.wahyuni@sekolah.example', name: 'Sri', role: 'lead', teams: ['keuangan'] });
    const again = await pool.invite({ email: 'rudi@sekolah.example', name: 'Rudi', role: 'agent', teams: [] });

    // Assert
    expect([first, dotted, again]).toEqual([{ id: 'rudi-2' }, { id: 'sri-wahyuni' }, 'email-in-use']);
    expect(readLocalPool(file).map((person) => [person.id, person.role, person.teams, person.enabled])).toEqual([
      ['rudi', 'agent', [], true],
      ['rudi-2', 'agent', ['tata-usaha'], true],
      ['sri-wahyuni', 'lead', ['keuangan'], true],
    ]);
    expect(readdirSync(dir)).toEqual(['user-pool.json']);
  });

  it('changes role, teams and the account’s state in place, and refuses a person it does not hold', async () => {
    // Arrange
    const pool = createLocalPoolAdmin(file);
    const { id } = (await pool.invite({ email: 'rudi@sekolah.example', name: 'Rudi', role: 'agent', teams: ['tata-usaha'] })) as {
      id: string;
    };

    // Act
    await pool.setRole(id, 'agent', 'lead');
    await pool.setTeams(id, ['keuangan']);
    await pool.setEnabled(id, false);

    // Assert
    expect(readLocalPool(file)).toEqual([
      { id, name: 'Rudi', email: 'rudi@sekolah.example', role: 'lead', teams: ['keuangan'], enabled: false },
    ]);
    await expect(pool.setEnabled('nobody', true)).rejects.toThrow('no person nobody');
  });

  it('reads a pool that was never written as empty', () => {
    expect(readLocalPool(join(dir, 'none.json'))).toEqual([]);
  });
});
