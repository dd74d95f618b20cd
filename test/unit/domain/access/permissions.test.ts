// Every cell of the permission table, as behaviour: for each role and action, may the caller act on their
// own ticket, on a ticket of their team, and on a stranger's ticket of another team? The expectations are
// written out here, not derived from the table they check.
import { describe, expect, it } from 'vitest';
import type { Role } from '#shared/domain/access/identity.ts';
import {
  ACTIONS,
  type Action,
  inStaffScope,
  STAFF_ACTIONS,
  STAFF_PERMISSIONS,
  type StaffAction,
} from '#shared/domain/access/permissions.ts';
import { type Caller, can } from '#shared/domain/access/ticket-access.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const callers: Record<Role, Caller> = {
  requester: { id: 'user-alice', role: 'requester', teams: [] },
  agent: { id: 'ivan', role: 'agent', teams: ['it-support'] },
  lead: { id: 'sari', role: 'lead', teams: ['sarpras'] },
  admin: { id: 'root', role: 'admin', teams: [] },
};

const ownTicket = (caller: Caller) => aTicket({ requester: { id: caller.id }, team: 'helpdesk' });
const teamTicket = (caller: Caller) => aTicket({ requester: { id: 'someone' }, team: caller.teams[0] ?? 'none' });
const strangersTicket = () => aTicket({ requester: { id: 'someone' }, team: 'helpdesk', assignee: 'hana' });

const Y = true;
const N = false;
/** [own ticket, team's ticket, stranger's ticket of another team] */
type Cell = [boolean, boolean, boolean];

const EXPECTED: Record<Role, Record<Action, Cell>> = {
  requester: {
    'ticket:create': [Y, Y, Y],
    'ticket:create-for-other': [N, N, N],
    'ticket:read': [Y, N, N],
    'ticket:comment-public': [Y, N, N],
    'ticket:comment-internal': [N, N, N],
    'ticket:read-internal': [N, N, N],
    'ticket:set-status': [Y, N, N],
    'ticket:set-priority': [N, N, N],
    'ticket:set-category': [N, N, N],
    'ticket:set-team': [N, N, N],
    'ticket:assign': [N, N, N],
    'ticket:assign-any-team': [N, N, N],
    'ticket:set-tags': [N, N, N],
    'ticket:set-fields': [Y, N, N],
    'report:read': [N, N, N],
    'requester:erase': [N, N, N],
    'article:write': [N, N, N],
    'article:read-draft': [N, N, N],
    'ticket:rate': [Y, N, N],
    'export:run': [N, N, N],
    'ticket:merge': [N, N, N],
    'ticket:link': [N, N, N],
    'macro:write-shared': [N, N, N],
    'macro:write-personal': [N, N, N],
  },
  agent: {
    'ticket:create': [Y, Y, Y],
    'ticket:create-for-other': [Y, Y, Y],
    'ticket:read': [Y, Y, N],
    'ticket:comment-public': [Y, Y, N],
    'ticket:comment-internal': [Y, Y, N],
    'ticket:read-internal': [Y, Y, N],
    'ticket:set-status': [Y, Y, N],
    'ticket:set-priority': [Y, Y, N],
    'ticket:set-category': [Y, Y, N],
    'ticket:set-team': [Y, Y, N],
    'ticket:assign': [Y, Y, N],
    'ticket:assign-any-team': [N, N, N],
    'ticket:set-tags': [Y, Y, N],
    'ticket:set-fields': [Y, Y, N],
    'report:read': [N, N, N],
    'requester:erase': [N, N, N],
    'article:write': [Y, Y, Y],
    'article:read-draft': [Y, Y, Y],
    'ticket:rate': [Y, N, N],
    'export:run': [N, N, N],
    'ticket:merge': [Y, Y, N],
    'ticket:link': [Y, Y, N],
    'macro:write-shared': [N, N, N],
    'macro:write-personal': [Y, Y, Y],
  },
  lead: {
    'ticket:create': [Y, Y, Y],
    'ticket:create-for-other': [Y, Y, Y],
    'ticket:read': [Y, Y, Y],
    'ticket:comment-public': [Y, Y, Y],
    'ticket:comment-internal': [Y, Y, Y],
    'ticket:read-internal': [Y, Y, Y],
    'ticket:set-status': [Y, Y, Y],
    'ticket:set-priority': [Y, Y, Y],
    'ticket:set-category': [Y, Y, Y],
    'ticket:set-team': [Y, Y, Y],
    'ticket:assign': [Y, Y, Y],
    'ticket:assign-any-team': [Y, Y, Y],
    'ticket:set-tags': [Y, Y, Y],
    'ticket:set-fields': [Y, Y, Y],
    // Their teams' figures: a team report is judged like a ticket of that team.
    'report:read': [Y, Y, N],
    'requester:erase': [N, N, N],
    'article:write': [Y, Y, Y],
    'article:read-draft': [Y, Y, Y],
    'ticket:rate': [Y, N, N],
    'export:run': [N, N, N],
    'ticket:merge': [Y, Y, Y],
    'ticket:link': [Y, Y, Y],
    'macro:write-shared': [Y, Y, Y],
    'macro:write-personal': [Y, Y, Y],
  },
  admin: { ...(Object.fromEntries(ACTIONS.map((action) => [action, [Y, Y, Y]])) as Record<Action, Cell>), 'ticket:rate': [Y, N, N] },
};

