// Builds the real ports once per cold start: DynamoDB repository and staff directory, wall clock, ULIDs,
// validated config.

import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { createTicketRepository } from '#shared/adapters/ticket-repository.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';

let deps: TicketDeps | undefined;

export const ticketDeps = (): TicketDeps =>
  (deps ??= {
    repo: createTicketRepository(dynamoDocumentClient(), tableName()),
    staff: createStaffDirectory(dynamoDocumentClient(), tableName()),
    clock: systemClock,
    ids: ulidGenerator(systemClock),
    config: loadConfig(),
  });
