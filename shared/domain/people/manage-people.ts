// The People screen's services: list everyone with their address, invite, change role and teams, disable
// and re-enable, read one person's audit trail. Administrators only (STAFF_PERMISSIONS' `staff:administer`);
// leads set their teams' availability through PUT /staff/{id}/availability. Every refusal names the field,
// and a refused change touches neither the user pool nor the directory.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { STAFF_PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { conflict, type FieldProblem, forbidden, notFound, validationError } from '#shared/domain/errors.ts';
import { mergePoolPerson, type StaffMember, type StaffRecord, type StaffRecordData, type StaffRole } from '#shared/domain/staff/staff.ts';
import { type StaffDeps, staffRecords } from '#shared/domain/staff/staff-services.ts';
import { type Invitation, type Person, type PersonChange, personOf, type UserPoolAdmin } from './people.ts';

export type PeopleDeps = StaffDeps & { pool: UserPoolAdmin };

const requireAdministrator = (identity: Identity, fields: string[]) => {
  if (STAFF_PERMISSIONS[identity.role]['staff:administer'] === 'all') return;
  const message = 'Only an administrator can invite people or change their role, teams or account.';
  throw forbidden(
    message,
    fields.map((path) => ({ path, message: 'can be changed by an administrator only' })),
  );
};

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const normalTeams = (teams: readonly string[]) => [...new Set(teams)].sort();

/** Unknown teams, and an agent or lead with none (they would work nothing and never be routed a ticket). */
const teamProblems = (config: Pick<HelpdeskConfig, 'teams'>, role: StaffRole, teams: readonly string[]): FieldProblem[] => {
  const known = config.teams.map((team) => team.id);
  const problems: FieldProblem[] = teams.flatMap((team, index) =>
    known.includes(team) ? [] : [{ path: `teams.${index}`, message: `must be one of ${known.join(', ')}` }],
  );
  if (role !== 'admin' && teams.length === 0)
    problems.push({ path: 'teams', message: `must name at least one team for an ${role === 'agent' ? 'agent' : 'lead'}` });
  return problems;
};

export const listPeople = async (deps: Pick<StaffDeps, 'staff'>, identity: Identity): Promise<Person[]> => {
  requireAdministrator(identity, []);
  return (await deps.staff.list()).map(personOf);
};

export const invitePerson = async (deps: PeopleDeps, identity: Identity, invitation: Invitation): Promise<Person> => {
  requireAdministrator(identity, ['email']);
  const teams = normalTeams(invitation.teams);
  const problems = teamProblems(deps.config, invitation.role, invitation.teams);
  if (problems.length > 0) throw validationError(problems, 'The invitation names teams that cannot be used.');
  const holder = (await deps.staff.list()).find((member) => member.email && sameAddress(member.email, invitation.email));
  if (holder)
    throw conflict(`${invitation.email} is already in use by ${holder.name}.`, [
      { path: 'email', message: `is already in use by ${holder.name}${holder.active ? '' : ' (disabled)'}` },
    ]);
  const created = await deps.pool.invite({ ...invitation, teams });
  // Someone the directory does not know may hold it in the pool (a requester who signed up with it).
  if (created === 'email-in-use')
    throw conflict(`${invitation.email} already has an account.`, [{ path: 'email', message: 'already has an account in the user pool' }]);
  const now = deps.clock.now().toISOString();
  const current = await deps.staff.get(created.id);
  const member =
    mergePoolPerson(
      current,
      { id: created.id, name: invitation.name, email: invitation.email, role: invitation.role, teams, enabled: true },
      now,
    ) ?? current!;
  await deps.staff.saveWithRecords(
    member,
    staffRecords(deps, identity, member.id, [{ type: 'StaffInvited', data: { role: invitation.role, teams } }]),
  );
  return personOf(member);
};

/** Whether the change would leave the desk without an active administrator. */
const removesLastAdmin = (members: readonly StaffMember[], target: StaffMember, change: PersonChange) => {
  const losesAdmin =
    target.role === 'admin' && target.active && ((change.role !== undefined && change.role !== 'admin') || change.enabled === false);
  return losesAdmin && members.filter((member) => member.active && member.role === 'admin').length <= 1;
};

export const changePerson = async (deps: PeopleDeps, identity: Identity, id: string, change: PersonChange): Promise<Person> => {
  requireAdministrator(identity, Object.keys(change));
  const members = await deps.staff.list();
  const target = members.find((member) => member.id === id);
  if (!target) throw notFound(`No staff member "${id}".`);
  const role = change.role ?? target.role;
  const teams = change.teams ? normalTeams(change.teams) : target.teams;
  const problems = teamProblems(deps.config, role, change.teams ?? teams);
  if (problems.length > 0) throw validationError(problems, `${target.name}'s teams cannot be set so.`);
  if (removesLastAdmin(members, target, change))
    throw conflict(`${target.name} is the last administrator: make someone else an administrator first.`, [
      {
        path: change.enabled === false ? 'enabled' : 'role',
        message: `cannot take the administrator role from ${target.name}: nobody else would administer the desk`,
      },
    ]);

  const changes: StaffRecordData[] = [];
  if (role !== target.role) {
    await deps.pool.setRole(id, target.role, role);
    changes.push({ type: 'RoleChanged', data: { from: target.role, to: role } });
  }
  if (teams.join(',') !== target.teams.join(',')) {
    await deps.pool.setTeams(id, teams);
    changes.push({ type: 'TeamsChanged', data: { from: target.teams, to: teams } });
  }
  let active = target.active;
  if (change.enabled !== undefined && change.enabled !== target.active) {
    await deps.pool.setEnabled(id, change.enabled);
    active = change.enabled;
    changes.push(change.enabled ? { type: 'StaffEnabled', data: {} } : { type: 'StaffDisabled', data: {} });
  }
  if (changes.length === 0) return personOf(target);
  const next: StaffMember = { ...target, role, teams, active, updatedAt: deps.clock.now().toISOString() };
  await deps.staff.saveWithRecords(next, staffRecords(deps, identity, id, changes));
  return personOf(next);
};

/** One person's audit trail, oldest first: every change made to them from the desk, by whom and from where. */
export const personHistory = async (deps: Pick<StaffDeps, 'staff'>, identity: Identity, id: string): Promise<StaffRecord[]> => {
  requireAdministrator(identity, []);
  if (!(await deps.staff.get(id))) throw notFound(`No staff member "${id}".`);
  return deps.staff.records(id);
};
