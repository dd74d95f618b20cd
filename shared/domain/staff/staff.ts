// Staff as data: who works the desk, in which teams, in which role, and whether they take tickets now.
// The user pool is the source of roles, teams, names and addresses (groups, `custom:teams`); the staff
// directory (a store the stacks own) mirrors them and adds what only the desk knows: availability and
// each person's notification choices. Routing, escalation and staff mail read the directory at run time,
// so adding a person or taking one out of routing needs no deploy.

import { LANGUAGES } from '#shared/config/config-values.ts';
import type { Actor, Role } from '#shared/domain/access/identity.ts';
import * as z from '#shared/domain/zod.ts';
import { handleOf, MENTION } from './mention.ts';

export type StaffRole = Exclude<Role, 'requester'>;
export const STAFF_ROLES = ['agent', 'lead', 'admin'] as const satisfies readonly StaffRole[];

/** The mails staff receive about tickets; each person may turn off any of them. */
export const STAFF_NOTIFICATION_KINDS = [
  /** A ticket was assigned to you (by a person or by routing). */
  'assigned',
  /** The requester wrote on a ticket assigned to you. */
  'requester-replied',
  /** An SLA clock of a ticket assigned to you is about to run out. */
  'sla-warning',
  /** An SLA clock of a ticket assigned to you ran out. */
  'sla-breach',
  /** A breached ticket of your team escalated to you, its lead. */
  'escalation',
  /** A ticket came to your team (you lead it) and no one in it is available to take it. */
  'unassignable',
  /** Someone named you (`@budi`) in an internal note. */
  'mentioned',
  /** A ticket you follow got a comment or changed status. */
  'followed-update',
] as const;
export type StaffNotificationKind = (typeof STAFF_NOTIFICATION_KINDS)[number];

export const notificationChoicesSchema = /* @__PURE__ */ z.schema(() => z.partialRecord(z.enum(STAFF_NOTIFICATION_KINDS), z.boolean()));

// ── What the API takes and gives ─────────────────────────────────────────────────────────────────────────

export const listStaffQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({ team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
);

/** PATCH /staff/me: which mails you get (a kind set to false is off), and the language of staff mail. */
export const ownPreferencesSchema = /* @__PURE__ */ z.schema(() =>
  z
    .partial(
      z.strictObject({
        notifications: z.strictObject(Object.fromEntries(STAFF_NOTIFICATION_KINDS.map((kind) => [kind, z.optional(z.boolean())]))),
        language: z.enum(LANGUAGES),
      }),
    )
    .check(z.refine((change) => Object.keys(change).length > 0, 'send notifications or language')),
);

/** PUT /staff/{id}/availability. */
export const availabilitySchema = /* @__PURE__ */ z.schema(() => z.strictObject({ available: z.boolean() }));

export const staffCardSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['agent', 'lead', 'admin']),
    teams: z.array(z.string()),
    available: z.boolean(),
    active: z.boolean(),
  }),
);

export const staffEntrySchema = /* @__PURE__ */ z.schema(() =>
  z.extend(staffCardSchema, {
    email: z.optional(z.string()),
    notifications: notificationChoicesSchema,
    language: z.optional(z.enum(LANGUAGES)),
    updatedAt: z.string(),
  }),
);

export type StaffMember = {
  id: string;
  name: string;
  email?: string | undefined;
  role: StaffRole;
  teams: string[];
  /** Takes new tickets from routing. */
  available: boolean;
  /** Still staff in the user pool (enabled, in a staff group); inactive people are kept for history, never routed. */
  active: boolean;
  /** Kinds turned off (`false`); a kind not listed is on. */
  notifications: z.infer<typeof notificationChoicesSchema>;
  language?: (typeof LANGUAGES)[number] | undefined;
  updatedAt: string;
};

/** What the user pool says of a person (a sign-in, or the scheduled reconciliation). */
export type PoolPerson = {
  id: string;
  name?: string | undefined;
  email?: string | undefined;
  /** The person's groups; no staff group means not (or no longer) staff. */
  role: Role;
  teams: string[];
  /** Disabled in the user pool. */
  enabled: boolean;
};

/**
 * The audit trail of changes made to people from the desk (the console, the API): who changed what, when and
 * from where, like a ticket's history. Append-only; written in the same transaction as the entry it changed.
 */
