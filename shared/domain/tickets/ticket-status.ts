// The ticket life cycle. `pending` waits on the requester (pauses SLA clocks), `on_hold` waits on a third
// party (does not), `closed` is final. A resolved ticket may be reopened within the configured window.
import { STATUSES } from '#shared/config/config-values.ts';
import { conflict } from '#shared/domain/errors.ts';

// Defined beside the configuration, whose default macros name statuses too.
export { STATUSES };
export type Status = (typeof STATUSES)[number];

/** Statuses in which a ticket is still being worked (its SLA clocks run or wait): the staff queues. */
export const WORKING_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly Status[];

const ALLOWED: Record<Status, readonly Status[]> = {
  new: ['open', 'pending', 'on_hold', 'resolved'],
  open: ['pending', 'on_hold', 'resolved'],
  pending: ['open', 'resolved'],
  on_hold: ['open', 'resolved'],
  resolved: ['open', 'closed'],
  closed: [],
};

export const canTransition = (from: Status, to: Status): boolean => ALLOWED[from].includes(to);

/**
 * Refuses an illegal move with a message that says what is possible instead.
 * `resolvedAt` and the window guard the reopen: after it, the requester files a new ticket.
 */
export const assertTransition = (
  from: Status,
  to: Status,
  context: { now: Date; resolvedAt?: string | undefined; reopenWindowDays: number },
): void => {
  if (!canTransition(from, to)) {
    const options = ALLOWED[from];
    throw conflict(
      options.length === 0
        ? `A ${from} ticket is final and cannot change status.`
        : `A ${from} ticket cannot move to ${to}; it can move to ${options.join(', ')}.`,
    );
  }
  if (from === 'resolved' && to === 'open' && context.resolvedAt) {
    const windowEnds = Date.parse(context.resolvedAt) + context.reopenWindowDays * 86_400_000;
    if (context.now.getTime() > windowEnds)
      throw conflict(
        `This ticket was resolved more than ${context.reopenWindowDays} days ago and can no longer be reopened; please create a new ticket.`,
      );
  }
};
