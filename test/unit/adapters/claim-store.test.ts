// The claim store's items on mocked DynamoDB: what a claim writes (its key, lock and time to live) and the
// conditions that make it safe. How claims behave is the contract suite's (test/integration/contracts/), run
// against DynamoDB Local and the in-memory fake alike.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_SPACES, completedClaimItem, createClaimStore } from '#shared/adapters/claim-store.ts';
import { ClaimLostError } from '#shared/domain/claims.ts';
import '#test/fixtures/aws-mock-matchers.ts';
import { T0 } from '#test/fixtures/clock.ts';

const TABLE = 'helpdesk-test';
const ddb = mockClient(DynamoDBDocumentClient);
const claims = createClaimStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE, CLAIM_SPACES.idempotency);
const now = new Date(T0);
const nowSeconds = Date.parse(T0) / 1000;
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => ddb.reset());

describe('the claim store', () => {
  it('claims a free key with a conditional put that is locked for a while and expires', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    const holder = await claims.claim('user-alice#key-1', now, { requestHash: 'abc123' });

    // Assert
    expect(holder).toEqual(expect.any(String));
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'IDEMPOTENCY#user-alice#key-1',
        sk: 'IDEMPOTENCY',
        entity: 'idempotency',
        state: 'in_progress',
        requestHash: 'abc123',
        claimId: holder,
        lockedUntil: nowSeconds + 30,
        expiresAt: nowSeconds + 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR lockedUntil < :now OR #ttl < :now',
    });
  });

  it('says undefined, without reading, when the key is held', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    expect(await claims.claim('user-alice#key-1', now)).toBeUndefined();
    expect(ddb.calls()).toHaveLength(1);
  });

  it('completes and releases only for the holder, while the claim is in progress', async () => {
    // Arrange
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(DeleteCommand).rejects(conditionFailed());

    // Act
    const completed = claims.complete('user-alice#key-1', 'claim-1', { ticketId: 'T1' });
    const released = claims.release('user-alice#key-1', 'claim-1');

    // Assert
    await expect(completed).rejects.toBeInstanceOf(ClaimLostError);
    await expect(released).resolves.toBeUndefined();
    for (const command of [UpdateCommand, DeleteCommand])
      expect(ddb).toHaveReceivedCommandWith(command, {
        ConditionExpression: 'claimId = :holder AND attribute_exists(lockedUntil)',
        ExpressionAttributeValues: expect.objectContaining({ ':holder': 'claim-1' }),
      });
  });

  it('passes on a failure that is not a condition', async () => {
    ddb.on(PutCommand).rejects(new Error('throttled'));
    await expect(claims.claim('user-alice#key-1', now)).rejects.toThrow('throttled');
  });

  it('refuses a field that would overwrite the claim’s own attributes', async () => {
    await expect(claims.claim('k', now, { lockedUntil: '0' })).rejects.toThrow('not a claim field name');
    expect(() => completedClaimItem(TABLE, CLAIM_SPACES.statsEvent, 'E1', now, { 'a.b': 'x' })).toThrow('not a claim field name');
    expect(ddb.calls()).toHaveLength(0);
  });
});
