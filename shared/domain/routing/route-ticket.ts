// Routing: a ticket that needs an agent goes to the available member of its team with the fewest tickets
// in work, round-robin among equals. The claim is the ticket's versioned write with the assignee still
// empty, so a message delivered ten times assigns once and two routers never both win. The same write moves
// the team's turn on from the version read, so routers of one team working at once (several batches, as
// Lambda runs them) never both count the same loads: the later one re-reads and decides again.

import type { Actor } from '#shared/domain/access/identity.ts';
import { routableMembers, teamMembers } from '#shared/domain/staff/staff.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { planUpdate } from '#shared/domain/tickets/update-ticket.ts';

export const ROUTER: Actor = { id: 'router', role: 'system' };

export type RoutingOutcome =
  | { outcome: 'assigned'; agent: string; ticket: Ticket }
  | { outcome: 'skipped'; reason: 'not-found' | 'already-assigned' | 'not-in-work' | 'no-available-agent' };

/**
 * How long an assignment counts on its team's turn: well past the moment an index takes to show it (the
 * agents' loads are read on gsi3), and short enough that the turn stays a small item.
 */
const RECENT_ASSIGNMENT_MS = 60_000;
/** The turn keeps at most this many recent assignments (a team of a few agents routes far fewer a minute). */
const RECENT_ASSIGNMENTS_KEPT = 50;
/** Routers of one team working at once conflict on its turn; each conflict is a re-read and a new decision. */
const ROUTING_ATTEMPTS = 10;

/** The agent after `last` in the team's order among `tied` (all in directory order, by id), wrapping round. */
const nextInTurn = (tied: string[], order: string[], last: string | undefined): string => {
  if (!last) return tied[0]!;
  const position = order.indexOf(last);
  return tied.find((agent) => order.indexOf(agent) > position) ?? tied[0]!;
};

export const routeTicket = async (deps: TicketDeps, ticketId: string): Promise<RoutingOutcome> =>
  retryOnConflict(
    async () => {
      const ticket = await deps.tickets.getTicket(ticketId);
      if (!ticket) return { outcome: 'skipped', reason: 'not-found' };
      if (ticket.assignee) return { outcome: 'skipped', reason: 'already-assigned' };
      if (ticket.status !== 'new' && ticket.status !== 'open') return { outcome: 'skipped', reason: 'not-in-work' };

      const staff = await deps.staff.list();
      const members = teamMembers(staff, ticket.team);
      const candidates = routableMembers(staff, ticket.team);
      if (candidates.length === 0) return { outcome: 'skipped', reason: 'no-available-agent' };
      const now = deps.clock.now();
      const turn = await deps.routing.getTurn(ticket.team);
      const recent = turn.recent.filter((assignment) => now.getTime() - Date.parse(assignment.at) < RECENT_ASSIGNMENT_MS);
      // An agent's load: the working tickets the index shows, and the team's latest assignments it may not show yet.
      const loads = await Promise.all(
        candidates.map(async (agent) => {
          const tickets = new Set(await deps.routing.activeTickets(agent.id));
          for (const assignment of recent) if (assignment.agent === agent.id) tickets.add(assignment.ticketId);
          return tickets.size;
        }),
      );
      const fewest = Math.min(...loads);
      const tied = candidates.filter((_, index) => loads[index] === fewest).map((agent) => agent.id);
      const agent = nextInTurn(
        tied,
        members.map((member) => member.id),
        turn.last,
      );

      const { next, changes } = planUpdate(deps, ticket, { assignee: agent }, now, staff);
      await deps.tickets.saveTicket(next, ticket.version, buildEvents(deps, next, ROUTER, changes), {
        team: ticket.team,
        expectedVersion: turn.version,
        last: agent,
        recent: [...recent, { ticketId: ticket.id, agent, at: now.toISOString() }].slice(-RECENT_ASSIGNMENTS_KEPT),
      });
      return { outcome: 'assigned', agent, ticket: next };
    },
    undefined,
    ROUTING_ATTEMPTS,
  );
