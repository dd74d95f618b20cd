// The staff directory follows the user pool (sign-ins, the scheduled reconciliation) and keeps what only the
// desk knows (availability, mail choices); who may see and change whom follows the staff permission table.
import { describe, expect, it } from 'vitest';
import type { Identity } from '#shared/domain/access/identity.ts';
import type { PoolPerson } from '#shared/domain/staff/staff.ts';
import {
  getOwnEntry,
  listStaff,
  reconcileStaff,
  type StaffDeps,
  setAvailability,
  syncPoolPerson,
  updateOwnPreferences,
} from '#shared/domain/staff/staff-services.ts';
import { fakeClock, sequentialIds } from '#test/fixtures/clock.ts';
import { admin, alice, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryStaffDirectory } from '#test/fixtures/staff.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

const arrange = () => {
  const staff = new InMemoryStaffDirectory();
  const deps: StaffDeps & { staff: InMemoryStaffDirectory } = {
    staff,
    clock: fakeClock('2026-03-02T02:00:00.000Z'),
    config: testConfig,
    ids: sequentialIds(),
  };
  return deps;
};

const pool = (id: string, overrides: Partial<PoolPerson> = {}): PoolPerson => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  email: `${id}@uji.example`,
  role: 'agent',
  teams: ['it-support'],
  enabled: true,
  ...overrides,
});

describe('following the user pool', () => {
  it('adds a person the first time the pool names them as staff, available and with every mail on', async () => {
    const deps = arrange();
    await syncPoolPerson(deps, pool('nina', { teams: ['sarpras', 'helpdesk'] }));
    expect(await deps.staff.get('nina')).toEqual({
      id: 'nina',
      name: 'Nina',
      email: 'nina@uji.example',
      role: 'agent',
      teams: ['helpdesk', 'sarpras'],
      available: true,
      active: true,
      notifications: {},
      updatedAt: '2026-03-02T02:00:00.000Z',
    });
  });

  it('follows a new role and new teams, keeping availability and mail choices', async () => {
    const deps = arrange();
    deps.staff.update('iwan', { available: false, notifications: { assigned: false } });
    await syncPoolPerson(deps, pool('iwan', { role: 'lead', teams: ['it-support', 'helpdesk'] }));
    expect(await deps.staff.get('iwan')).toMatchObject({
      role: 'lead',
      teams: ['helpdesk', 'it-support'],
      available: false,
      notifications: { assigned: false },
    });
  });

  it('writes nothing when nothing the pool says has changed', async () => {
    const deps = arrange();
    const before = deps.staff.saves;
    expect(await syncPoolPerson(deps, pool('iwan', { name: 'Iwan' }))).toBeUndefined();
    expect(deps.staff.saves).toBe(before);
  });

  it('records nobody who was never staff (a requester signing in)', async () => {
    const deps = arrange();
    await syncPoolPerson(deps, pool('user-alice', { role: 'requester', teams: [] }));
    expect(await deps.staff.get('user-alice')).toBeUndefined();
  });

  it('takes out of routing someone the pool no longer lists as staff, disabled, or gone', async () => {
    // Arrange: the pool holds ivan (now disabled), mira and a newcomer; iwan and hana are no longer in any staff group
    const deps = arrange();

    // Act
    const result = await reconcileStaff(deps, [
      pool('ivan', { role: 'lead', enabled: false }),
      pool('mira', { teams: ['it-support', 'sarpras'] }),
      pool('sari', { role: 'lead', teams: ['sarpras'] }),
      pool('nina'),
    ]);

    // Assert
    expect(result).toEqual({ added: 1, updated: 0, deactivated: 3, unchanged: 2 });
    const active = (await deps.staff.list()).filter((member) => member.active).map((member) => member.id);
    expect(active).toEqual(['mira', 'nina', 'sari']);
    expect(await deps.staff.get('hana')).toMatchObject({ active: false, role: 'lead' });
  });
});

