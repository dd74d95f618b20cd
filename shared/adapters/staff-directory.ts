// DynamoDB implementation of the staff directory: one partition, `STAFF` / `MEMBER#<id>`, read whole with
// one Query (a desk's staff fit in one page many times over). Access patterns: table-definition.ts.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffDirectory, StaffMember, StaffRecord } from '#shared/domain/staff/staff.ts';
import {
  STAFF_MEMBER_PREFIX,
  STAFF_PARTITION,
  STAFF_RECORD_PREFIX,
  staffMemberKey,
  staffRecordKey,
  staffRecordPartition,
} from './table-keys.ts';

const MEMBER_FIELDS = ['id', 'name', 'email', 'role', 'teams', 'available', 'active', 'notifications', 'language', 'updatedAt'] as const;

const toMember = (item: Record<string, unknown>): StaffMember => {
  const member: Record<string, unknown> = {};
  for (const field of MEMBER_FIELDS) if (item[field] !== undefined) member[field] = item[field];
  return member as StaffMember;
};

export const createStaffDirectory = (client: DynamoDBDocumentClient, table: string): StaffDirectory => ({
  async list() {
    const members: StaffMember[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :staff AND begins_with(sk, :member)',
          ExpressionAttributeValues: { ':staff': STAFF_PARTITION, ':member': STAFF_MEMBER_PREFIX },
          ExclusiveStartKey: cursor,
        }),
      );
      members.push(...(page.Items ?? []).map(toMember));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return members;
  },

  async get(id) {
    const result = await client.send(new GetCommand({ TableName: table, Key: staffMemberKey(id) }));
    return result.Item ? toMember(result.Item) : undefined;
  },

  async save(member) {
    await client.send(new PutCommand({ TableName: table, Item: { ...staffMemberKey(member.id), entity: 'staff', ...member } }));
  },

  async saveWithRecords(member, records) {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { ...staffMemberKey(member.id), entity: 'staff', ...member } } },
          // A record is written once: a replayed id would be a bug, not a retry to absorb.
          ...records.map((record) => ({
            Put: {
              TableName: table,
              Item: { ...staffRecordKey(record.memberId, record.id), entity: 'staff-record', ...record },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        ],
      }),
    );
  },

  async records(memberId) {
    const records: StaffRecord[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :record)',
          ExpressionAttributeValues: { ':pk': staffRecordPartition(memberId), ':record': STAFF_RECORD_PREFIX },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const { pk: _pk, sk: _sk, entity: _entity, ...record } of page.Items ?? []) records.push(record as StaffRecord);
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return records;
  },
});
