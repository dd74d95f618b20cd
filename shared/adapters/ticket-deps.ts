// Builds the real ports once per cold start: DynamoDB repository, wall clock, ULIDs, validated config.
import { loadConfig } from '#shared/config/load-config.ts';
import type { TicketDeps } from '#shared/domain/deps.ts';
import { systemClock, ulidGenerator } from './clock.ts';
import { dynamoDocumentClient, tableName } from './dynamodb.ts';
import { createTicketRepository } from './ticket-repository.ts';

let deps: TicketDeps | undefined;

export const ticketDeps = (): TicketDeps =>
  (deps ??= {
    repo: createTicketRepository(dynamoDocumentClient(), tableName()),
    clock: systemClock,
    ids: ulidGenerator(systemClock),
    config: loadConfig(),
  });
