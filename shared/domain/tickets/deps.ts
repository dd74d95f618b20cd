// The ports every ticket service takes. Handlers build them once per cold start; tests pass fakes.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { StaffDirectory } from '#shared/domain/staff/staff.ts';
import type { Clock, IdGenerator, TicketRepository } from './ports.ts';

export type TicketDeps = {
  repo: TicketRepository;
  /** Who works the desk (routing, assignment, staff mail): read at run time, never from the configuration. */
  staff: StaffDirectory;
  clock: Clock;
  ids: IdGenerator;
  config: HelpdeskConfig;
  /** Pause between looks at an idempotency key another request is still working on. */
  sleep?: (ms: number) => Promise<void>;
};
