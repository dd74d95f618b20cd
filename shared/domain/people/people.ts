// Administering people from the desk (the console's People screen, `/admin/people`): invite someone by
// address with a role and teams, change their role and teams, disable and re-enable them. The user pool is
// where people exist (Cognito on AWS: AdminCreateUser, groups, `custom:teams`; the sandbox's own store
// locally), so each change goes there first; the staff directory then follows at once (it would within five
// minutes anyway, by sync-staff), with the change's audit record in the same write.

import { STAFF_ROLES, type StaffMember, type StaffRole } from '#shared/domain/staff/staff.ts';
import * as z from '#shared/domain/zod.ts';

const teamsSchema = /* @__PURE__ */ z.schema(() =>
  z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(20, 'must list at most 20 teams')),
);

/** POST /admin/people. */
export const inviteSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    email: z.email('must be an email address').check(z.maxLength(254)),
    name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120)),
    role: z.enum(STAFF_ROLES, { error: 'must be agent, lead or admin' }),
    teams: z._default(teamsSchema, []),
  }),
);
export type Invitation = z.infer<typeof inviteSchema>;

/** PATCH /admin/people/{id}: any of role, teams and whether the account is enabled. */
export const personChangeSchema = /* @__PURE__ */ z.schema(() =>
  z
    .strictObject({
      role: z.optional(z.enum(STAFF_ROLES, { error: 'must be agent, lead or admin' })),
      teams: z.optional(teamsSchema),
      /** false disables the account in the user pool (no more sign-ins, out of routing); true enables it again. */
      enabled: z.optional(z.boolean()),
    })
    .check(z.refine((change) => Object.keys(change).length > 0, 'must change at least one of role, teams, enabled')),
);
export type PersonChange = z.infer<typeof personChangeSchema>;

/** What an administrator sees of a person: the directory's facts and the address, not their mail choices. */
export type Person = Pick<StaffMember, 'id' | 'name' | 'email' | 'role' | 'teams' | 'available' | 'active' | 'updatedAt'>;

export const personOf = ({ id, name, email, role, teams, available, active, updatedAt }: StaffMember): Person => ({
  id,
  name,
  ...(email ? { email } : {}),
  role,
  teams,
  available,
  active,
  updatedAt,
});

/** The user pool as the desk administers it (Cognito's admin API on AWS; the sandbox's store locally). */
export interface UserPoolAdmin {
  /** Creates the person (on AWS Cognito mails the invitation) in the role's group, with their teams; their id. */
  invite(invitation: Invitation): Promise<{ id: string } | 'email-in-use'>;
  /** Moves the person from one staff group to another. */
  setRole(id: string, from: StaffRole, to: StaffRole): Promise<void>;
  setTeams(id: string, teams: readonly string[]): Promise<void>;
  /** Disables (no more sign-ins) or enables the account. */
  setEnabled(id: string, enabled: boolean): Promise<void>;
}
