// Who is calling, as the JWT authorizer saw them. Roles come from Cognito groups; the highest one counts.
export const ROLES = ['requester', 'agent', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Identity = {
  id: string;
  role: Role;
  email?: string | undefined;
  name?: string | undefined;
  teams: string[];
  /** Where the request came from, for the audit trail. */
  sourceIp?: string | undefined;
  /** A machine client's OAuth scopes (client-credentials access token); undefined for people. */
  scopes?: string[] | undefined;
};

export const isStaff = (identity: Identity): boolean => identity.role !== 'requester';

/** A system calling with its machine client's token (client credentials), not a person. */
export const isMachineClient = (identity: Identity): boolean => identity.scopes !== undefined;

/** A person's role from their groups: the most powerful one counts; no group is a requester. */
export const roleOfGroups = (groups: readonly string[]): Role => [...ROLES].reverse().find((role) => groups.includes(role)) ?? 'requester';

/** The actor recorded on history items: who, in which role, from where; no contact details. */
export type Actor = { id: string; role: Role | 'system'; ip?: string };

export const actorOf = (identity: Identity): Actor => ({
  id: identity.id,
  role: identity.role,
  ...(identity.sourceIp ? { ip: identity.sourceIp } : {}),
});
