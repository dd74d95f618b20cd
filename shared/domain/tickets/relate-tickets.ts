// Merging a duplicate into a primary ticket and linking two tickets. Both sides change in one transaction
// (saveTickets), each with its own history events, so nothing moves silently: the duplicate is closed with a
// reference and its requester is told, in a public reply, which ticket carries on (the notify consumer mails
// it); the primary lists the duplicate, whose requester then hears of the primary's public updates. A link is
// recorded on both tickets, each from its own side (a parent lists its children; a child its parent).

import type { Language } from '#shared/config/config-values.ts';
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import type { Action } from '#shared/domain/access/permissions.ts';
import { type Caller, callerOf, requirePermission, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { conflict } from '#shared/domain/errors.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { slaForStatusChange } from '#shared/domain/sla/sla.ts';
import * as z from '#shared/domain/zod.ts';
import type { TicketDeps } from './deps.ts';
import { buildEvents, retryOnConflict } from './record-change.ts';
import { LINK_KINDS, type LinkKind, type Ticket, type TicketEventData, type TicketRef } from './ticket.ts';
import { withStatus } from './update-ticket.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ticketId = /* @__PURE__ */ z.schema(() => z.string().check(z.regex(ULID, 'must be a ticket id')));

export const mergeTicketSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    /** The primary ticket, which carries on. */
    into: ticketId,
  }),
);
export type MergeTicketInput = z.infer<typeof mergeTicketSchema>;

export const linkTicketSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    ticket: ticketId,
    /** What the other ticket is to this one: `parent` (the major incident this one belongs to), `child`, `related`. */
    kind: z._default(z.enum(LINK_KINDS), 'related'),
  }),
);
export type LinkTicketInput = z.infer<typeof linkTicketSchema>;

/** A ticket lists at most this many duplicates and links (the item stays small; a major incident's children fit). */
export const MAX_RELATIONS = 200;

const refOf = (ticket: Ticket): TicketRef => ({ id: ticket.id, number: ticket.number });

const MERGE_NOTICE: Record<Language, (number: number) => string> = {
  id: (number) =>
    `Tiket ini digabungkan dengan tiket #${number}, yang melaporkan masalah yang sama. Kabar selanjutnya akan kami kirim dari tiket #${number}.`,
  en: (number) =>
    `This ticket was merged into ticket #${number}, which reports the same problem. We will keep you informed from ticket #${number}.`,
};

/** Both tickets, each visible to the caller (404 otherwise) and open to `action` (403), neither closed (409). */
const readPair = async (deps: TicketDeps, caller: Caller, id: string, otherId: string, action: Action, verb: string) => {
  const [found, foundOther] = await Promise.all([deps.tickets.getTicket(id), deps.tickets.getTicket(otherId)]);
  const ticket = requireVisibleTicket(caller, found, id);
  const other = requireVisibleTicket(caller, foundOther, otherId);
  for (const one of [ticket, other]) requirePermission(caller, action, one, `You may not ${verb} ticket #${one.number}.`);
  for (const one of [ticket, other])
    if (one.status === 'closed') throw conflict(`Ticket #${one.number} is closed, and a closed ticket is final.`);
  return { ticket, other };
};

const next = (ticket: Ticket, now: string): Ticket => ({ ...ticket, version: ticket.version + 1, updatedAt: now });

