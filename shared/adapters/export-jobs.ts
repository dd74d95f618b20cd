// DynamoDB implementation of the exports' records: `EXPORT#<id> / EXPORT` (the export and its checkpoint) and
// `EXPORT#LATEST / POINTER` (which export is the latest), each write conditional so that two starts or two
// worker runs never both win. Access patterns: table-definition.ts.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportJob, ExportJobs } from '#shared/domain/portability/export-tickets.ts';
import { exportKey, LATEST_EXPORT_KEY } from './table-keys.ts';

const JOB_FIELDS = [
  'id',
  'status',
  'requestedBy',
  'startedAt',
  'updatedAt',
  'finishedAt',
  'key',
  'uploadId',
  'parts',
  'cursor',
  'counts',
  'runs',
  'version',
] as const satisfies readonly (keyof ExportJob)[];

const toJob = (item: Record<string, unknown>): ExportJob => {
  const job: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) if (item[field] !== undefined) job[field] = item[field];
  return job as ExportJob;
};

const jobItem = (job: ExportJob) => ({ ...exportKey(job.id), entity: 'export', ...job });

export const createExportJobs = (client: DynamoDBDocumentClient, table: string): ExportJobs => {
  const get = async (id: string) => {
    const result = await client.send(new GetCommand({ TableName: table, Key: exportKey(id), ConsistentRead: true }));
    return result.Item ? toJob(result.Item) : undefined;
  };
  return {
    get,

    async latest() {
      const pointer = await client.send(new GetCommand({ TableName: table, Key: LATEST_EXPORT_KEY, ConsistentRead: true }));
      const id = pointer.Item?.exportId;
      return typeof id === 'string' ? get(id) : undefined;
    },

    async start(job, previous) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table, Item: jobItem(job), ConditionExpression: 'attribute_not_exists(pk)' } },
              {
                Put: {
                  TableName: table,
                  Item: { ...LATEST_EXPORT_KEY, entity: 'export-pointer', exportId: job.id },
                  ...(previous
                    ? { ConditionExpression: 'exportId = :previous', ExpressionAttributeValues: { ':previous': previous } }
                    : { ConditionExpression: 'attribute_not_exists(pk)' }),
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },

    async save(job) {
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: jobItem(job),
            ConditionExpression: '#version = :previous',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':previous': job.version - 1 },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
};
