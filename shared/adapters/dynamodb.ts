// One DynamoDB document client per process. The endpoint comes from the SDK's own variables
// (AWS_ENDPOINT_URL_DYNAMODB in the sandbox), so no code here knows whether it runs locally.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_NAME_ENV } from './table-definition.ts';

let documentClient: DynamoDBDocumentClient | undefined;

export const dynamoDocumentClient = (): DynamoDBDocumentClient =>
  (documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  }));

export const tableName = (): string => {
  const name = process.env[TABLE_NAME_ENV];
  if (!name) throw new Error(`${TABLE_NAME_ENV} is not set`);
  return name;
};
