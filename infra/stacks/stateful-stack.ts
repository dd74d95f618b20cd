// Stateful stack: what holds data and must outlive any deployment of the code. Kept apart from the
// stateless stack so that code can be destroyed and redeployed freely without touching the data.
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { STREAM_VIEW, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/adapters/table-definition.ts';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class StatefulStack extends Stack {
  /** The one helpdesk table (keys, indexes and TTL from shared/adapters/table-definition.ts). */
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // TableV2 (AWS::DynamoDB::GlobalTable) rather than Table: it is CDK's recommended table construct, and a
    // replica region can be added later without replacing the table (a Table -> TableV2 move would).
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      globalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection],
      })),
      // On demand: a helpdesk's traffic is spiky (Monday mornings, term starts) and small on average.
      billing: dynamodb.Billing.onDemand(),
      // The history items on the stream are the domain events; both images let consumers see the change.
      dynamoStream: dynamodb.StreamViewType[STREAM_VIEW],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // AWS managed key (aws/dynamodb) instead of the default AWS owned key: every use of the key is
      // visible in CloudTrail, at no monthly key cost and with no key policy for us to get wrong. A
      // customer managed key would add cost and key administration that this data does not require.
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    });
  }
}
