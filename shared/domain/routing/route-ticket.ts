// Routing: a ticket that needs an agent goes to the available member of its team with the fewest tickets
// in work, round-robin among equals. The claim is the ticket's versioned write with the assignee still
// empty, so a message delivered ten times assigns once and two routers never both win. The same write moves
// the team's turn on from the version read, so routers of one team working at once (several batches, as
// Lambda runs them) never both count the same loads: the later one re-reads and decides again. A batch reads
// the staff once and each team's loads once, and keeps them up to date with its own assignments and, after a
// lost race, with the turn's list of the team's recent assignments.

import type { Actor } from '#shared/domain/access/identity.ts';
import { routableMembers, type StaffMember, teamMembers } from '#shared/domain/staff/staff.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { VersionConflictError } from '#shared/domain/tickets/ports.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { planUpdate } from '#shared/domain/tickets/update-ticket.ts';
import type { TeamTurn } from './ports.ts';

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

/**
 * What a router knows of one team during a batch: its turn, and the working tickets the agents' index showed
 * at `readAt`. After a lost race only the turn is read again: every assignment since `readAt` is on its recent
 * list, as long as that list reaches back that far.
 */
type TeamView = { turn: TeamTurn; indexed: Map<string, Set<string>>; readAt: number; turnIsStale: boolean };

const readTeam = async (deps: TicketDeps, team: string, candidates: readonly { id: string }[]): Promise<TeamView> => {
  const readAt = deps.clock.now().getTime();
  const [turn, indexed] = await Promise.all([
    deps.routing.getTurn(team),
    Promise.all(candidates.map(async (agent) => [agent.id, new Set(await deps.routing.activeTickets(agent.id))] as const)),
  ]);
  return { turn, indexed: new Map(indexed), readAt, turnIsStale: false };
};

/** The team as this batch knows it, read or brought up to date as little as will keep the loads true. */
const teamView = async (
  deps: TicketDeps,
  teams: Map<string, TeamView>,
  team: string,
  candidates: readonly { id: string }[],
  now: number,
) => {
  const known = teams.get(team);
  // The index's loads stand for half the time the turn remembers an assignment; then they are read again.
  let view = known && now - known.readAt < RECENT_ASSIGNMENT_MS / 2 ? known : undefined;
  if (view?.turnIsStale) {
    const turn = await deps.routing.getTurn(team);
    const recent = turn.recent.filter((assignment) => now - Date.parse(assignment.at) < RECENT_ASSIGNMENT_MS);
    const reachesBack =
      turn.recent.length < RECENT_ASSIGNMENTS_KEPT || (recent[0] !== undefined && Date.parse(recent[0].at) <= view.readAt);
    view = reachesBack ? { ...view, turn, turnIsStale: false } : undefined;
  }
  view ??= await readTeam(deps, team, candidates);
  teams.set(team, view);
  return view;
};

/**
 * One ticket of a batch, against the batch's staff and what it has read of the ticket's team (`teams`). The first
 * attempt decides on the ticket as the batch read it (`read`, when given; a stale one fails its conditional write),
 * a retry reads it again.
 */
const routeOne = (
  deps: TicketDeps,
  staff: StaffMember[],
  teams: Map<string, TeamView>,
  ticketId: string,
  read?: { ticket: Ticket | undefined },
): Promise<RoutingOutcome> => {
  let attempt = 0;
  return retryOnConflict(
    async () => {
      const ticket = attempt++ === 0 && read ? read.ticket : await deps.tickets.getTicket(ticketId);
      if (!ticket) return { outcome: 'skipped', reason: 'not-found' };
      if (ticket.assignee) return { outcome: 'skipped', reason: 'already-assigned' };
      if (ticket.status !== 'new' && ticket.status !== 'open') return { outcome: 'skipped', reason: 'not-in-work' };

      const members = teamMembers(staff, ticket.team);
      const candidates = routableMembers(staff, ticket.team);
      if (candidates.length === 0) return { outcome: 'skipped', reason: 'no-available-agent' };
      const now = deps.clock.now();
      const view = await teamView(deps, teams, ticket.team, candidates, now.getTime());
      const { turn } = view;
      const recent = turn.recent.filter((assignment) => now.getTime() - Date.parse(assignment.at) < RECENT_ASSIGNMENT_MS);
      // An agent's load: the working tickets the index showed, and the team's latest assignments it may not show
      // yet (this batch's own among them).
      const loads = candidates.map((agent) => {
        const tickets = new Set(view.indexed.get(agent.id));
        for (const assignment of recent) if (assignment.agent === agent.id) tickets.add(assignment.ticketId);
        return tickets.size;
      });
      const fewest = Math.min(...loads);
      const tied = candidates.filter((_, index) => loads[index] === fewest).map((agent) => agent.id);
      const agent = nextInTurn(
        tied,
        members.map((member) => member.id),
        turn.last,
      );

      const { next, changes } = planUpdate(deps, ticket, { assignee: agent }, now, staff);
      const kept = [...recent, { ticketId: ticket.id, agent, at: now.toISOString() }].slice(-RECENT_ASSIGNMENTS_KEPT);
      try {
        await deps.tickets.saveTicket(next, ticket.version, buildEvents(deps, next, ROUTER, changes), {
          team: ticket.team,
          expectedVersion: turn.version,
          last: agent,
          recent: kept,
        });
      } catch (error) {
        // Another router moved the turn (or someone the ticket): the turn is read again before the next decision.
        if (error instanceof VersionConflictError) view.turnIsStale = true;
        throw error;
      }
      view.turn = { team: ticket.team, last: agent, version: turn.version + 1, recent: kept };
      return { outcome: 'assigned', agent, ticket: next };
    },
    undefined,
    ROUTING_ATTEMPTS,
  );
};

/**
 * Routes a batch in order, reading the staff, the batch's tickets, and each team's turn and loads once (again
 * only after a lost race): a burst of one team's tickets costs one read of its loads per batch, not one per
 * ticket. Each ticket settles on its own, so one that fails is retried alone.
 */
export const routeTickets = async (deps: TicketDeps, ticketIds: readonly string[]): Promise<PromiseSettledResult<RoutingOutcome>[]> => {
  const [staff, tickets] = await Promise.all([deps.staff.list(), deps.tickets.getTickets([...ticketIds])]);
  const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  const unread = new Set(ticketIds);
  const teams = new Map<string, TeamView>();
  const results: PromiseSettledResult<RoutingOutcome>[] = [];
  for (const ticketId of ticketIds) {
    try {
      // A ticket twice in the batch (a redelivery): the second is decided on a fresh read.
      const read = unread.delete(ticketId) ? { ticket: byId.get(ticketId) } : undefined;
      results.push({ status: 'fulfilled', value: await routeOne(deps, staff, teams, ticketId, read) });
    } catch (reason) {
      results.push({ status: 'rejected', reason });
    }
  }
  return results;
};

export const routeTicket = async (deps: TicketDeps, ticketId: string): Promise<RoutingOutcome> => {
  const [result] = await routeTickets(deps, [ticketId]);
  if (result!.status === 'rejected') throw result!.reason;
  return result!.value;
};