export type StaffRecordData =
  | { type: 'StaffInvited'; data: { role: StaffRole; teams: string[] } }
  | { type: 'RoleChanged'; data: { from: StaffRole; to: StaffRole } }
  | { type: 'TeamsChanged'; data: { from: string[]; to: string[] } }
  | { type: 'StaffDisabled'; data: Record<string, never> }
  | { type: 'StaffEnabled'; data: Record<string, never> }
  | { type: 'AvailabilityChanged'; data: { from: boolean; to: boolean } };

export type StaffRecord = StaffRecordData & {
  /** A ULID: records sort by time. */
  id: string;
  /** The person changed. */
  memberId: string;
  at: string;
  actor: Actor;
};

/** The directory as the domain needs it: one small partition, read whole (a desk has tens of staff, not thousands). */
export interface StaffDirectory {
  /** Every person the directory knows, active or not, ordered by id. */
  list(): Promise<StaffMember[]>;
  get(id: string): Promise<StaffMember | undefined>;
  save(member: StaffMember): Promise<void>;
  /** Saves the entry and its audit records at once (one transaction): a change is never kept unrecorded. */
  saveWithRecords(member: StaffMember, records: readonly StaffRecord[]): Promise<void>;
  /** One person's audit records, oldest first. */
  records(memberId: string): Promise<StaffRecord[]>;
}

const byEmail = (email: string) => email.trim().toLowerCase();

export const findByEmail = (members: readonly StaffMember[], email: string): StaffMember | undefined =>
  members.find((member) => member.active && member.email && byEmail(member.email) === byEmail(email));

/** Active members of a team who work tickets (agents and leads; admins administer). */
export const teamMembers = (members: readonly StaffMember[], team: string): StaffMember[] =>
  members.filter((member) => member.active && member.role !== 'admin' && member.teams.includes(team));

/** Who routing may give a ticket of this team to now. */
export const routableMembers = (members: readonly StaffMember[], team: string): StaffMember[] =>
  teamMembers(members, team).filter((member) => member.available);

/** A team's leads: active people in the lead group whose teams include it. */
export const leadsOf = (members: readonly StaffMember[], team: string): StaffMember[] =>
  members.filter((member) => member.active && member.role === 'lead' && member.teams.includes(team));

export const wantsNotification = (member: StaffMember, kind: StaffNotificationKind): boolean => member.notifications[kind] !== false;

/**
 * The directory entry after the user pool spoke of a person: role, teams, name and address follow the pool;
 * availability, notification choices and language stay the desk's. A person who is no longer staff (no
 * staff group, or disabled) becomes inactive; `undefined` means there is nothing to record (never staff).
 */
export const mergePoolPerson = (current: StaffMember | undefined, person: PoolPerson, now: string): StaffMember | undefined => {
  const staff = person.role !== 'requester' && person.enabled;
  if (!staff && !current) return undefined;
  const next: StaffMember = {
    id: person.id,
    name: person.name?.trim() || current?.name || person.email || person.id,
    email: person.email ?? current?.email,
    role: person.role === 'requester' ? (current?.role ?? 'agent') : person.role,
    teams: [...new Set(person.teams)].sort(),
    available: current?.available ?? true,
    active: staff,
    notifications: current?.notifications ?? {},
    language: current?.language,
    updatedAt: now,
  };
  if (current && sameFacts(current, next)) return undefined;
  return next;
};

const sameFacts = (a: StaffMember, b: StaffMember) =>
  a.name === b.name &&
  a.email === b.email &&
  a.role === b.role &&
  a.active === b.active &&
  a.teams.length === b.teams.length &&
  a.teams.every((team, index) => team === b.teams[index]);

/** The active staff an internal note names with `@handle` (whatever the case), each once. Pure. */
export const mentionedStaff = (body: string, staff: readonly StaffMember[]): StaffMember[] => {
  const handles = new Set([...body.matchAll(MENTION)].map((match) => handleOf(match[1]!)));
  return staff.filter((member) => {
    const local = member.email?.slice(0, member.email.indexOf('@')).toLowerCase();
    return member.active && (handles.has(member.id.toLowerCase()) || (local !== undefined && handles.has(local)));
  });
};
