// A ticket's whole history, page by page, for the few services that need all of it at once.
import type { TicketStore } from './ports.ts';
import type { TicketEvent } from './ticket.ts';

/** Every history item, oldest first; stops after `max` (a bound on work for one request). */
export const wholeHistory = async (tickets: Pick<TicketStore, 'listEvents'>, ticketId: string, max = 10_000): Promise<TicketEvent[]> => {
  const events: TicketEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await tickets.listEvents(ticketId, { limit: 100, cursor });
    events.push(...page.items);
    cursor = page.cursor;
  } while (cursor && events.length < max);
  return events;
};
