// Builds ticket search's ports once per cold start: the search index on the table (its consumer and the
// route read and write it), the ticket store (number lookups, a requester's own tickets, the history a
// re-index reads), the wall clock and the configuration.
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createSearchStore } from '#shared/adapters/search-store.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { IndexDeps } from '#shared/domain/search/index-ticket.ts';
import type { SearchDeps } from '#shared/domain/search/search-tickets.ts';

let deps: (SearchDeps & IndexDeps) | undefined;

export const searchDeps = (): SearchDeps & IndexDeps => {
  if (!deps) {
    const client = dynamoDocumentClient();
    deps = {
      tickets: createTicketStore(client, tableName()),
      search: createSearchStore(client, tableName()),
      clock: systemClock,
      config: loadConfig(),
    };
  }
  return deps;
};
