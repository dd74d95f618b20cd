// The ports every ticket service takes. Handlers build them once per cold start; tests pass fakes.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Clock, IdGenerator, TicketRepository } from './ports.ts';

export type TicketDeps = {
  repo: TicketRepository;
  clock: Clock;
  ids: IdGenerator;
  config: HelpdeskConfig;
  /** Pause between looks at an idempotency key another request is still working on. */
  sleep?: (ms: number) => Promise<void>;
};
