// Builds the incidents consumer's ports once per cold start: the ticket services' ports and the claims that keep
// each child's write to once per parent event.
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import type { IncidentDeps } from '#shared/domain/tickets/major-incident.ts';
import { ticketDeps } from './ticket-deps.ts';

let deps: IncidentDeps | undefined;

export const incidentDeps = (): IncidentDeps =>
  (deps ??= { ...ticketDeps(), incidentClaims: createClaimStore(dynamoDocumentClient(), tableName(), CLAIM_SPACES.incident) });
