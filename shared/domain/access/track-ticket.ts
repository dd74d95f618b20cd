// Following a ticket without an account: the acknowledgement mail carries a signed, expiring link bound to
// one ticket. Through it the requester sees the status and the public history, and can add a comment as
// themselves. A forged, altered or expired link finds nothing (404), like a ticket that does not exist.

import { notFound } from '#shared/domain/errors.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import type { AddCommentInput, Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { wholeHistory } from '#shared/domain/tickets/ticket-history.ts';
import type { Identity } from './identity.ts';
import { verifyToken } from './signed-token.ts';

export const TRACK_PURPOSE = 'track';

export type TrackedTicket = {
  number: number;
  subject: string;
  status: Ticket['status'];
  language: Ticket['language'];
  createdAt: string;
  updatedAt: string;
  history: { at: string; type: 'StatusChanged' | 'CommentAdded'; by: 'you' | 'staff'; status?: string; body?: string }[];
};

/** Raised for any link that does not lead to a ticket; the caller counts it and answers 404. */
export class TrackingLinkRefused extends Error {
  constructor() {
    super('tracking link refused');
    this.name = 'TrackingLinkRefused';
  }
}

const ticketOf = async (deps: TicketDeps, key: Buffer, token: string): Promise<Ticket> => {
  const claims = verifyToken(key, token, TRACK_PURPOSE, deps.clock.now());
  const ticket = claims && (await deps.tickets.getTicket(claims.ticketId));
  if (!ticket) throw new TrackingLinkRefused();
  return ticket;
};

/** The requester behind the link, acting on their own ticket. */
const requesterOf = (ticket: Ticket, sourceIp?: string): Identity => ({
  id: ticket.requester.id,
  role: 'requester',
  name: ticket.requester.name,
  email: ticket.requester.email,
  teams: [],
  sourceIp,
});

const publicHistory = (ticket: Ticket, events: TicketEvent[]): TrackedTicket['history'] =>
  events.flatMap((event): TrackedTicket['history'] => {
    const by = event.actor.id === ticket.requester.id ? ('you' as const) : ('staff' as const);
    if (event.type === 'StatusChanged') return [{ at: event.at, type: event.type, by, status: event.data.to }];
    if (event.type === 'CommentAdded' && event.data.visibility === 'public')
      return [{ at: event.at, type: event.type, by, body: event.data.body }];
    return [];
  });

export const trackTicket = async (deps: TicketDeps, key: Buffer, token: string): Promise<TrackedTicket> => {
  const ticket = await ticketOf(deps, key, token);
  const events = await wholeHistory(deps.tickets, ticket.id, 1000);
  return {
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    language: ticket.language,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    history: publicHistory(ticket, events),
  };
};

export const commentThroughTrackingLink = async (
  deps: TicketDeps,
  key: Buffer,
  token: string,
  input: AddCommentInput,
  sourceIp?: string,
) => {
  const ticket = await ticketOf(deps, key, token);
  if (input.visibility !== 'public') throw notFound('Not found.');
  return addComment(deps, requesterOf(ticket, sourceIp), ticket.id, input);
};
