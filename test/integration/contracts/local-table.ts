// The DynamoDB side of the contract suites: a table of its own, made from the one table definition, in the
// integration suite's DynamoDB Local (the shared sandbox's; nothing else reads these tables).
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, inject } from 'vitest';
import { ensureTable } from '#sandbox/create-table.ts';

const LOCAL = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

let admin: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.splice(0).map((table) => admin!.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined)));
  documents?.destroy();
  admin?.destroy();
  documents = admin = undefined;
});

/** A new, empty helpdesk table, and a document client configured as the functions' (dynamodb.ts). */
export const localTable = async (): Promise<{ client: DynamoDBDocumentClient; table: string }> => {
  const endpoint = inject('dynamoDbEndpoint');
  admin ??= new DynamoDBClient({ ...LOCAL, endpoint });
  documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const table = `contract-${randomUUID()}`;
  await ensureTable(admin, table);
  made.push(table);
  return { client: documents, table };
};
