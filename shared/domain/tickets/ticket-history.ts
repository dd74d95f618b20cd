// A ticket's whole history, page by page, for the services whose correctness needs every item (erasure):
// no cap, so nothing is left behind however long the history grew.
import type { TicketStore } from './ports.ts';
import type { TicketEvent } from './ticket.ts';

/** Every history item, oldest first, a page at a time, to the end. */
export async function* historyPages(tickets: Pick<TicketStore, 'listEvents'>, ticketId: string): AsyncGenerator<TicketEvent[]> {
  let cursor: string | undefined;
  do {
    const page = await tickets.listEvents(ticketId, { limit: 100, cursor });
    if (page.items.length > 0) yield page.items;
    cursor = page.cursor;
  } while (cursor);
}
