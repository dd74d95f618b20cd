// DynamoDB side of chat accounts (port: shared/domain/channels/chat-account.ts). Keys (table-keys.ts):
//   CHATUSER#<channel>#<user id> / ACCOUNT          the account, written under its version
//   CHATUSER#<channel>#<user id> / MSG#<message id> a message the desk sent about a ticket (TTL 90 days)
//   CHATLINKS#<requester id> / LINK#<channel>#<user id>                 an account linked to the requester
//   CHATLINKS#<requester id> / TICKET#<ticket id>#<channel>#<user id>   a ticket that chat filed for them
// The requester's partition is what the chat queue reads to find a ticket's chats (one Query) and what
// erasure reads to find everything of a requester on the chat channels.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type ChatAccount, ChatAccountConflict, type ChatAccountStore } from '#shared/domain/channels/chat-account.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import {
  CHAT_LINK_PREFIX,
  CHAT_ORIGIN_PREFIX,
  chatAccountKey,
  chatLinkKey,
  chatLinksPartition,
  chatMessageKey,
  chatOriginKey,
  chatUserPartition,
  type ItemKey,
} from './table-keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A message map entry outlives any reply a person would still make to the message. */
const MESSAGE_TTL_SECONDS = 90 * 86_400;
/** A ticket origin outlives its ticket: closed tickets are kept 730 days by default (retention). */
const ORIGIN_TTL_SECONDS = 3 * 365 * 86_400;

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const toAccount = (item: Record<string, unknown>): ChatAccount => {
  const { pk: _pk, sk: _sk, entity: _entity, ...account } = item;
  return account as ChatAccount;
};

/** Every key of a partition (a few items: an account and its recent ticket messages, or a requester's links). */
const keysOf = async (client: DynamoDBDocumentClient, table: string, pk: string): Promise<ItemKey[]> => {
  const keys: ItemKey[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }),
    );
    keys.push(...((page.Items ?? []) as ItemKey[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
};

/**
 * Deletes the items, 25 at a time, one DeleteItem each: erasure's route is granted DeleteItem, not BatchWriteItem
 * (which would also allow puts), and a person has few items here.
 */
const deleteAll = async (client: DynamoDBDocumentClient, table: string, keys: ItemKey[]) => {
  for (let at = 0; at < keys.length; at += 25)
    await Promise.all(keys.slice(at, at + 25).map((key) => client.send(new DeleteCommand({ TableName: table, Key: key }))));
};

export const createChatAccountStore = (client: DynamoDBDocumentClient, table: string): ChatAccountStore => {
  const getAccount = async (channel: string, userId: string) => {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: chatAccountKey(channel, userId) }));
    return Item ? toAccount(Item) : undefined;
  };

  return {
    getAccount,

    async saveAccount(account, expectedVersion, previousRequesterId) {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: table,
            Item: { ...chatAccountKey(account.channel, account.userId), entity: 'chat-account', ...account },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
            ...(expectedVersion === 0
              ? {}
              : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
      ];
      const requesterId = account.requester?.id;
      if (requesterId !== previousRequesterId) {
        if (previousRequesterId)
          items.push({ Delete: { TableName: table, Key: chatLinkKey(previousRequesterId, account.channel, account.userId) } });
        if (requesterId && account.requester)
          items.push({
            Put: {
              TableName: table,
              Item: {
                ...chatLinkKey(requesterId, account.channel, account.userId),
                entity: 'chat-link',
                channel: account.channel,
                userId: account.userId,
                linkedVia: account.requester.linkedVia,
                linkedAt: account.requester.linkedAt,
              },
            },
          });
      }
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
          throw new ChatAccountConflict(`${account.channel}#${account.userId}`);
        throw error;
      }
    },

    async addTicketOrigin(account, requesterId, ticketId) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...chatOriginKey(requesterId, ticketId, account.channel, account.userId),
            entity: 'chat-origin',
            channel: account.channel,
            userId: account.userId,
            ticketId,
            [TTL_ATTRIBUTE]: seconds(new Date()) + ORIGIN_TTL_SECONDS,
          },
        }),
      );
    },

    async isTicketOrigin(account, requesterId, ticketId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: table, Key: chatOriginKey(requesterId, ticketId, account.channel, account.userId) }),
      );
      return Item !== undefined;
    },

    async chatsFor(requesterId, ticketId) {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': chatLinksPartition(requesterId) },
        }),
      );
      const origin = `${CHAT_ORIGIN_PREFIX}${ticketId}#`;
      const chats = new Map<string, { channel: string; userId: string }>();
      for (const item of result.Items ?? []) {
        const sk = String(item.sk);
        if (sk.startsWith(CHAT_LINK_PREFIX) || sk.startsWith(origin))
          chats.set(`${item.channel}#${item.userId}`, { channel: String(item.channel), userId: String(item.userId) });
      }
      const accounts = await Promise.all([...chats.values()].map((chat) => getAccount(chat.channel, chat.userId)));
      return accounts.filter((account): account is ChatAccount => account !== undefined);
    },

    async recordSentMessage(channel, chatId, messageId, ticketId) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...chatMessageKey(channel, chatId, messageId),
            entity: 'chat-message',
            ticketId,
            [TTL_ATTRIBUTE]: seconds(new Date()) + MESSAGE_TTL_SECONDS,
          },
        }),
      );
    },

    async ticketOfMessage(channel, chatId, messageId) {
      const { Item } = await client.send(new GetCommand({ TableName: table, Key: chatMessageKey(channel, chatId, messageId) }));
      return Item ? String(Item.ticketId) : undefined;
    },

    async forgetRequester(requesterId) {
      const partition = chatLinksPartition(requesterId);
      const keys = await keysOf(client, table, partition);
      let unlinked = 0;
      for (const key of keys) {
        if (!key.sk.startsWith(CHAT_LINK_PREFIX)) continue;
        const [channel, userId] = key.sk.slice(CHAT_LINK_PREFIX.length).split('#') as [string, string];
        // The account and the desk's messages to it go: its id, name and conversation are the requester's.
        await deleteAll(client, table, await keysOf(client, table, chatUserPartition(channel, userId)));
        unlinked++;
      }
      await deleteAll(client, table, keys);
      return unlinked;
    },
  };
};
