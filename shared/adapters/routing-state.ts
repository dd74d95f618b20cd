// The router's state: an agent's working tickets, read on their queue index (gsi3), and each team's turn, one
// small item per team that every assignment writes under its version (ticket-store.ts puts it in the
// ticket's transaction through turnItem).
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingState, TurnUpdate } from '#shared/domain/routing/ports.ts';
import { agentQueue, roundRobinKey, WORKING_QUEUE_RANGE } from './table-keys.ts';

/** The team's turn as the assignment leaves it, on the condition that nobody moved it since it was read. */
export const turnItem = (table: string, turn: TurnUpdate) => ({
  Put: {
    TableName: table,
    Item: { ...roundRobinKey(turn.team), entity: 'routing', agent: turn.last, version: turn.expectedVersion + 1, recent: turn.recent },
    // Version 0: never written, or written before turns had versions (then only `agent` is there).
    ConditionExpression: turn.expectedVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version' },
    ...(turn.expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': turn.expectedVersion } }),
  },
});

export const createRoutingState = (client: DynamoDBDocumentClient, table: string): RoutingState => ({
  async activeTickets(agentId) {
    // Working statuses are one range of the agent's partition; only the ids come back.
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :agent AND gsi3sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':agent': agentQueue(agentId), ':from': WORKING_QUEUE_RANGE.from, ':to': WORKING_QUEUE_RANGE.to },
          ProjectionExpression: 'id',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.id));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  },

  async getTurn(team) {
    const result = await client.send(new GetCommand({ TableName: table, Key: roundRobinKey(team), ConsistentRead: true }));
    const item = result.Item ?? {};
    return {
      team,
      last: typeof item.agent === 'string' ? item.agent : undefined,
      version: typeof item.version === 'number' ? item.version : 0,
      recent: Array.isArray(item.recent) ? (item.recent as { ticketId: string; agent: string; at: string }[]) : [],
    };
  },
});
