// DynamoDB side of chat conversations: CHAT#<session id> / SESSION, one item per conversation, written
// under its version and deleted by the table's TTL once idle (access patterns: table-definition.ts).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ChatSession, ChatSessionConflict, type ChatSessionStore } from '#shared/domain/chat/session.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';

const sessionKey = (id: string) => ({ pk: `CHAT#${id}`, sk: 'SESSION' });

export const createChatSessionStore = (client: DynamoDBDocumentClient, table: string): ChatSessionStore => ({
  async getSession(id) {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: sessionKey(id) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: expiresAt, ...session } = Item;
    return { ...session, expiresAt } as ChatSession;
  },

  async saveSession(session, expectedVersion) {
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          // The session's expiry is the table's TTL attribute: DynamoDB deletes the conversation once idle.
          Item: { ...sessionKey(session.id), entity: 'chat-session', ...session, [TTL_ATTRIBUTE]: session.expiresAt },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
          ...(expectedVersion === 0
            ? {}
            : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ChatSessionConflict(session.id);
      throw error;
    }
  },
});
