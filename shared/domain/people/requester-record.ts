// A requester's record for staff: their contact details (as the latest of their tickets gives them) and their
// tickets, each within the caller's reach (an agent sees their teams' tickets of this person only). Whether
// the caller may erase them (administrators) comes with it, so the console offers the action only then.

import type { Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { forbidden, notFound } from '#shared/domain/errors.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import * as z from '#shared/domain/zod.ts';

export const requesterRecordQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(2048))) }),
);

export type RequesterRecord = {
  requester: { id: string; name?: string; email?: string; phone?: string };
  /** Already erased: the id is a pseudonym (erasure replaced it) and nothing identifies the person. */
  erased: boolean;
  tickets: Pick<Ticket, 'id' | 'number' | 'subject' | 'status' | 'priority' | 'category' | 'team' | 'channel' | 'createdAt' | 'csat'>[];
  cursor?: string | undefined;
  canErase: boolean;
};

const PAGE = 50;

export const requesterRecord = async (
  deps: Pick<TicketDeps, 'tickets'>,
  identity: Identity,
  requesterId: string,
  query: { cursor?: string | undefined },
): Promise<RequesterRecord> => {
  const caller = callerOf(identity);
  if (caller.role === 'requester') throw forbidden('Requester records are for staff.');
  const page = await deps.tickets.listTickets({ requester: requesterId }, { limit: PAGE, cursor: query.cursor });
  const visible = page.items.filter((ticket) => can(caller, 'ticket:read', ticket));
  // Nobody of that id in the caller's reach does not exist for them (as with a ticket).
  if (visible.length === 0 && !query.cursor) throw notFound(`No requester "${requesterId}" among the tickets you can see.`);
  const newest = [...visible].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const latest = (field: 'name' | 'email' | 'phone') => newest.find((ticket) => ticket.requester[field])?.requester[field];
  const [name, email, phone] = [latest('name'), latest('email'), latest('phone')];
  return {
    requester: { id: requesterId, ...(name ? { name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
    erased: requesterId.startsWith('erased:'),
    tickets: newest.map(({ id, number, subject, status, priority, category, team, channel, createdAt, csat }) => ({
      id,
      number,
      subject,
      status,
      priority,
      category,
      team,
      channel,
      createdAt,
      ...(csat ? { csat } : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
    canErase: can(caller, 'requester:erase'),
  };
};
