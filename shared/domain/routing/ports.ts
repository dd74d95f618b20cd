// What the router reads and keeps besides the tickets themselves.

/** An agent's load and each team's round-robin position. */
export interface RoutingState {
  /** How many tickets in a working status (new, open, pending, on hold) are assigned to the agent. */
  countActiveTickets(agentId: string): Promise<number>;
  /** The agent the router last gave a ticket of this team to (the round-robin position). */
  getLastAssigned(team: string): Promise<string | undefined>;
  setLastAssigned(team: string, agentId: string): Promise<void>;
}