describe('the permission table', () => {
  it('has an expectation for every role and action', () => {
    for (const role of Object.keys(callers) as Role[]) expect(Object.keys(EXPECTED[role]).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of Object.keys(callers) as Role[])
    for (const action of ACTIONS)
      it(`${role} × ${action}`, () => {
        const caller = callers[role];
        const [own, team, stranger] = EXPECTED[role][action];
        expect(can(caller, action, ownTicket(caller)), 'own ticket').toBe(own);
        // A requester has no team: their "team" cell is a stranger's ticket too.
        expect(can(caller, action, teamTicket(caller)), "team's ticket").toBe(team);
        expect(can(caller, action, strangersTicket()), "stranger's ticket").toBe(stranger);
      });

  it('lets every staff role, and no requester, write the knowledge base and read its drafts, without a ticket', () => {
    for (const role of ['agent', 'lead', 'admin'] as const) {
      expect(can(callers[role], 'article:write'), role).toBe(true);
      expect(can(callers[role], 'article:read-draft'), role).toBe(true);
    }
    expect(can(callers.requester, 'article:write')).toBe(false);
    expect(can(callers.requester, 'article:read-draft')).toBe(false);
  });

  it('counts a ticket assigned to an agent as in their reach, whatever its team', () => {
    const ticket = aTicket({ requester: { id: 'someone' }, team: 'sarpras', assignee: 'ivan' });
    expect(can(callers.agent, 'ticket:read', ticket)).toBe(true);
    expect(can(callers.agent, 'ticket:set-status', ticket)).toBe(true);
  });
});

describe('the staff permission table', () => {
  const STAFF_EXPECTED: Record<Role, Record<StaffAction, Cell>> = {
    requester: { 'staff:read': [N, N, N], 'staff:set-availability': [N, N, N], 'staff:administer': [N, N, N] },
    agent: { 'staff:read': [Y, Y, N], 'staff:set-availability': [Y, N, N], 'staff:administer': [N, N, N] },
    lead: { 'staff:read': [Y, Y, Y], 'staff:set-availability': [Y, Y, N], 'staff:administer': [N, N, N] },
    admin: { 'staff:read': [Y, Y, Y], 'staff:set-availability': [Y, Y, Y], 'staff:administer': [Y, Y, Y] },
  };

  for (const role of Object.keys(callers) as Role[])
    for (const action of STAFF_ACTIONS)
      it(`${role} × ${action} [own entry, a teammate, someone of another team]`, () => {
        const caller = callers[role];
        const scope = STAFF_PERMISSIONS[role][action];
        const [own, teammate, stranger] = STAFF_EXPECTED[role][action];
        expect(inStaffScope(scope, caller, { id: caller.id, teams: caller.teams }), 'own entry').toBe(own);
        // A requester has no team: their "teammate" shares nothing with them.
        expect(inStaffScope(scope, caller, { id: 'colleague', teams: caller.teams.length ? caller.teams : ['nowhere'] }), 'teammate').toBe(
          teammate,
        );
        expect(inStaffScope(scope, caller, { id: 'stranger', teams: ['helpdesk'] }), 'stranger').toBe(stranger);
      });
});
