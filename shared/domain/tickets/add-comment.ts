// A reply or an internal note. A requester's reply brings a ticket waiting on them back into work and
// reopens a resolved one (within the reopen window), as a desk would expect.

import { actorOf, type Identity, isStaff } from '#shared/domain/access/identity.ts';
import { callerOf, requirePermission, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { conflict } from '#shared/domain/errors.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { slaForPublicReply, slaForStatusChange } from '#shared/domain/sla/sla.ts';
import { mentionedStaff } from '#shared/domain/staff/staff.ts';
import type { TicketDeps } from './deps.ts';
import { buildEvents, retryOnConflict } from './record-change.ts';
import type { AddCommentInput, AttachmentRef, Ticket, TicketEvent, TicketEventData } from './ticket.ts';
import { assertTransition } from './ticket-status.ts';

export const addComment = async (
  deps: TicketDeps,
  identity: Identity,
  id: string,
  input: AddCommentInput,
  /** The files: already stored (mail), or checked and linked once the caller may comment (API uploads). */
  files?: AttachmentRef[] | (() => Promise<AttachmentRef[]>),
): Promise<{ ticket: Ticket; comment: TicketEvent }> => {
  let attachments = typeof files === 'function' ? undefined : files;
  return retryOnConflict(async () => {
    const caller = callerOf(identity);
    const current = requireVisibleTicket(caller, await deps.tickets.getTicket(id), id);
    if (input.visibility === 'internal')
      requirePermission(
        caller,
        'ticket:comment-internal',
        current,
        'Internal notes are for staff; a requester can add public comments only.',
      );
    else requirePermission(caller, 'ticket:comment-public', current, 'You may not comment on this ticket.');
    if (current.status === 'closed') throw conflict('A closed ticket takes no more comments; please create a new ticket.');
    // Linked only now, once the caller may comment here: a refused comment copies no file.
    if (typeof files === 'function') attachments ??= await files();
    const now = deps.clock.now();
    const calendars = organisationCalendars(deps.config);
    // `@budi` in an internal note: the colleagues it names are recorded, and the notify consumer mails them.
    const mentions =
      input.visibility === 'internal' && input.body.includes('@')
        ? mentionedStaff(input.body, await deps.staff.list()).map((member) => member.id)
        : [];
    const changes: TicketEventData[] = [
      {
        type: 'CommentAdded',
        data: {
          body: input.body,
          visibility: input.visibility,
          ...(attachments?.length ? { attachments } : {}),
          ...(mentions.length > 0 ? { mentions } : {}),
        },
      },
    ];
    let next: Ticket = { ...current, version: current.version + 1, updatedAt: now.toISOString() };
    if (!isStaff(identity) && (current.status === 'pending' || current.status === 'resolved')) {
      assertTransition(current.status, 'open', {
        now,
        resolvedAt: current.resolvedAt,
        reopenWindowDays: deps.config.reopenWindowDays,
      });
      changes.push({ type: 'StatusChanged', data: { from: current.status, to: 'open' } });
      next = { ...next, status: 'open' };
      delete next.resolvedAt;
      if (next.sla) next.sla = slaForStatusChange(next.sla, current.status, 'open', deps.config, calendars, now);
    }
    if (isStaff(identity) && input.visibility === 'public' && next.sla)
      next.sla = slaForPublicReply(next.sla, next.status, deps.config, calendars, now);
    const events = buildEvents(deps, next, actorOf(identity), changes);
    await deps.tickets.saveTicket(next, current.version, events);
    return { ticket: next, comment: events[0]! };
  }, undefined);
};
