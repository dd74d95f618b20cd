// Builds the webhook consumer's ports once per cold start: the claim store and the subscriptions' state on
// the table, the secrets, fetch, the wall clock and the validated configuration.
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { postWebhook } from '#shared/adapters/webhook-http.ts';
import { webhookSecret } from '#shared/adapters/webhook-secrets.ts';
import { createWebhookStates } from '#shared/adapters/webhook-states.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { WebhookDeps } from '#shared/domain/webhooks/webhooks.ts';

let deps: WebhookDeps | undefined;

export const webhookDeps = (): WebhookDeps =>
  (deps ??= {
    claims: createClaimStore(dynamoDocumentClient(), tableName(), CLAIM_SPACES.webhook),
    states: createWebhookStates(dynamoDocumentClient(), tableName()),
    secret: (name) => webhookSecret(name),
    post: postWebhook,
    clock: systemClock,
    config: loadConfig(),
  });