describe('what staff see of each other', () => {
  it("gives an agent their teams' people, and a lead everyone, without anyone's mail choices", async () => {
    const deps = arrange();
    const mine = await listStaff(deps, ivan, {});
    expect(mine.map((member) => member.id)).toEqual(['ivan', 'iwan', 'mira']);
    expect(mine[0]).toEqual({ id: 'ivan', name: 'Ivan', role: 'lead', teams: ['it-support'], available: true, active: true });
    expect((await listStaff(deps, sari, {})).map((member) => member.id)).toEqual(['hana', 'ivan', 'iwan', 'mira', 'sari']);
    expect((await listStaff(deps, sari, { team: 'sarpras' })).map((member) => member.id)).toEqual(['mira', 'sari']);
  });

  it('refuses requesters (403) and an unknown team (400 naming team)', async () => {
    const deps = arrange();
    await expect(listStaff(deps, alice, {})).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(listStaff(deps, sari, { team: 'dapur' })).rejects.toMatchObject({
      kind: 'validation',
      details: { errors: [{ path: 'team' }] },
    });
  });

  it("gives a caller their own entry, creating it from their token's facts the first time", async () => {
    const deps = arrange();
    const newcomer: Identity = { id: 'nina', role: 'agent', email: 'nina@uji.example', name: 'Nina', teams: ['helpdesk'] };
    expect(await getOwnEntry(deps, newcomer)).toMatchObject({ id: 'nina', teams: ['helpdesk'], available: true, active: true });
    expect(await deps.staff.get('nina')).toBeDefined();
  });

  it('keeps the mail choices one sends, merged with those already made', async () => {
    const deps = arrange();
    await updateOwnPreferences(deps, ivan, { notifications: { assigned: false } });
    const after = await updateOwnPreferences(deps, ivan, { notifications: { 'sla-warning': false }, language: 'en' });
    expect(after).toMatchObject({ notifications: { assigned: false, 'sla-warning': false }, language: 'en' });
  });
});

describe('availability', () => {
  it('lets anyone on staff take themselves out of routing and back', async () => {
    const deps = arrange();
    expect(await setAvailability(deps, ivan, 'me', false)).toMatchObject({ id: 'ivan', available: false });
    expect(await setAvailability(deps, ivan, 'ivan', true)).toMatchObject({ available: true });
  });

  it("lets a lead set their teams' people, and an admin anyone, each change in the person's audit trail", async () => {
    const deps = arrange();
    const lead = { ...sari, sourceIp: '10.1.2.3' };
    expect(await setAvailability(deps, lead, 'mira', false)).toMatchObject({ id: 'mira', available: false });
    expect(await setAvailability(deps, admin, 'hana', false)).toMatchObject({ id: 'hana', available: false });
    expect(await setAvailability(deps, admin, 'hana', false)).toMatchObject({ available: false });
    expect(await deps.staff.records('mira')).toEqual([
      {
        id: '01J00000000000000000000001',
        memberId: 'mira',
        type: 'AvailabilityChanged',
        data: { from: true, to: false },
        at: '2026-03-02T02:00:00.000Z',
        actor: { id: 'sari', role: 'lead', ip: '10.1.2.3' },
      },
    ]);
    // Setting what is already so changes nothing and records nothing.
    expect(await deps.staff.records('hana')).toHaveLength(1);
  });

  it('refuses an agent setting a colleague (403), a lead outside their teams (403), a person out of sight (404)', async () => {
    const deps = arrange();
    await expect(setAvailability(deps, ivan, 'iwan', false)).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'You can take only yourself in and out of routing.',
    });
    await expect(setAvailability(deps, sari, 'iwan', false)).rejects.toMatchObject({
      kind: 'forbidden',
      details: { errors: [{ path: 'available', message: expect.stringContaining('of your own teams') }] },
    });
    await expect(setAvailability(deps, ivan, 'hana', false)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(setAvailability(deps, sari, 'nobody', false)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(setAvailability(deps, alice, 'me', false)).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await deps.staff.get('iwan'))?.available).toBe(true);
  });
});
