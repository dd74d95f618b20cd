// Administering people: an administrator invites, changes role and teams, disables and re-enables; each change
// goes to the user pool first, then to the directory with its audit record. Refusals name the field and
// change nothing anywhere: a non-administrator, an address in use, the last administrator, unknown teams.
import { describe, expect, it } from 'vitest';
import { changePerson, invitePerson, listPeople, type PeopleDeps, personHistory } from '#shared/domain/people/manage-people.ts';
import type { Invitation, UserPoolAdmin } from '#shared/domain/people/people.ts';
import type { StaffRole } from '#shared/domain/staff/staff.ts';
import { fakeClock, sequentialIds } from '#test/fixtures/clock.ts';
import { admin, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryStaffDirectory, TEST_STAFF } from '#test/fixtures/staff.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

/** The user pool as a list of what was asked of it, with addresses it already holds. */
class RecordingPool implements UserPoolAdmin {
  readonly calls: string[] = [];
  constructor(private readonly taken: string[] = []) {}
  async invite(invitation: Invitation) {
    this.calls.push(`invite ${invitation.email} ${invitation.role} ${invitation.teams.join(',')}`);
    if (this.taken.includes(invitation.email)) return 'email-in-use' as const;
    return { id: `sub-${invitation.email.split('@')[0]}` };
  }
  async setRole(id: string, from: StaffRole, to: StaffRole) {
    this.calls.push(`role ${id} ${from}→${to}`);
  }
  async setTeams(id: string, teams: readonly string[]) {
    this.calls.push(`teams ${id} ${teams.join(',')}`);
  }
  async setEnabled(id: string, enabled: boolean) {
    this.calls.push(`${enabled ? 'enable' : 'disable'} ${id}`);
  }
}

const root = { ...admin, sourceIp: '10.9.8.7' };
const NOW = '2026-03-02T02:00:00.000Z';

const arrange = (options: { taken?: string[]; admins?: number } = {}) => {
  const admins = Array.from({ length: options.admins ?? 1 }, (_, index) => ({
    ...TEST_STAFF[0]!,
    id: `root${index || ''}`,
    name: `Admin ${index}`,
    email: `admin${index}@uji.example`,
    role: 'admin' as const,
    teams: [],
  }));
  const staff = new InMemoryStaffDirectory([...TEST_STAFF, ...admins]);
  const pool = new RecordingPool(options.taken);
  const deps: PeopleDeps & { staff: InMemoryStaffDirectory } = {
    staff,
    pool,
    clock: fakeClock(NOW),
    config: testConfig,
    ids: sequentialIds(),
  };
  return { deps, staff, pool };
};

const actor = { id: 'root', role: 'admin', ip: '10.9.8.7' };

describe('inviting a person', () => {
  it('creates them in the pool with role and teams, puts them in the directory at once, and records who did it', async () => {
    // Arrange
    const { deps, pool, staff } = arrange();

    // Act
    const person = await invitePerson(deps, root, {
      email: 'rudi@uji.example',
      name: 'Rudi',
      role: 'agent',
      teams: ['sarpras', 'it-support', 'sarpras'],
    });

    // Assert
    expect(person).toEqual({
      id: 'sub-rudi',
      name: 'Rudi',
      email: 'rudi@uji.example',
      role: 'agent',
      teams: ['it-support', 'sarpras'],
      available: true,
      active: true,
      updatedAt: NOW,
    });
    expect(pool.calls).toEqual(['invite rudi@uji.example agent it-support,sarpras']);
    expect(await staff.get('sub-rudi')).toMatchObject({ active: true, available: true, notifications: {} });
    expect(await personHistory(deps, admin, 'sub-rudi')).toEqual([
      {
        id: '01J00000000000000000000001',
        memberId: 'sub-rudi',
        type: 'StaffInvited',
        data: { role: 'agent', teams: ['it-support', 'sarpras'] },
        at: NOW,
        actor,
      },
    ]);
  });

  it('refuses an address the directory holds, whatever its case (409 naming email), and asks the pool nothing', async () => {
    // Arrange
    const { deps, pool, staff } = arrange();

    // Act
    const attempt = invitePerson(deps, root, { email: 'IVAN@uji.example', name: 'Ivan Dua', role: 'agent', teams: ['helpdesk'] });

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: 'conflict',
      details: { errors: [{ path: 'email', message: 'is already in use by Ivan' }] },
    });
    expect(pool.calls).toEqual([]);
    expect(staff.written).toEqual([]);
  });

  it('refuses an address the pool holds (a requester who signed up with it): 409 naming email, nothing recorded', async () => {
    // Arrange
    const { deps, staff } = arrange({ taken: ['ortu@example.org'] });

    // Act
    const attempt = invitePerson(deps, root, { email: 'ortu@example.org', name: 'Pak Ortu', role: 'agent', teams: ['helpdesk'] });

    // Assert
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict', details: { errors: [{ path: 'email' }] } });
    expect(staff.written).toEqual([]);
  });

  it('refuses unknown teams and an agent without a team (400 naming each), and a lead or agent inviting (403)', async () => {
    // Arrange
    const { deps, pool } = arrange();

    // Act
    const unknown = invitePerson(deps, root, { email: 'x@uji.example', name: 'X', role: 'lead', teams: ['helpdesk', 'kantin'] });
    const none = invitePerson(deps, root, { email: 'y@uji.example', name: 'Y', role: 'agent', teams: [] });
    const byLead = invitePerson(deps, sari, { email: 'z@uji.example', name: 'Z', role: 'agent', teams: ['sarpras'] });

    // Assert
    await expect(unknown).rejects.toMatchObject({
      kind: 'validation',
      details: { errors: [{ path: 'teams.1', message: expect.stringContaining('must be one of helpdesk') }] },
    });
    await expect(none).rejects.toMatchObject({
      details: { errors: [{ path: 'teams', message: 'must name at least one team for an agent' }] },
    });
    await expect(byLead).rejects.toMatchObject({ kind: 'forbidden', details: { errors: [{ path: 'email' }] } });
    expect(pool.calls).toEqual([]);
  });

  it('takes an administrator without a team', async () => {
    const { deps } = arrange();
    expect(await invitePerson(deps, root, { email: 'kepala@uji.example', name: 'Kepala TU', role: 'admin', teams: [] })).toMatchObject({
      role: 'admin',
      teams: [],
    });
  });
});

