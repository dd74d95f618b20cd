// Following a ticket without an account: the acknowledgement mail carries a signed, expiring link bound to
// one ticket. Through it the requester sees the status and the public history, and can add a comment as
// themselves. A forged, altered or expired link finds nothing (404), like a ticket that does not exist.
// The history shown is bounded: the newest public items, read newest first, and the page says when older
// ones are not shown (never a silent cap that hides the latest reply). Files go both ways as they do for a
// signed-in requester: uploaded first and named in the comment, and a public item's files downloaded by a
// short-lived link; the link's requester is the caller, so an internal note's files stay out of reach.

import { conflict, notFound } from '#shared/domain/errors.ts';
import {
  addCommentWithFiles,
  attachmentLink,
  type FileStore,
  requestUpload,
  type UploadRequest,
} from '#shared/domain/tickets/attachments.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import type { AddCommentInput, AttachmentRef, Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import type { Identity } from './identity.ts';
import { verifyToken } from './signed-token.ts';

export const TRACK_PURPOSE = 'track';
/** At most this many public history items on the page: the newest. */
export const TRACKING_HISTORY_MAX = 100;
/** At most this many history items read to find them (internal notes and changes are passed over). */
const TRACKING_SCAN_MAX = 2_000;

export type TrackedTicket = {
  number: number;
  subject: string;
  status: Ticket['status'];
  language: Ticket['language'];
  createdAt: string;
  updatedAt: string;
  /** The newest public items (at most TRACKING_HISTORY_MAX), oldest of them first. */
  history: {
    /** The history item's id: a comment's files are downloaded by it. */
    id: string;
    at: string;
    type: 'StatusChanged' | 'CommentAdded';
    by: 'you' | 'staff';
    status?: string;
    body?: string;
    /** A comment's files, by name and size (their keys stay on the server). */
    files?: { name: string; size: number }[];
  }[];
  /** True when older public items exist (or may: the scan's bound was reached) and are not shown. */
  olderNotShown: boolean;
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
    if (event.type === 'StatusChanged') return [{ id: event.id, at: event.at, type: event.type, by, status: event.data.to }];
    if (event.type === 'CommentAdded' && event.data.visibility === 'public') {
      const files = (event.data.attachments ?? []).map(({ name, size }: AttachmentRef) => ({ name, size }));
      return [{ id: event.id, at: event.at, type: event.type, by, body: event.data.body, ...(files.length > 0 ? { files } : {}) }];
    }
    return [];
  });

/** The newest public items, newest first while reading, at most TRACKING_HISTORY_MAX; whether older ones remain. */
const newestPublicHistory = async (deps: TicketDeps, ticket: Ticket) => {
  const found: TrackedTicket['history'] = [];
  let scanned = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.listEvents(ticket.id, { limit: 100, cursor, newestFirst: true });
    scanned += page.items.length;
    found.push(...publicHistory(ticket, page.items));
    cursor = page.cursor;
  } while (cursor && found.length <= TRACKING_HISTORY_MAX && scanned < TRACKING_SCAN_MAX);
  return { history: found.slice(0, TRACKING_HISTORY_MAX).reverse(), olderNotShown: found.length > TRACKING_HISTORY_MAX || !!cursor };
};

export const trackTicket = async (deps: TicketDeps, key: Buffer, token: string): Promise<TrackedTicket> => {
  const ticket = await ticketOf(deps, key, token);
  const { history, olderNotShown } = await newestPublicHistory(deps, ticket);
  return {
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    language: ticket.language,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    history,
    olderNotShown,
  };
};

/** A public comment as the link's requester, with the files they uploaded through the same link. */
export const commentThroughTrackingLink = async (
  deps: TicketDeps,
  files: FileStore,
  key: Buffer,
  token: string,
  input: AddCommentInput,
  sourceIp?: string,
) => {
  const ticket = await ticketOf(deps, key, token);
  if (input.visibility !== 'public') throw notFound('Not found.');
  return addCommentWithFiles(deps, files, requesterOf(ticket, sourceIp), ticket.id, input);
};

/** An upload URL for one file, in the link's requester's own quarantine folder (only their comment can name it). */
export const uploadThroughTrackingLink = async (deps: TicketDeps, files: FileStore, key: Buffer, token: string, input: UploadRequest) => {
  const ticket = await ticketOf(deps, key, token);
  if (ticket.status === 'closed') throw conflict('A closed ticket takes no more comments; please create a new ticket.');
  return requestUpload({ ...deps, files }, requesterOf(ticket), input);
};

/** A download link for a file of a public item of the link's ticket (404 for anything the requester may not see). */
export const trackedAttachmentLink = async (
  deps: TicketDeps,
  files: FileStore,
  key: Buffer,
  token: string,
  eventId: string,
  index: number,
) => {
  const ticket = await ticketOf(deps, key, token);
  return attachmentLink({ files, clock: deps.clock, tickets: deps.tickets }, requesterOf(ticket), ticket.id, eventId, index);
};
