// The router's state: an agent's load, counted on their queue index (gsi3), and each team's round-robin
// position, one small item per team.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingState } from '#shared/domain/routing/ports.ts';
import { agentQueue, roundRobinKey, WORKING_QUEUE_RANGE } from './table-keys.ts';

export const createRoutingState = (client: DynamoDBDocumentClient, table: string): RoutingState => ({
  async countActiveTickets(agentId) {
    // Working statuses are one range of the agent's partition: a COUNT Query reads no ticket.
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :agent AND gsi3sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':agent': agentQueue(agentId), ':from': WORKING_QUEUE_RANGE.from, ':to': WORKING_QUEUE_RANGE.to },
        Select: 'COUNT',
      }),
    );
    return result.Count ?? 0;
  },

  async getLastAssigned(team) {
    const result = await client.send(new GetCommand({ TableName: table, Key: roundRobinKey(team) }));
    return typeof result.Item?.agent === 'string' ? result.Item.agent : undefined;
  },

  async setLastAssigned(team, agentId) {
    await client.send(new PutCommand({ TableName: table, Item: { ...roundRobinKey(team), entity: 'routing', agent: agentId } }));
  },
});