describe('changing a person', () => {
  it('changes role and teams in the pool and the directory, one audit record each', async () => {
    // Arrange
    const { deps, pool, staff } = arrange();

    // Act
    const person = await changePerson(deps, root, 'iwan', { role: 'lead', teams: ['sarpras', 'it-support'] });

    // Assert
    expect(person).toMatchObject({ id: 'iwan', role: 'lead', teams: ['it-support', 'sarpras'], updatedAt: NOW });
    expect(pool.calls).toEqual(['role iwan agent→lead', 'teams iwan it-support,sarpras']);
    expect((await staff.records('iwan')).map(({ type, data, actor: by }) => ({ type, data, by }))).toEqual([
      { type: 'RoleChanged', data: { from: 'agent', to: 'lead' }, by: actor },
      { type: 'TeamsChanged', data: { from: ['it-support'], to: ['it-support', 'sarpras'] }, by: actor },
    ]);
  });

  it('disables a person (out of routing: inactive) and enables them again, each recorded', async () => {
    // Arrange
    const { deps, pool, staff } = arrange();

    // Act
    const disabled = await changePerson(deps, root, 'mira', { enabled: false });
    const again = await changePerson(deps, root, 'mira', { enabled: true });

    // Assert
    expect([disabled.active, again.active]).toEqual([false, true]);
    expect(pool.calls).toEqual(['disable mira', 'enable mira']);
    expect((await staff.records('mira')).map((record) => record.type)).toEqual(['StaffDisabled', 'StaffEnabled']);
  });

  it('changes and records nothing when nothing differs', async () => {
    const { deps, pool, staff } = arrange();
    expect(await changePerson(deps, root, 'ivan', { role: 'lead', teams: ['it-support'], enabled: true })).toMatchObject({ role: 'lead' });
    expect(pool.calls).toEqual([]);
    expect(staff.written).toEqual([]);
  });

  it('refuses to take the role or the account from the last administrator (409 naming the field), and allows it with two', async () => {
    // Arrange
    const alone = arrange();
    const two = arrange({ admins: 2 });

    // Act
    const demote = changePerson(alone.deps, root, 'root', { role: 'agent', teams: ['helpdesk'] });
    const disable = changePerson(alone.deps, root, 'root', { enabled: false });
    const withAnother = await changePerson(two.deps, root, 'root', { enabled: false });

    // Assert
    await expect(demote).rejects.toMatchObject({
      kind: 'conflict',
      message: 'Admin 0 is the last administrator: make someone else an administrator first.',
      details: { errors: [{ path: 'role' }] },
    });
    await expect(disable).rejects.toMatchObject({ kind: 'conflict', details: { errors: [{ path: 'enabled' }] } });
    expect(alone.pool.calls).toEqual([]);
    expect(await alone.staff.get('root')).toMatchObject({ role: 'admin', active: true });
    expect(withAnother.active).toBe(false);
  });

  it('refuses a lead (403 naming the fields), an unknown person (404) and a team that does not exist (400)', async () => {
    // Arrange
    const { deps, pool } = arrange();

    // Act / Assert
    await expect(changePerson(deps, sari, 'mira', { teams: ['sarpras'], role: 'lead' })).rejects.toMatchObject({
      kind: 'forbidden',
      details: { errors: [{ path: 'teams' }, { path: 'role' }] },
    });
    await expect(changePerson(deps, root, 'nobody', { role: 'lead' })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(changePerson(deps, root, 'mira', { teams: ['kantin'] })).rejects.toMatchObject({
      kind: 'validation',
      details: { errors: [{ path: 'teams.0' }] },
    });
    await expect(changePerson(deps, root, 'mira', { teams: [] })).rejects.toMatchObject({ details: { errors: [{ path: 'teams' }] } });
    expect(pool.calls).toEqual([]);
  });
});

describe('reading people', () => {
  it('lists everyone with their address, inactive people too, for administrators only', async () => {
    // Arrange
    const { deps, staff } = arrange();
    staff.update('iwan', { active: false });

    // Act
    const people = await listPeople(deps, admin);

    // Assert
    expect(people.find((person) => person.id === 'iwan')).toEqual({
      id: 'iwan',
      name: 'Iwan',
      email: 'iwan@uji.example',
      role: 'agent',
      teams: ['it-support'],
      available: true,
      active: false,
      updatedAt: TEST_STAFF[2]!.updatedAt,
    });
    expect(people.find((person) => person.id === 'iwan')).not.toHaveProperty('notifications');
    await expect(listPeople(deps, sari)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(listPeople(deps, ivan)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('gives a person’s audit trail to administrators, 404 for an unknown person', async () => {
    const { deps } = arrange();
    expect(await personHistory(deps, admin, 'iwan')).toEqual([]);
    await expect(personHistory(deps, admin, 'nobody')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(personHistory(deps, sari, 'iwan')).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
