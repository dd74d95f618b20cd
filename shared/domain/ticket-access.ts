// Who may see which ticket. A ticket the caller may not see does not exist for them (404, never 403),
// so its existence leaks nothing. Staff see every ticket until team scoping lands with the security work.
import { notFound } from './errors.ts';
import { isStaff, type Identity } from './identity.ts';
import type { Ticket, TicketEvent } from './ticket.ts';

export const canSeeTicket = (identity: Identity, ticket: Ticket): boolean =>
  isStaff(identity) || ticket.requester.id === identity.id;

export const requireVisibleTicket = (identity: Identity, ticket: Ticket | undefined, id: string): Ticket => {
  if (!ticket || !canSeeTicket(identity, ticket)) throw notFound(`Ticket ${id} was not found.`);
  return ticket;
};

/** Internal notes are for staff only; requesters read the public history. */
export const canSeeEvent = (identity: Identity, event: TicketEvent): boolean =>
  isStaff(identity) || !(event.type === 'CommentAdded' && event.data.visibility === 'internal');
