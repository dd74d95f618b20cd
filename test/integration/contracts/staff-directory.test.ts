// The staff directory's contract (StaffDirectory in shared/domain/staff/staff.ts): the entries and their audit
// trail, run against the DynamoDB store on DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import type { StaffDirectory, StaffMember, StaffRecord } from '#shared/domain/staff/staff.ts';
import { InMemoryStaffDirectory } from '#test/fixtures/staff.ts';
import { localTable } from './local-table.ts';

const implementations: { name: string; make: () => Promise<StaffDirectory> }[] = [
  { name: 'in memory', make: async () => new InMemoryStaffDirectory([]) },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return createStaffDirectory(client, table);
    },
  },
];

const person = (id: string, overrides: Partial<StaffMember> = {}): StaffMember => ({
  id,
  name: id.toUpperCase(),
  email: `${id}@uji.example`,
  role: 'agent',
  teams: ['it-support'],
  available: true,
  active: true,
  notifications: {},
  updatedAt: '2026-03-02T02:00:00.000Z',
  ...overrides,
});

const record = (memberId: string, id: string, overrides: Partial<StaffRecord> = {}): StaffRecord =>
  ({
    id,
    memberId,
    at: '2026-03-02T02:00:00.000Z',
    actor: { id: 'root', role: 'admin', ip: '10.0.0.1' },
    type: 'RoleChanged',
    data: { from: 'agent', to: 'lead' },
    ...overrides,
  }) as StaffRecord;

describe.each(implementations)('the staff directory ($name)', ({ make }) => {
  let directory: StaffDirectory;
  beforeEach(async () => {
    directory = await make();
  });

  it('keeps entries by id and lists them in id order', async () => {
    // Act
    await directory.save(person('yusuf'));
    await directory.save(person('andi', { role: 'lead', teams: ['helpdesk'], available: false }));

    // Assert
    expect((await directory.list()).map((member) => member.id)).toEqual(['andi', 'yusuf']);
    expect(await directory.get('andi')).toEqual(person('andi', { role: 'lead', teams: ['helpdesk'], available: false }));
    expect(await directory.get('nobody')).toBeUndefined();
  });

  it('saves an entry with its audit records at once, and reads one person’s records oldest first', async () => {
    // Arrange
    const first = record('rudi', '01J00000000000000000000001', { type: 'StaffInvited', data: { role: 'agent', teams: ['tata-usaha'] } });
    const second = record('rudi', '01J00000000000000000000002');
    const third = record('rudi', '01J00000000000000000000003', { type: 'TeamsChanged', data: { from: ['tata-usaha'], to: [] } });

    // Act
    await directory.saveWithRecords(person('rudi'), [first]);
    await directory.saveWithRecords(person('rudi', { role: 'lead' }), [second, third]);
    await directory.saveWithRecords(person('sari'), [record('sari', '01J00000000000000000000004')]);

    // Assert
    expect(await directory.get('rudi')).toMatchObject({ role: 'lead' });
    expect(await directory.records('rudi')).toEqual([first, second, third]);
    expect(await directory.records('nobody')).toEqual([]);
    expect((await directory.list()).map((member) => member.id)).toEqual(['rudi', 'sari']);
  });

  it('refuses a record id written before, and keeps the entry as it was', async () => {
    // Arrange
    await directory.saveWithRecords(person('rudi'), [record('rudi', '01J00000000000000000000001')]);

    // Act
    const again = directory.saveWithRecords(person('rudi', { role: 'admin' }), [record('rudi', '01J00000000000000000000001')]);

    // Assert
    await expect(again).rejects.toThrow();
    expect(await directory.get('rudi')).toMatchObject({ role: 'agent' });
    expect(await directory.records('rudi')).toHaveLength(1);
  });
});
