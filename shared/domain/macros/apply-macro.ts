// POST /tickets/{id}/macros/{macroId}: a macro's reply and changes as one new version of the ticket, with
// every permission and rule a person making them one by one would meet. A change the ticket's state does not
// allow (a closed ticket, resolved → pending) is 409 and nothing is applied; a value the desk does not know
// is 422; a change the caller may not make is 403.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language } from '#shared/config/config-values.ts';
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { callerOf, requirePermission, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { conflict, DomainError } from '#shared/domain/errors.ts';
import { STATUS_NAMES } from '#shared/domain/mail/mail-templates.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { slaForPublicReply } from '#shared/domain/sla/sla.ts';
import type { StaffMember } from '#shared/domain/staff/staff.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { Ticket, TicketEvent, TicketEventData, UpdateTicketInput } from '#shared/domain/tickets/ticket.ts';
import { checkPermission, planUpdate } from '#shared/domain/tickets/update-ticket.ts';
import { findMacro, type Macro, type MacroStore } from './macros.ts';

export type ApplyMacroDeps = TicketDeps & { macros: MacroStore };

/** The ticket changes a macro asks for, on this ticket, for this caller (tags: the ticket's own plus and minus). */
export const patchOf = (macro: Macro, ticket: Ticket, callerId: string): UpdateTicketInput => {
  const { actions } = macro;
  const patch: UpdateTicketInput = {};
  if (actions.status) patch.status = actions.status;
  if (actions.priority) patch.priority = actions.priority;
  if (actions.category) patch.category = actions.category;
  if (actions.team) patch.team = actions.team;
  if (actions.assignee) patch.assignee = actions.assignee === 'me' ? callerId : null;
  if (actions.addTags || actions.removeTags) {
    const removed = new Set(actions.removeTags ?? []);
    patch.tags = [...new Set([...(ticket.tags ?? []), ...(actions.addTags ?? [])])].filter((tag) => !removed.has(tag));
  }
  if (actions.fields) patch.fields = actions.fields;
  return patch;
};

const FALLBACK_NAME: Record<Language, string> = { id: 'Bapak/Ibu', en: 'there' };

/** The reply in the ticket's language, its placeholders filled from the ticket as the macro leaves it. */
export const renderReply = (text: string, context: { ticket: Ticket; config: HelpdeskConfig; agentName: string }): string => {
  const { ticket, config } = context;
  const language = ticket.language;
  const values: Record<string, string> = {
    'requester.name': ticket.requester.name?.trim() || FALLBACK_NAME[language],
    'ticket.number': `#${ticket.number}`,
    'ticket.subject': ticket.subject,
    'ticket.status': STATUS_NAMES[language][ticket.status],
    'ticket.category': config.categories.find((category) => category.id === ticket.category)?.name[language] ?? ticket.category,
    'team.name': config.teams.find((team) => team.id === ticket.team)?.name[language] ?? ticket.team,
    'agent.name': context.agentName,
    'organisation.name': config.organisation.name,
  };
  // Names the configuration and the macro schema refuse never reach here; left as written if they did.
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
};

export type MacroResult = { ticket: Ticket; events: TicketEvent[] };

export const applyMacro = async (
  deps: ApplyMacroDeps,
  identity: Identity,
  ticketId: string,
  macroId: string,
  ifMatch?: number,
): Promise<MacroResult> => {
  const caller = callerOf(identity);
  if (caller.role === 'requester') throw new DomainError('forbidden', 'Macros are for staff.');
  const macro = await findMacro(deps, identity, macroId);
  return retryOnConflict(async () => {
    const [found, staff] = await Promise.all([deps.tickets.getTicket(ticketId), deps.staff.list()]);
    const current = requireVisibleTicket(caller, found, ticketId);
    if (ifMatch !== undefined && ifMatch !== current.version)
      throw new DomainError('precondition-failed', `The ticket is at version ${current.version}, not ${ifMatch}; reload it and try again.`);
    if (current.status === 'closed') throw conflict('A closed ticket is final: no macro applies to it.');
    const patch = patchOf(macro, current, caller.id);
    checkPermission(staff, caller, current, patch);
    if (macro.reply)
      requirePermission(
        caller,
        macro.visibility === 'internal' ? 'ticket:comment-internal' : 'ticket:comment-public',
        current,
        'You may not comment on this ticket.',
      );
    const now = deps.clock.now();
    const planned =
      Object.keys(patch).length > 0 ? planUpdate(deps, current, patch, now, staff, caller.role) : { next: current, changes: [] };
    let next: Ticket = { ...planned.next, version: current.version + 1, updatedAt: now.toISOString() };
    const changes: TicketEventData[] = [{ type: 'MacroApplied', data: { macro: macro.id, name: macro.name[current.language] } }];
    if (macro.reply) {
      const body = renderReply(macro.reply[current.language], { ticket: next, config: deps.config, agentName: agentName(staff, identity) });
      changes.push({ type: 'CommentAdded', data: { body, visibility: macro.visibility, macro: macro.id } });
      if (macro.visibility === 'public' && next.sla)
        next = { ...next, sla: slaForPublicReply(next.sla, next.status, deps.config, organisationCalendars(deps.config), now) };
    }
    changes.push(...planned.changes);
    const events = buildEvents(deps, next, actorOf(identity), changes);
    await deps.tickets.saveTicket(next, current.version, events);
    return { ticket: next, events };
  }, ifMatch);
};

const agentName = (staff: readonly StaffMember[], identity: Identity) =>
  staff.find((member) => member.id === identity.id)?.name ?? identity.name ?? identity.id;
