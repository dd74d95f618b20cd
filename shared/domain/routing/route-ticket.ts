// Routing: a ticket that needs an agent goes to the available member of its team with the fewest tickets
// in work, round-robin among equals. The claim is the ticket's versioned write with the assignee still
// empty, so a message delivered ten times assigns once and two routers never both win.

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

/** The agent after `last` in the team's order among `tied` (all in directory order, by id), wrapping round. */
const nextInTurn = (tied: string[], order: string[], last: string | undefined): string => {
  if (!last) return tied[0]!;
  const position = order.indexOf(last);
  return tied.find((agent) => order.indexOf(agent) > position) ?? tied[0]!;
};

export const routeTicket = async (deps: TicketDeps, ticketId: string): Promise<RoutingOutcome> =>
  retryOnConflict(async () => {
    const ticket = await deps.tickets.getTicket(ticketId);
    if (!ticket) return { outcome: 'skipped', reason: 'not-found' };
    if (ticket.assignee) return { outcome: 'skipped', reason: 'already-assigned' };
    if (ticket.status !== 'new' && ticket.status !== 'open') return { outcome: 'skipped', reason: 'not-in-work' };

    const staff = await deps.staff.list();
    const members = teamMembers(staff, ticket.team);
    const candidates = routableMembers(staff, ticket.team);
    if (candidates.length === 0) return { outcome: 'skipped', reason: 'no-available-agent' };
    const loads = await Promise.all(candidates.map((agent) => deps.routing.countActiveTickets(agent.id)));
    const fewest = Math.min(...loads);
    const tied = candidates.filter((_, index) => loads[index] === fewest).map((agent) => agent.id);
    const agent = nextInTurn(
      tied,
      members.map((member) => member.id),
      await deps.routing.getLastAssigned(ticket.team),
    );

    const { next, changes } = planUpdate(deps, ticket, { assignee: agent }, deps.clock.now(), staff);
    await deps.tickets.saveTicket(next, ticket.version, buildEvents(deps, next, ROUTER, changes));
    // After the claim: the turn only breaks ties, so a lost write here costs fairness, never a ticket.
    await deps.routing.setLastAssigned(ticket.team, agent);
    return { outcome: 'assigned', agent, ticket: next };
  }, undefined);
