// The ports the ticket services take. Handlers build them once per cold start; tests pass fakes. Each
// service uses the stores it needs: every one reads and writes `tickets`; creating also takes a number, a
// rate-limit token and the Idempotency-Key's claim; the router reads `routing`; the SLA check `slaSchedule`;
// routing, assignment and escalation read the `staff` directory.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import type { RoutingState } from '#shared/domain/routing/ports.ts';
import type { SlaSchedule } from '#shared/domain/sla/ports.ts';
import type { StaffDirectory } from '#shared/domain/staff/staff.ts';
import type { Clock, IdGenerator, RateLimits, TicketFilingStore, TicketNumbers, TicketStore } from './ports.ts';

export type TicketDeps = {
  tickets: TicketStore;
  numbers: TicketNumbers;
  rateLimits: RateLimits;
  /** Create requests' Idempotency-Keys, claimed per caller. */
  idempotencyKeys: ClaimStore;
  routing: RoutingState;
  slaSchedule: SlaSchedule;
  /** Who works the desk (routing, assignment, escalation, staff mail): read at run time, never from the configuration. */
  staff: StaffDirectory;
  clock: Clock;
  ids: IdGenerator;
  config: HelpdeskConfig;
  /** Pause between looks at an idempotency key another request is still working on. */
  sleep?: (ms: number) => Promise<void>;
};

/** What filing a ticket takes (create-ticket.ts): two of the store's requests; no routing state, SLA schedule or staff directory. */
export type TicketCreationDeps = Pick<TicketDeps, 'numbers' | 'rateLimits' | 'idempotencyKeys' | 'clock' | 'ids' | 'config' | 'sleep'> & {
  tickets: TicketFilingStore;
};
