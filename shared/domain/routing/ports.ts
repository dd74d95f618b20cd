// What the router reads and keeps besides the tickets themselves.

/** One ticket the router gave an agent, kept on the team's turn for a short while (RECENT_ASSIGNMENT_MS). */
export type RecentAssignment = { ticketId: string; agent: string; at: string };

/**
 * A team's routing turn: who was given the team's last ticket, and the team's latest assignments. Every
 * assignment writes it at the version it read (TurnUpdate), so two routers of one team never decide on the
 * same loads: the second re-reads and decides again.
 */
export type TeamTurn = { team: string; last?: string | undefined; version: number; recent: RecentAssignment[] };

/** The turn an assignment leaves, written with the ticket only if the turn is still at `expectedVersion`. */
export type TurnUpdate = { team: string; expectedVersion: number; last: string; recent: RecentAssignment[] };

/** An agent's load and each team's turn. */
export interface RoutingState {
  /**
   * The ids of the tickets in a working status (new, open, pending, on hold) assigned to the agent. Read on
   * an index, which may lag a write by a moment: the turn's recent assignments cover that moment.
   */
  activeTickets(agentId: string): Promise<string[]>;
  /** The team's turn, read consistently (version 0 and nobody before the team's first assignment). */
  getTurn(team: string): Promise<TeamTurn>;
}
