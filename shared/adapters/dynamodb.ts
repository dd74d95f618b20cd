// One DynamoDB document client per process. The endpoint comes from the SDK's own variables
// (AWS_ENDPOINT_URL_DYNAMODB in the sandbox), so no code here knows whether it runs locally.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_NAME_ENV } from './table-definition.ts';

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * How long a request may take: DynamoDB answers in milliseconds, so a connection not made in a second or an
 * answer not back in three is an outage, and three attempts (the SDK's backoff between them) end well inside
 * an HTTP function's 10 s, which then answers 503 with Retry-After (shared/http/problem.ts) instead of timing out.
 */
const DYNAMODB_CLIENT_SETTINGS = { maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } } as const;

/** A document client configured as the handlers' own; the bench's direct requests use a second one. */
export const newDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...DYNAMODB_CLIENT_SETTINGS, ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });

export const dynamoDocumentClient = (): DynamoDBDocumentClient => (documentClient ??= newDocumentClient());

export const tableName = (): string => {
  const name = process.env[TABLE_NAME_ENV];
  if (!name) throw new Error(`${TABLE_NAME_ENV} is not set`);
  return name;
};
