import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STREAM_VIEW, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/adapters/table-definition.ts';
import { EVENT_BUS_NAME, EVENT_SOURCE } from '#shared/events/bus-definition.ts';
import { synthTemplates } from './build-test-app.ts';
import { getAtt, logicalIdOf, resourcesOfType } from './template-queries.ts';

const TABLE_TYPE = 'AWS::DynamoDB::GlobalTable';

describe('StatefulStack: the helpdesk table', () => {
  // Arrange (shared): one synthesis for the whole file.
  const { statefulTemplate: template } = synthTemplates();

  it('has exactly one table', () => {
    // Act
    const tables = template.findResources(TABLE_TYPE);

    // Assert
    expect(Object.keys(tables)).toHaveLength(1);
  });

  it('uses the key schema from table-definition.ts', () => {
    // Act / Assert
    template.hasResourceProperties(TABLE_TYPE, {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('has every index from table-definition.ts, string-keyed, with its projection', () => {
    // Arrange
    const expectedIndexes = TABLE_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: index.projection,
        ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      },
    }));
    const expectedAttributes = [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      ...TABLE_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
    ].map((name) => ({ AttributeName: name, AttributeType: 'S' }));

    // Act / Assert
    template.hasResourceProperties(TABLE_TYPE, {
      GlobalSecondaryIndexes: Match.arrayEquals(expectedIndexes),
      AttributeDefinitions: Match.arrayEquals(expectedAttributes),
    });
  });

  it('is on-demand, streams NEW_AND_OLD_IMAGES and expires items by the TTL attribute', () => {
    // Act / Assert
    expect(STREAM_VIEW).toBe('NEW_AND_OLD_IMAGES');
    template.hasResourceProperties(TABLE_TYPE, {
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: STREAM_VIEW },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('has point-in-time recovery and deletion protection', () => {
    // Act / Assert
    template.hasResourceProperties(TABLE_TYPE, {
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('is retained when the stack is deleted or the resource replaced', () => {
    // Act / Assert
    template.hasResource(TABLE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('is encrypted at rest with a KMS key', () => {
    // Act / Assert
    template.hasResourceProperties(TABLE_TYPE, { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } });
  });
});

describe('StatefulStack: the event bus', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateful, statefulTemplate: template } = synthTemplates();

  it('is one custom bus named after EVENT_BUS_NAME and the stage', () => {
    // Act
    const buses = resourcesOfType(template, 'AWS::Events::EventBus');

    // Assert
    expect(buses).toHaveLength(1);
    expect(buses[0]!.Properties.Name).toBe(`${EVENT_BUS_NAME}-dev`);
  });

  it('takes the stage into its name, so that two stages can share an account', () => {
    // Act
    const { statefulTemplate: qaTemplate } = synthTemplates({ context: { stage: 'qa' } });

    // Assert
    qaTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: `${EVENT_BUS_NAME}-qa` });
  });

  it('has no resource policy (only IAM principals of this account may publish)', () => {
    // Act / Assert
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    expect(resourcesOfType(template, 'AWS::Events::EventBus')[0]!.Properties).not.toHaveProperty('Policy');
  });

  it("archives the helpdesk's own events for replay, for a bounded time", () => {
    // Arrange
    const busId = logicalIdOf(stateful, stateful.eventBus);

    // Act
    const archives = resourcesOfType(template, 'AWS::Events::Archive');

    // Assert
    expect(archives).toHaveLength(1);
    expect(archives[0]!.Properties).toMatchObject({
      SourceArn: getAtt(busId),
      EventPattern: { source: [EVENT_SOURCE] },
      RetentionDays: 30,
    });
  });
});
