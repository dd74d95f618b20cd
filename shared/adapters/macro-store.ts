// DynamoDB side of macros (shared/domain/macros/macros.ts): every shared and personal macro in one partition,
// `MACROS / MACRO#<id>`, written under its version.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Macro, MacroStore } from '#shared/domain/macros/macros.ts';
import { MACRO_PARTITION, macroKey } from './table-keys.ts';

const toMacro = ({ pk: _pk, sk: _sk, entity: _entity, ...macro }: Record<string, unknown>) => macro as Macro;

const versionCondition = (expectedVersion: number) =>
  expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };

const conditional = async (write: () => Promise<unknown>) => {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

export const createMacroStore = (client: DynamoDBDocumentClient, table: string): MacroStore => ({
  async listMacros() {
    const macros: Macro[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :macro)',
          ExpressionAttributeValues: { ':pk': MACRO_PARTITION, ':macro': 'MACRO#' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) macros.push(toMacro(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return macros;
  },

  async getMacro(id) {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: macroKey(id) }));
    return Item ? toMacro(Item) : undefined;
  },

  putMacro: (macro, expectedVersion) =>
    conditional(() =>
      client.send(
        new PutCommand({
          TableName: table,
          Item: { ...macroKey(macro.id), entity: 'macro', ...macro },
          ...versionCondition(expectedVersion),
        }),
      ),
    ),

  // Always on the version: a macro that is not there is not deleted (false), whatever the version asked.
  deleteMacro: (id, expectedVersion) =>
    conditional(() =>
      client.send(
        new DeleteCommand({
          TableName: table,
          Key: macroKey(id),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    ),
});
