// Applies a set of history events to a ticket as one new version, and retries a read-modify-write that
// lost a race: the service re-reads and re-decides, so no change is applied to a stale ticket.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { TicketDeps } from './deps.ts';
import { VersionConflictError } from './ports.ts';
import type { Ticket, TicketEvent, TicketEventData, TicketSnapshot } from './ticket.ts';

/** The ticket as an event carries it: its report fields only (list values), never free text such as a NISN. */
export const snapshotOf = (config: Pick<HelpdeskConfig, 'customFields'>, ticket: Ticket): TicketSnapshot => {
  const reported = Object.entries(ticket.fields ?? {}).filter(([field]) =>
    config.customFields.some((candidate) => candidate.id === field && candidate.report),
  );
  return {
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    team: ticket.team,
    assignee: ticket.assignee,
    channel: ticket.channel,
    ...(ticket.tags?.length ? { tags: [...ticket.tags] } : {}),
    ...(reported.length > 0 ? { fields: Object.fromEntries(reported) } : {}),
    ...(ticket.followers?.length ? { followed: true as const } : {}),
  };
};

export const buildEvents = (
  deps: Pick<TicketDeps, 'ids' | 'config'>,
  ticket: Ticket,
  actor: Actor,
  changes: TicketEventData[],
): TicketEvent[] =>
  changes.map((change) => ({
    ...change,
    id: deps.ids.next(),
    ticketId: ticket.id,
    number: ticket.number,
    version: ticket.version,
    at: ticket.updatedAt,
    actor,
    ticket: snapshotOf(deps.config, ticket),
    ...(ticket.retainUntil ? { retainUntil: ticket.retainUntil } : {}),
  }));

const ATTEMPTS = 3;

/**
 * Runs `attempt` until its save succeeds. With an `If-Match` version the caller asked for exactly that
 * version, so a conflict is theirs to resolve (412); without one we retry a few times, then say 409.
 */
export const retryOnConflict = async <T>(attempt: () => Promise<T>, pinnedVersion: number | undefined, attempts = ATTEMPTS): Promise<T> => {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      if (pinnedVersion !== undefined)
        throw new DomainError('precondition-failed', 'The ticket was changed by someone else; reload it and try again.');
      if (round >= attempts) throw new DomainError('conflict', 'The ticket is being changed by others right now; please try again.');
    }
  }
};
