// Builds the sweeper's ports once per cold start: the table (its indexes, the tickets, claims and markers),
// the staff directory, the queues it re-drives into, the wall clock and the validated configuration.
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { sqsRedriver } from '#shared/adapters/queue-redriver.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { createStuckWorkStore } from '#shared/adapters/stuck-work-store.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { SweepDeps } from '#shared/domain/stuck-work/sweep-stuck-work.ts';

let deps: SweepDeps | undefined;

export const sweepDeps = (): SweepDeps => {
  if (!deps) {
    const client = dynamoDocumentClient();
    const table = tableName();
    deps = {
      store: createStuckWorkStore(client, table),
      tickets: createTicketStore(client, table),
      staff: createStaffDirectory(client, table),
      statsMarkers: createClaimStore(client, table, CLAIM_SPACES.statsEvent),
      sendClaims: createClaimStore(client, table, CLAIM_SPACES.notification),
      redriver: sqsRedriver,
      clock: systemClock,
      config: loadConfig(),
    };
  }
  return deps;
};
