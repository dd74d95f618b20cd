// Keeping the staff directory in step with the user pool, and the few things people change themselves:
// availability (in or out of routing) and which mails they want.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { inStaffScope, STAFF_PERMISSIONS, type StaffAction } from '#shared/domain/access/permissions.ts';
import { forbidden, notFound, validationError } from '#shared/domain/errors.ts';
import type { Clock, IdGenerator } from '#shared/domain/tickets/ports.ts';
import {
  mergePoolPerson,
  type PoolPerson,
  type StaffDirectory,
  type StaffMember,
  type StaffRecord,
  type StaffRecordData,
} from './staff.ts';

export type StaffDeps = { staff: StaffDirectory; clock: Clock; config: HelpdeskConfig; ids: IdGenerator };

/** The audit records of one change to a person, by the caller, now. */
export const staffRecords = (
  deps: Pick<StaffDeps, 'clock' | 'ids'>,
  identity: Identity,
  memberId: string,
  changes: StaffRecordData[],
): StaffRecord[] => {
  const at = deps.clock.now().toISOString();
  return changes.map((change) => ({ ...change, id: deps.ids.next(), memberId, at, actor: actorOf(identity) }));
};

/** Records what the user pool says of one person (a sign-in, a sandbox token); returns the entry if it changed. */
export const syncPoolPerson = async (deps: StaffDeps, person: PoolPerson): Promise<StaffMember | undefined> => {
  const next = mergePoolPerson(await deps.staff.get(person.id), person, deps.clock.now().toISOString());
  if (next) await deps.staff.save(next);
  return next;
};

export type ReconcileResult = { added: number; updated: number; deactivated: number; unchanged: number };

/**
 * Brings the directory in line with the user pool's staff (every member of a staff group): new people are
 * added, changed ones updated, and people the pool no longer lists as staff (removed from their group,
 * deleted or disabled) become inactive, so routing stops giving them tickets.
 */
export const reconcileStaff = async (deps: StaffDeps, pool: readonly PoolPerson[]): Promise<ReconcileResult> => {
  const now = deps.clock.now().toISOString();
  const known = new Map((await deps.staff.list()).map((member) => [member.id, member]));
  const result: ReconcileResult = { added: 0, updated: 0, deactivated: 0, unchanged: 0 };
  const seen = new Set<string>();
  for (const person of pool) {
    seen.add(person.id);
    const current = known.get(person.id);
    const next = mergePoolPerson(current, person, now);
    if (!next) {
      result.unchanged++;
      continue;
    }
    await deps.staff.save(next);
    if (!current) result.added++;
    else if (current.active && !next.active) result.deactivated++;
    else result.updated++;
  }
  for (const member of known.values())
    if (member.active && !seen.has(member.id)) {
      await deps.staff.save({ ...member, active: false, updatedAt: now });
      result.deactivated++;
    }
  return result;
};

const requireStaff = (identity: Identity) => {
  if (identity.role === 'requester') throw forbidden('The staff directory is for staff.');
};

const allowed = (identity: Identity, action: StaffAction, target: StaffMember) =>
  inStaffScope(STAFF_PERMISSIONS[identity.role][action], identity, target);

/** What any staff member may see of a colleague: no notification choices or language. */
export type StaffCard = Pick<StaffMember, 'id' | 'name' | 'role' | 'teams' | 'available' | 'active'>;
const cardOf = ({ id, name, role, teams, available, active }: StaffMember): StaffCard => ({ id, name, role, teams, available, active });

/** The people a caller may see: agents their teams', leads and admins everyone; optionally one team's. */
export const listStaff = async (deps: StaffDeps, identity: Identity, query: { team?: string | undefined }): Promise<StaffCard[]> => {
  requireStaff(identity);
  if (query.team && !deps.config.teams.some((team) => team.id === query.team))
    throw validationError([{ path: 'team', message: `must be one of ${deps.config.teams.map((team) => team.id).join(', ')}` }]);
  const members = await deps.staff.list();
  return members
    .filter((member) => member.active && (!query.team || member.teams.includes(query.team)) && allowed(identity, 'staff:read', member))
    .map(cardOf);
};

/** The caller's own entry (created from their token's facts if the directory has not seen them yet). */
export const getOwnEntry = async (deps: StaffDeps, identity: Identity): Promise<StaffMember> => {
  requireStaff(identity);
  const own = await deps.staff.get(identity.id);
  if (own) return own;
  return (await syncPoolPerson(deps, { ...identity, enabled: true }))!;
};

export type OwnPreferences = { notifications?: StaffMember['notifications'] | undefined; language?: StaffMember['language'] };

export const updateOwnPreferences = async (deps: StaffDeps, identity: Identity, change: OwnPreferences): Promise<StaffMember> => {
  const own = await getOwnEntry(deps, identity);
  const next: StaffMember = {
    ...own,
    notifications: { ...own.notifications, ...change.notifications },
    language: change.language ?? own.language,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.staff.save(next);
  return next;
};

/** Takes a person in or out of routing: themselves, a lead their teams' people, an admin anyone. */
export const setAvailability = async (deps: StaffDeps, identity: Identity, targetId: string, available: boolean): Promise<StaffMember> => {
  requireStaff(identity);
  const target = targetId === 'me' || targetId === identity.id ? await getOwnEntry(deps, identity) : await deps.staff.get(targetId);
  // Someone the caller may not see does not exist for them.
  if (!target?.active || !allowed(identity, 'staff:read', target)) throw notFound(`No staff member "${targetId}".`);
  if (!allowed(identity, 'staff:set-availability', target)) {
    const message =
      identity.role === 'agent'
        ? 'You can take only yourself in and out of routing.'
        : 'You can set the availability of the people of your own teams.';
    throw forbidden(message, [{ path: 'available', message: `cannot be set for ${target.name} by you: ${message}` }]);
  }
  if (target.available === available) return target;
  const next = { ...target, available, updatedAt: deps.clock.now().toISOString() };
  await deps.staff.saveWithRecords(
    next,
    staffRecords(deps, identity, target.id, [{ type: 'AvailabilityChanged', data: { from: target.available, to: available } }]),
  );
  return next;
};
