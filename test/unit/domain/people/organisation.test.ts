// The organisation view: the configuration as it stands with where each part is set, the closed days of the
// coming year, and the categories nobody can be given now (the staff directory as it is).
import { describe, expect, it } from 'vitest';
import { organisationView } from '#shared/domain/people/organisation.ts';
import { fakeClock } from '#test/fixtures/clock.ts';
import { admin, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryStaffDirectory } from '#test/fixtures/staff.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

const arrange = () => {
  const staff = new InMemoryStaffDirectory();
  return { staff, deps: { staff, config: testConfig, clock: fakeClock('2026-03-02T02:00:00.000Z') } };
};

describe('the organisation view', () => {
  it('shows teams, categories, priorities and SLA targets as configured, each with where it is set', async () => {
    // Act
    const view = await organisationView(arrange().deps, sari);

    // Assert
    expect(view.file).toBe('shared/config/helpdesk.config.json');
    expect(view.teams[0]).toMatchObject({ id: 'helpdesk', nextTier: 'it-support', set: 'teams[0]', members: 1, available: 1 });
    expect(view.teams[0]!.escalation.set).toBe('sla.escalation');
    expect(view.categories.map((category) => [category.id, category.team, category.set])).toEqual([
      ['network', 'it-support', 'categories[0]'],
      ['hardware', 'it-support', 'categories[1]'],
      ['facilities', 'sarpras', 'categories[2]'],
      ['administration', 'helpdesk', 'categories[3]'],
      ['other', 'helpdesk', 'categories[4]'],
    ]);
    expect(view.priorities).toMatchObject({ matrix: { high: { high: 'critical' } }, defaults: { urgency: 'medium', impact: 'medium' } });
    expect(view.sla.policies.find((policy) => policy.priority === 'high')).toEqual({
      priority: 'high',
      calendar: 'business',
      firstResponseMinutes: 60,
      nextUpdateMinutes: 240,
      resolutionMinutes: 480,
      set: 'sla.policies.high',
    });
    expect(view.businessHours).toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '16:00', set: 'businessHours' });
    expect(view.tags).toMatchObject({ free: testConfig.tags.free, maxPerTicket: testConfig.tags.maxPerTicket, set: 'tags' });
    expect(view.customFields.map((field) => [field.id, field.type, field.set])).toEqual(
      testConfig.customFields.map((field, index) => [field.id, field.type, `customFields[${index}]`]),
    );
    expect(view.customFields[0]).toMatchObject({ id: 'nisn', setBy: testConfig.customFields[0]!.setBy });
    expect(view.macros.map((macro) => [macro.id, macro.set])).toEqual(
      testConfig.macros.map((macro, index) => [macro.id, `macros[${index}]`]),
    );
  });

  it('lists the closed days from today for a year: public holidays (generated file) and the organisation’s own dates', async () => {
    // Arrange
    const config = { ...testConfig, closedDates: [{ date: '2026-12-28', name: 'Libur semester' }] };
    const { staff } = arrange();

    // Act
    const view = await organisationView({ staff, config, clock: fakeClock('2026-03-02T02:00:00.000Z') }, admin);

    // Assert
    expect(view.closedDays).toMatchObject({ from: '2026-03-02', to: '2027-03-02' });
    const dates = view.closedDays.days.map((day) => day.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((date) => date >= '2026-03-02' && date <= '2027-03-02')).toBe(true);
    expect(view.closedDays.days).toContainEqual({
      date: '2026-12-25',
      name: expect.any(String),
      kind: 'public-holiday',
      set: expect.stringContaining('public-holidays.json'),
    });
    expect(view.closedDays.days).toContainEqual({ date: '2026-12-28', name: 'Libur semester', kind: 'closed-date', set: 'closedDates[0]' });
    expect(dates).not.toContain('2026-01-01');
  });

  it('warns of each category whose team has nobody available, or nobody at all', async () => {
    // Arrange: Sari, facilities' only member, is away; IT support still has Ivan, Iwan and Mira
    const { staff, deps } = arrange();
    staff.update('sari', { available: false });
    staff.update('mira', { teams: ['it-support'] });
    staff.update('iwan', { available: false });

    // Act
    const view = await organisationView(deps, admin);

    // Assert
    expect(view.coverage).toEqual([{ category: 'facilities', team: 'sarpras', problem: 'none-available' }]);
    staff.update('sari', { active: false });
    expect((await organisationView(deps, admin)).coverage).toEqual([{ category: 'facilities', team: 'sarpras', problem: 'no-members' }]);
  });

  it('is for leads and administrators (an agent is refused, 403)', async () => {
    await expect(organisationView(arrange().deps, { ...ivan, role: 'agent' })).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
