// Where an import writes: the helpdesk table, through the same item shapes the ticket store writes (ticket-store.ts),
// each write conditional so that what is there already stays as it is. History items are marked unpublished
// (history-item.ts), so the table's stream does not put them on the bus; staff reads go back to the ticket's
// audit records, where the desk keeps them. Access patterns: table-definition.ts.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportTarget } from '#shared/domain/portability/import-tickets.ts';
import { UNPUBLISHED_ATTRIBUTE } from './history-item.ts';
import { importedKey, numberKey, TICKET_COUNTER_KEY } from './table-keys.ts';
import { cancellationCodes, storedEventItem, ticketItem } from './ticket-store.ts';

/** Items written at once: DynamoDB Local and a fresh on-demand table both take this without throttling. */
const CONCURRENCY = 8;

const ignoreExisting = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const createImportTarget = (client: DynamoDBDocumentClient, table: string): ImportTarget => ({
  async importedAs(system, sourceId) {
    const result = await client.send(new GetCommand({ TableName: table, Key: importedKey(system, sourceId), ConsistentRead: true }));
    return typeof result.Item?.ticketId === 'string' ? result.Item.ticketId : undefined;
  },

  async writeEvents(events) {
    for (let start = 0; start < events.length; start += CONCURRENCY)
      await Promise.all(
        events.slice(start, start + CONCURRENCY).map((event) =>
          client
            .send(
              new PutCommand({
                TableName: table,
                Item: { ...storedEventItem(event), [UNPUBLISHED_ATTRIBUTE]: true },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            )
            .catch(ignoreExisting),
        ),
      );
  },

  async writeTicket(ticket, marker) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: table,
                Item: { ...numberKey(ticket.number), entity: 'ticket-number', ticketId: ticket.id },
                ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
                ExpressionAttributeValues: { ':id': ticket.id },
              },
            },
            ...(marker
              ? [
                  {
                    Put: {
                      TableName: table,
                      Item: { ...importedKey(marker.system, marker.sourceId), entity: 'imported', ticketId: ticket.id },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed' || codes[2] === 'ConditionalCheckFailed') return 'exists';
      if (codes[1] === 'ConditionalCheckFailed') return 'number-taken';
      throw error;
    }
  },

  async raiseCounter(number) {
    // Only ever up: a desk whose counter is past the imported numbers keeps counting from where it is.
    await client
      .send(
        new UpdateCommand({
          TableName: table,
          Key: TICKET_COUNTER_KEY,
          UpdateExpression: 'SET #value = :number',
          ConditionExpression: 'attribute_not_exists(#value) OR #value < :number',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':number': number },
        }),
      )
      .catch(ignoreExisting);
  },
});
