// The SLA schedule: which tickets need the checker's look, by time. The ticket store keeps it as tickets are
// written (each ticket's next SLA instant, sla.ts `nextSlaCheck`); the checker only reads it.
import type { Page, PageRequest } from '#shared/domain/tickets/ports.ts';

export type DueTicket = { id: string; dueAt: string };

export interface SlaSchedule {
  /** Tickets whose next SLA instant is at or before `nowIso`, earliest first (ids only: re-read to act). */
  listDue(nowIso: string, page: PageRequest): Promise<Page<DueTicket>>;
}
