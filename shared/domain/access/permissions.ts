// The one permission table: what each role may do, and to which tickets. `own` is a ticket the caller
// filed; `team` is a ticket of one of the caller's teams, assigned to them, or their own; `all` is any
// ticket (the knowledge-base actions concern no ticket: `all` or `none`). A ticket outside the caller's `ticket:read` scope does not exist for them (404, never 403); an
// action outside its scope on a ticket they can read is a 403 that says what is not allowed.
import type { Role } from './identity.ts';

export const ACTIONS = [
  'ticket:create',
  'ticket:create-for-other',
  'ticket:read',
  'ticket:comment-public',
  'ticket:comment-internal',
  'ticket:read-internal',
  'ticket:set-status',
  'ticket:set-priority',
  'ticket:set-category',
  'ticket:set-team',
  'ticket:assign',
  'ticket:assign-any-team',
  /** Tags: staff's labels on a ticket. */
  'ticket:set-tags',
  /** Custom fields; each field's `setBy` in the configuration narrows who may set it. */
  'ticket:set-fields',
  'report:read',
  'requester:erase',
  'article:write',
  'article:read-draft',
  /** Rate the service a ticket received: only the person it was for. */
  'ticket:rate',
  /** Export the whole desk (every ticket, its history, comments and file references): personal data in bulk. */
  'export:run',
  /** Merge a duplicate into another ticket; needed on both. */
  'ticket:merge',
  /** Relate two tickets (related, parent and child: a major incident); needed on both. */
  'ticket:link',
  /** Macros for the whole desk (concern no ticket: `all` or `none`). */
  'macro:write-shared',
  /** Macros of one's own, seen and applied by oneself only. */
  'macro:write-personal',
] as const;
export type Action = (typeof ACTIONS)[number];

export type Scope = 'none' | 'own' | 'team' | 'all';

export const PERMISSIONS: Record<Role, Record<Action, Scope>> = {
  requester: {
    'ticket:create': 'all',
    'ticket:create-for-other': 'none',
    'ticket:read': 'own',
    'ticket:comment-public': 'own',
    'ticket:comment-internal': 'none',
    'ticket:read-internal': 'none',
    'ticket:set-status': 'own', // only to resolve it, or reopen it once resolved (update-ticket.ts)
    'ticket:set-priority': 'none',
    'ticket:set-category': 'none',
    'ticket:set-team': 'none',
    'ticket:assign': 'none',
    'ticket:assign-any-team': 'none',
    'ticket:set-tags': 'none',
    'ticket:set-fields': 'own', // only the fields whose setBy names requesters (a NISN, a room)
    'report:read': 'none',
    'requester:erase': 'none',
    'article:write': 'none',
    'article:read-draft': 'none',
    'ticket:rate': 'own',
    'export:run': 'none',
    'ticket:merge': 'none',
    'ticket:link': 'none',
    'macro:write-shared': 'none',
    'macro:write-personal': 'none',
  },
  agent: {
    'ticket:create': 'all',
    'ticket:create-for-other': 'all',
    'ticket:read': 'team',
    'ticket:comment-public': 'team',
    'ticket:comment-internal': 'team',
    'ticket:read-internal': 'team',
    'ticket:set-status': 'team',
    'ticket:set-priority': 'team',
    'ticket:set-category': 'team',
    'ticket:set-team': 'team', // hand a ticket over to another team (escalation)
    'ticket:assign': 'team', // to an agent of one of the caller's own teams
    'ticket:assign-any-team': 'none',
    'ticket:set-tags': 'team',
    'ticket:set-fields': 'team',
    'report:read': 'none',
    'requester:erase': 'none',
    // The knowledge base is the desk's: every agent writes and fixes articles (first line answers from it).
    'article:write': 'all',
    'article:read-draft': 'all',
    'ticket:rate': 'own',
    'export:run': 'none',
    'ticket:merge': 'team',
    'ticket:link': 'team',
    // An agent keeps replies of their own; the desk's shared ones are its leads' to write.
    'macro:write-shared': 'none',
    'macro:write-personal': 'all',
  },
  lead: {
    'ticket:create': 'all',
    'ticket:create-for-other': 'all',
    'ticket:read': 'all',
    'ticket:comment-public': 'all',
    'ticket:comment-internal': 'all',
    'ticket:read-internal': 'all',
    'ticket:set-status': 'all',
    'ticket:set-priority': 'all',
    'ticket:set-category': 'all',
    'ticket:set-team': 'all',
    'ticket:assign': 'all',
    'ticket:assign-any-team': 'all',
    'ticket:set-tags': 'all',
    'ticket:set-fields': 'all',
    // The teams they lead (their token's teams): the dashboard's team; the whole desk's figures are admins'.
    'report:read': 'team',
    'requester:erase': 'none',
    'article:write': 'all',
    'article:read-draft': 'all',
    'ticket:rate': 'own',
    // Reports, yes; every requester's data in one file, no: that is an administrator's decision.
    'export:run': 'none',
    'ticket:merge': 'all',
    'ticket:link': 'all',
    'macro:write-shared': 'all',
    'macro:write-personal': 'all',
  },
  // Everything, except speaking for a requester's satisfaction.
  admin: { ...(Object.fromEntries(ACTIONS.map((action) => [action, 'all'])) as Record<Action, Scope>), 'ticket:rate': 'own' },
};

/** The ticket facts a scope is judged on. `filedBy`: who filed it for the requester (staff, a system's client). */
export type TicketReach = { requesterId: string; team: string; assignee: string | null; filedBy?: string | undefined };

export const inScope = (scope: Scope, caller: { id: string; teams: readonly string[] }, ticket?: TicketReach): boolean => {
  if (scope === 'all') return true;
  if (scope === 'none' || !ticket) return false;
  // A ticket filed on someone's behalf is also the filer's own: a system that filed it may follow it.
  const own = ticket.requesterId === caller.id || (ticket.filedBy !== undefined && ticket.filedBy === caller.id);
  if (scope === 'own') return own;
  return own || ticket.assignee === caller.id || caller.teams.includes(ticket.team);
};

/** What each role may do to staff directory entries: `own` is the caller's own entry, `team` someone sharing a team. */
export const STAFF_ACTIONS = [
  'staff:read',
  'staff:set-availability',
  /** Invite people, change their role and teams, disable and re-enable them; see their addresses and audit trail. */
  'staff:administer',
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

export const STAFF_PERMISSIONS: Record<Role, Record<StaffAction, Scope>> = {
  requester: { 'staff:read': 'none', 'staff:set-availability': 'none', 'staff:administer': 'none' },
  // An agent sees their teams' people (to hand a ticket over) and takes only themselves in and out of routing.
  agent: { 'staff:read': 'team', 'staff:set-availability': 'own', 'staff:administer': 'none' },
  // A lead sees everyone and takes the people of the teams they lead in and out of routing.
  lead: { 'staff:read': 'all', 'staff:set-availability': 'team', 'staff:administer': 'none' },
  admin: { 'staff:read': 'all', 'staff:set-availability': 'all', 'staff:administer': 'all' },
};

export const inStaffScope = (
  scope: Scope,
  caller: { id: string; teams: readonly string[] },
  target: { id: string; teams: readonly string[] },
) => {
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  if (target.id === caller.id) return true;
  return scope === 'team' && target.teams.some((team) => caller.teams.includes(team));
};
