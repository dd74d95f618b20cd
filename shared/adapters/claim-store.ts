// The one DynamoDB claim store (port: shared/domain/claims.ts), in seven claim spaces:
//   IDEMPOTENCY#<caller>#<key> / IDEMPOTENCY   a create request's Idempotency-Key (completed in the ticket's transaction)
//   NOTIFIED#<event id> / NOTIFIED             the mail of one event
//   MAIL#<sha-256 of the Message-ID> / MAIL    one received mail
//   STATSEVENT#<event id> / STATSEVENT         an event counted in the statistics (written done, in the counters' transaction)
//   CHATIN#<channel>:<delivery id> / CHATIN    one delivery of a chat platform's webhook (Telegram update, WhatsApp message)
//   CHATSENT#<message id> / CHATSENT           one message to a chat (Telegram, WhatsApp)
//   WEBHOOK#<subscription>#<event id> / WEBHOOK  one event delivered to one webhook subscription
//   INCIDENT#<event id>#<child id> / INCIDENT  a major incident's update written to one child
// An item is in progress while it has `lockedUntil`; completing removes it. The conditions test `lockedUntil`
// rather than `state`, so items written before this store (whose in-progress states had other names) keep
// their meaning. Why a store of our own and not Powertools idempotency: docs/decisions.md.
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ClaimFields, ClaimLostError, type ClaimRecord, type ClaimStore, type HeldClaim } from '#shared/domain/claims.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import { type ClaimPrefix, claimKey } from './table-keys.ts';

export type ClaimSpace = {
  prefix: ClaimPrefix;
  /** The item's `entity` attribute, for people reading the table. */
  entity: string;
  /** How long a holder may work before another may take its claim over. */
  lockSeconds: number;
  /** How long a claim is kept (DynamoDB's TTL deletes it after; the conditions ignore it from then on). */
  ttlSeconds: number;
};

export const CLAIM_SPACES = {
  /** A replay returns the first response for 24 hours (Stripe and the IETF draft use 24 hours); a create
   *  request that died is taken over after 30 s. */
  idempotency: { prefix: 'IDEMPOTENCY', entity: 'idempotency', lockSeconds: 30, ttlSeconds: 24 * 3600 },
  /** Longer than the bus archive keeps events (30 days), so replaying the archive or redriving a DLQ (14 days)
   *  mails nobody twice. The lock equals the notify queue's visibility timeout: the died attempt's message is
   *  visible again only once its claim can be taken over. */
  notification: { prefix: 'NOTIFIED', entity: 'notification', lockSeconds: 120, ttlSeconds: 35 * 86_400 },
  /** Longer than SES and Lambda go on retrying one delivery; the lock is past the inbound function's timeout. */
  inboundMail: { prefix: 'MAIL', entity: 'mail', lockSeconds: 300, ttlSeconds: 30 * 86_400 },
  /** Longer than the bus archive (30 days) and the DLQs (14 days) keep anything: a replay counts nothing twice.
   *  Written done at once, so it has no lock. */
  statsEvent: { prefix: 'STATSEVENT', entity: 'stats-event', lockSeconds: 0, ttlSeconds: 35 * 86_400 },
  /** One delivery from a chat platform (a Telegram update, a WhatsApp message id). Meta retries a webhook for up
   *  to 7 days, so it is kept 8; the lock outlasts the webhook function's 10 s timeout. */
  chatInbound: { prefix: 'CHATIN', entity: 'chat-inbound', lockSeconds: 30, ttlSeconds: 8 * 86_400 },
  /** One message to a chat (a bot's answer, a ticket's news). Kept as long as the notification claims, for the same
   *  replays; the lock equals the chat queue's visibility timeout, as the notification claim's does. */
  chatOutbound: { prefix: 'CHATSENT', entity: 'chat-outbound', lockSeconds: 60, ttlSeconds: 35 * 86_400 },
  /** One delivery of an event to one webhook subscription. Kept as long as the bus archive and the DLQs keep the
   *  event, so a replay or redrive delivers nothing twice; the lock equals the webhooks queue's visibility timeout. */
  webhook: { prefix: 'WEBHOOK', entity: 'webhook-delivery', lockSeconds: 180, ttlSeconds: 35 * 86_400 },
  /** A major incident's update written to one child: as long as the bus archive and the DLQs keep the event; the
   *  lock equals the incidents queue's visibility timeout. */
  incident: { prefix: 'INCIDENT', entity: 'incident', lockSeconds: 60, ttlSeconds: 35 * 86_400 },
} as const satisfies Record<string, ClaimSpace>;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const OWN_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'state', 'claimId', 'lockedUntil', TTL_ATTRIBUTE]);
const FIELD_NAME = /^[a-z][A-Za-z0-9]*$/;

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const checkFields = (fields: ClaimFields) => {
  // Field names come from the domain, never from input; refuse anything that could clash with the item's own.
  for (const name of Object.keys(fields))
    if (!FIELD_NAME.test(name) || OWN_ATTRIBUTES.has(name)) throw new Error(`not a claim field name: ${name}`);
  return fields;
};

