// Reading tickets and their history, each through the caller's view: requesters see their own tickets
// and public history; staff see all.
import type { TicketDeps } from './deps.ts';
import { validationError } from './errors.ts';
import { isStaff, type Identity } from './identity.ts';
import type { Page, PageRequest } from './ports.ts';
import { canSeeEvent, requireVisibleTicket } from './ticket-access.ts';
import type { ListTicketsQuery, Ticket, TicketEvent } from './ticket.ts';

export const getTicket = async (deps: TicketDeps, identity: Identity, id: string): Promise<Ticket> =>
  requireVisibleTicket(identity, await deps.repo.getTicket(id), id);

export const listTickets = async (deps: TicketDeps, identity: Identity, query: ListTicketsQuery): Promise<Page<Ticket>> => {
  if (!isStaff(identity) && query.assignee)
    throw validationError([{ path: 'assignee', message: 'is for staff; a requester lists their own tickets' }]);
  if (query.team && !deps.config.teams.some((team) => team.id === query.team))
    throw validationError([{ path: 'team', message: `must be one of ${deps.config.teams.map((t) => t.id).join(', ')}` }]);
  return deps.repo.listTickets(
    {
      status: query.status,
      team: query.team,
      assignee: query.assignee === 'me' ? identity.id : undefined,
      // A requester's list is always their own, whether or not they say requester=me.
      requester: query.requester === 'me' || !isStaff(identity) ? identity.id : undefined,
    },
    { limit: query.limit, cursor: query.cursor },
  );
};

export const listTicketEvents = async (
  deps: TicketDeps,
  identity: Identity,
  id: string,
  page: PageRequest,
): Promise<Page<TicketEvent>> => {
  requireVisibleTicket(identity, await deps.repo.getTicket(id), id);
  const result = await deps.repo.listEvents(id, page);
  return { items: result.items.filter((event) => canSeeEvent(identity, event)), cursor: result.cursor };
};
