// Builds the real ports once per cold start: the DynamoDB stores, wall clock, ULIDs, validated config.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createRateLimits } from '#shared/adapters/rate-limits.ts';
import { createRoutingState } from '#shared/adapters/routing-state.ts';
import { createSlaSchedule } from '#shared/adapters/sla-schedule.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { createTicketNumbers } from '#shared/adapters/ticket-numbers.ts';
import { createTicketFilingStore, createTicketStore } from '#shared/adapters/ticket-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { TicketCreationDeps, TicketDeps } from '#shared/domain/tickets/deps.ts';

export type TicketStores = Pick<TicketDeps, 'tickets' | 'numbers' | 'rateLimits' | 'idempotencyKeys' | 'routing' | 'slaSchedule' | 'staff'>;

/** What filing a ticket writes beside it: its number, the requester's hourly limit, the Idempotency-Key's claim. */
const filingStores = (client: DynamoDBDocumentClient, table: string) => ({
  numbers: createTicketNumbers(client, table),
  rateLimits: createRateLimits(client, table),
  idempotencyKeys: createClaimStore(client, table, CLAIM_SPACES.idempotency),
});

/** Every store of the ticket services on one table (also for the seed, the bench and tests on a sandbox's table). */
export const ticketStores = (client: DynamoDBDocumentClient, table: string): TicketStores => ({
  tickets: createTicketStore(client, table),
  ...filingStores(client, table),
  routing: createRoutingState(client, table),
  slaSchedule: createSlaSchedule(client, table),
  staff: createStaffDirectory(client, table),
});

/** The process's clock, ids and validated configuration. */
const processPorts = () => ({ clock: systemClock, ids: ulidGenerator(systemClock), config: loadConfig() });

let deps: TicketDeps | undefined;
let creationDeps: TicketCreationDeps | undefined;

export const ticketDeps = (): TicketDeps => (deps ??= { ...ticketStores(dynamoDocumentClient(), tableName()), ...processPorts() });

/** Only what filing a ticket takes (the web chat's handoff): its bundle carries none of the other stores. */
export const ticketCreationDeps = (): TicketCreationDeps =>
  (creationDeps ??= {
    tickets: createTicketFilingStore(dynamoDocumentClient(), tableName()),
    ...filingStores(dynamoDocumentClient(), tableName()),
    ...processPorts(),
  });