export const mergeTicket = async (
  deps: TicketDeps,
  identity: Identity,
  duplicateId: string,
  input: MergeTicketInput,
): Promise<{ duplicate: Ticket; primary: Ticket }> => {
  const caller = callerOf(identity);
  if (duplicateId === input.into) throw conflict('A ticket cannot be merged into itself.');
  return retryOnConflict(async () => {
    const { ticket: duplicate, other: primary } = await readPair(deps, caller, duplicateId, input.into, 'ticket:merge', 'merge');
    if ((primary.mergedFrom?.length ?? 0) >= MAX_RELATIONS)
      throw conflict(`Ticket #${primary.number} already has ${MAX_RELATIONS} duplicates merged into it.`);
    const now = deps.clock.now();
    const at = now.toISOString();
    let closed = withStatus(next(duplicate, at), 'closed', at, deps.config.retention.closedTicketDays);
    closed = { ...closed, mergedInto: refOf(primary) };
    if (closed.sla)
      closed.sla = slaForStatusChange(closed.sla, duplicate.status, 'closed', deps.config, organisationCalendars(deps.config), now);
    const duplicateChanges: TicketEventData[] = [
      { type: 'Merged', data: { into: refOf(primary) } },
      // Public, from the person who merged: the notify consumer mails it to the duplicate's requester.
      { type: 'CommentAdded', data: { body: MERGE_NOTICE[duplicate.language](primary.number), visibility: 'public' } },
      { type: 'StatusChanged', data: { from: duplicate.status, to: 'closed' } },
    ];
    const grown: Ticket = { ...next(primary, at), mergedFrom: [...(primary.mergedFrom ?? []), refOf(duplicate)] };
    const actor = actorOf(identity);
    await deps.tickets.saveTickets([
      { ticket: closed, expectedVersion: duplicate.version, events: buildEvents(deps, closed, actor, duplicateChanges) },
      {
        ticket: grown,
        expectedVersion: primary.version,
        events: buildEvents(deps, grown, actor, [{ type: 'DuplicateMerged', data: { duplicate: refOf(duplicate) } }]),
      },
    ]);
    return { duplicate: closed, primary: grown };
  }, undefined);
};

/** What this ticket is to the other, when the other is `kind` to this one. */
const INVERSE: Record<LinkKind, LinkKind> = { related: 'related', parent: 'child', child: 'parent' };

/** A major incident is two levels: a parent does not have a parent, a child has no children, and one parent each. */
const checkHierarchy = (ticket: Ticket, other: Ticket, kind: LinkKind) => {
  const has = (one: Ticket, relation: LinkKind) => (one.links ?? []).some((link) => link.kind === relation);
  const [parent, child] = kind === 'parent' ? [other, ticket] : [ticket, other];
  if (has(child, 'parent')) throw conflict(`Ticket #${child.number} already belongs to a major incident.`);
  if (has(child, 'child')) throw conflict(`Ticket #${child.number} is a major incident itself and cannot be a child.`);
  if (has(parent, 'parent')) throw conflict(`Ticket #${parent.number} is a child of a major incident and cannot have children.`);
};

export const linkTickets = async (
  deps: TicketDeps,
  identity: Identity,
  id: string,
  input: LinkTicketInput,
): Promise<{ ticket: Ticket; other: Ticket }> => {
  const caller = callerOf(identity);
  if (id === input.ticket) throw conflict('A ticket cannot be linked to itself.');
  return retryOnConflict(async () => {
    const { ticket, other } = await readPair(deps, caller, id, input.ticket, 'ticket:link', 'link');
    if ((ticket.links ?? []).some((link) => link.id === other.id))
      throw conflict(`Ticket #${ticket.number} is already linked to #${other.number}.`);
    for (const one of [ticket, other])
      if ((one.links?.length ?? 0) >= MAX_RELATIONS) throw conflict(`Ticket #${one.number} already has ${MAX_RELATIONS} links.`);
    if (input.kind !== 'related') checkHierarchy(ticket, other, input.kind);
    const at = deps.clock.now().toISOString();
    const actor = actorOf(identity);
    const inverse = INVERSE[input.kind];
    const linked = { ...next(ticket, at), links: [...(ticket.links ?? []), { ...refOf(other), kind: input.kind }] };
    const otherLinked = { ...next(other, at), links: [...(other.links ?? []), { ...refOf(ticket), kind: inverse }] };
    await deps.tickets.saveTickets([
      {
        ticket: linked,
        expectedVersion: ticket.version,
        events: buildEvents(deps, linked, actor, [{ type: 'Linked', data: { ticket: refOf(other), kind: input.kind } }]),
      },
      {
        ticket: otherLinked,
        expectedVersion: other.version,
        events: buildEvents(deps, otherLinked, actor, [{ type: 'Linked', data: { ticket: refOf(ticket), kind: inverse } }]),
      },
    ]);
    return { ticket: linked, other: otherLinked };
  }, undefined);
};
