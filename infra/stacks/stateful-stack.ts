// Stateful stack: what holds data and must outlive any deployment of the code. Kept apart from the
// stateless stack so that code can be destroyed and redeployed freely without touching the data.
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { STREAM_VIEW, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/adapters/table-definition.ts';
import { EVENT_BUS_NAME, EVENT_SOURCE } from '#shared/events/event-bus.ts';

export type StatefulStackProps = StackProps & {
  /** Deployment stage; qualifies the names that must be unique in an account (the event bus). */
  stage: string;
};

/** The bus's name in AWS: `helpdesk-<stage>`, so that two stages can share one account and region. */
export const eventBusNameFor = (stage: string) => `${EVENT_BUS_NAME}-${stage}`;

/** How long the bus's archive keeps events for replay. */
export const EVENT_ARCHIVE_RETENTION = Duration.days(30);

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class StatefulStack extends Stack {
  /** The one helpdesk table (keys, indexes and TTL from shared/adapters/table-definition.ts). */
  readonly table: dynamodb.TableV2;
  /** The custom bus every ticket event is published on (rules of the stateless stack and of other systems). */
  readonly eventBus: events.EventBus;
  /** Copies of the helpdesk's own events, for replay onto the bus after a consumer's fault is fixed. */
  readonly eventArchive: events.Archive;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
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

    // The bus lives here, not with the code, because what attaches to it must survive a redeploy of the
    // stateless stack: other systems' rules (ERP, webhooks) subscribe to it by name, and its archive holds
    // events. Named after EVENT_BUS_NAME with the stage appended: a fixed name would make a second stage in
    // the same account fail to deploy. Default encryption (an AWS owned key), no resource policy: only this
    // account's principals that IAM allows events:PutEvents on it (publish-events alone) can publish.
    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: eventBusNameFor(props.stage),
      description: 'Helpdesk ticket events (one per history item), published from the table stream',
    });
    // Replay after an incident: when a consumer's bug dead-lettered or mishandled events, the archive can
    // replay the window onto the bus once the fix is deployed (consumers are idempotent on the event id).
    // 30 days covers any incident that is noticed and fixed; the history items in the table remain the
    // permanent record, so the archive does not need to keep events (and the requesters' words in them)
    // any longer than that.
    this.eventArchive = this.eventBus.archive('EventArchive', {
      description: "The helpdesk's own ticket events, kept for replay",
      eventPattern: { source: [EVENT_SOURCE] },
      retention: EVENT_ARCHIVE_RETENTION,
    });
  }
}
