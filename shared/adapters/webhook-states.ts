// DynamoDB implementation of the webhook subscriptions' state: one item per subscription that a receiver
// switched off with 410 Gone (WEBHOOKSTATE#<id> / STATE). Access patterns: table-definition.ts.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DisabledWebhook, WebhookStates } from '#shared/domain/webhooks/webhooks.ts';
import { webhookStateKey } from './table-keys.ts';

export const createWebhookStates = (client: DynamoDBDocumentClient, table: string): WebhookStates => ({
  async disabled(id) {
    const result = await client.send(new GetCommand({ TableName: table, Key: webhookStateKey(id), ConsistentRead: true }));
    const item = result.Item;
    if (!item || typeof item.url !== 'string') return undefined;
    return { url: item.url, at: String(item.at), status: Number(item.status) } satisfies DisabledWebhook;
  },

  async disable(id, state) {
    await client.send(new PutCommand({ TableName: table, Item: { ...webhookStateKey(id), entity: 'webhook-state', ...state } }));
  },
});