/** Free; or locked by a holder whose lock ran out; or expired but not yet deleted by TTL. */
const CLAIMABLE = 'attribute_not_exists(pk) OR lockedUntil < :now OR #ttl < :now';
/** In progress, and held by this holder. */
const HELD = 'claimId = :holder AND attribute_exists(lockedUntil)';

const completion = (table: string, space: ClaimSpace, claim: HeldClaim, fields: ClaimFields) => {
  const names: Record<string, string> = { '#state': 'state' };
  const values: Record<string, unknown> = { ':completed': 'completed', ':holder': claim.holder };
  const sets = Object.entries(checkFields(fields)).map(([name, value], index) => {
    names[`#f${index}`] = name;
    values[`:f${index}`] = value;
    return `, #f${index} = :f${index}`;
  });
  return {
    TableName: table,
    Key: claimKey(space.prefix, claim.key),
    UpdateExpression: `SET #state = :completed${sets.join('')} REMOVE lockedUntil`,
    ConditionExpression: HELD,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** The completion of a held claim as one item of a transaction: the transaction fails if the claim was lost. */
export const claimCompletionItem = (table: string, space: ClaimSpace, claim: HeldClaim, fields: ClaimFields = {}): TransactItem => ({
  Update: completion(table, space, claim, fields),
});

/**
 * A claim taken and completed at once, as one item of a transaction: the transaction fails if the key was
 * claimed already (statistics: the counters change only with the event's first marker).
 */
export const completedClaimItem = (table: string, space: ClaimSpace, key: string, now: Date, fields: ClaimFields = {}): TransactItem => ({
  Put: {
    TableName: table,
    Item: {
      ...claimKey(space.prefix, key),
      entity: space.entity,
      state: 'completed',
      ...checkFields(fields),
      [TTL_ATTRIBUTE]: seconds(now) + space.ttlSeconds,
    },
    ConditionExpression: CLAIMABLE,
    ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
    ExpressionAttributeValues: { ':now': seconds(now) },
  },
});

/**
 * A claim taken by `holder`, in progress, as one item of a transaction: the transaction fails unless the key is
 * claimable (free, expired, or its holder's lock ran out), as `claim` would.
 */
export const newClaimItem = (table: string, space: ClaimSpace, key: string, holder: string, now: Date, fields: ClaimFields = {}) =>
  ({
    Put: {
      TableName: table,
      Item: {
        ...claimKey(space.prefix, key),
        entity: space.entity,
        state: 'in_progress',
        ...checkFields(fields),
        claimId: holder,
        lockedUntil: seconds(now) + space.lockSeconds,
        [TTL_ATTRIBUTE]: seconds(now) + space.ttlSeconds,
      },
      ConditionExpression: CLAIMABLE,
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':now': seconds(now) },
    },
  }) satisfies TransactItem;

/** BatchGetItem reads at most this many keys a call. */
const BATCH_GET_MAX = 100;

/** Reads many items by key, a hundred a call, asking again for what DynamoDB left unprocessed (throttling). */
export const batchGet = async (
  client: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection?: { expression: string; names?: Record<string, string> },
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_MAX) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_MAX);
    for (let round = 0; pending && pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** round)));
      const result: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ...(projection ? { ProjectionExpression: projection.expression } : {}),
              ...(projection?.names ? { ExpressionAttributeNames: projection.names } : {}),
            },
          },
        }),
      );
      items.push(...(result.Responses?.[table] ?? []));
      pending = result.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
};

const ignoreConditionFailure = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const createClaimStore = (client: DynamoDBDocumentClient, table: string, space: ClaimSpace): ClaimStore => ({
  async claim(key, now, fields = {}) {
    const holder = randomUUID();
    try {
      await client.send(new PutCommand(newClaimItem(table, space, key, holder, now, fields).Put!));
      return holder;
    } catch (error) {
      ignoreConditionFailure(error);
      return undefined;
    }
  },

  async read(key): Promise<ClaimRecord | undefined> {
    const { Item: item } = await client.send(new GetCommand({ TableName: table, Key: claimKey(space.prefix, key), ConsistentRead: true }));
    if (!item) return undefined;
    const fields = Object.fromEntries(
      Object.entries(item)
        .filter(([name]) => !OWN_ATTRIBUTES.has(name))
        .map(([name, value]) => [name, String(value)]),
    );
    return { state: item.lockedUntil === undefined ? 'completed' : 'in_progress', fields };
  },

  async completedAmong(keys) {
    const prefix = `${space.prefix}#`;
    const items = await batchGet(
      client,
      table,
      [...new Set(keys)].map((key) => claimKey(space.prefix, key)),
      { expression: 'pk, lockedUntil' },
    );
    return new Set(items.filter((item) => item.lockedUntil === undefined).map((item) => String(item.pk).slice(prefix.length)));
  },

  async complete(key, holder, fields = {}) {
    try {
      await client.send(new UpdateCommand(completion(table, space, { key, holder }, fields)));
    } catch (error) {
      ignoreConditionFailure(error);
      throw new ClaimLostError(key);
    }
  },

  async release(key, holder) {
    await client
      .send(
        new DeleteCommand({
          TableName: table,
          Key: claimKey(space.prefix, key),
          ConditionExpression: HELD,
          ExpressionAttributeValues: { ':holder': holder },
        }),
      )
      .catch(ignoreConditionFailure);
  },
});
