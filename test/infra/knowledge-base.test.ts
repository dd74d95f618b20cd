// The deploy-time seed of the default knowledge base (a custom resource whose function may only put items
// in the helpdesk table, and which runs again when the default articles change), and the answer bot's
// optional Bedrock permission.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { SEED_TABLE_ACCESS } from '#infra/constructs/knowledge-base-seed.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import articles from '#shared/kb/default-articles.json' with { type: 'json' };
import { synthTemplates } from './build-test-app.ts';
import { asList, type Resource, statementsOfRole } from './template-queries.ts';

describe('StatelessStack: the knowledge-base seed', () => {
  // Arrange (shared): one synthesis for the whole file.
  const { stateless, stateful, statelessTemplate: template } = synthTemplates();
  const seed = stateless.knowledgeBaseSeed;
  const logicalId = (element: unknown) => stateless.getLogicalId(element as CfnElement);
  const resources = template.toJSON().Resources as Record<string, Resource>;

  it('is a custom resource served by the seed function, keyed on a hash of the default articles', () => {
    // Act
    const resource = resources[logicalId(seed.resource.node.defaultChild)]!;

    // Assert
    expect(resource.Type).toBe('Custom::KnowledgeBaseSeed');
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [logicalId(seed.function.node.defaultChild), 'Arn'] },
      defaults: createHash('sha256').update(JSON.stringify(articles)).digest('hex'),
    });
  });

  it('runs the seed handler on nodejs22.x with the table name and two minutes', () => {
    // Act
    const fn = resources[logicalId(seed.function.node.defaultChild)]!;

    // Assert
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 120 });
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[TABLE_NAME_ENV]).toEqual(
      stateless.resolve(stateful.table.tableName),
    );
  });

  it('may only put items in the helpdesk table: no read, update, delete or scan', () => {
    // Act
    const statements = statementsOfRole(template, logicalId(seed.function.role!.node.defaultChild));
    const dynamo = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('dynamodb:')));

    // Assert
    expect(SEED_TABLE_ACCESS).toEqual({ tableActions: ['dynamodb:PutItem'], queryIndexes: [] });
    expect(dynamo).toEqual([{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: stateless.resolve(stateful.table.tableArn) }]);
  });
});

describe('StatelessStack: the answer bot and Amazon Bedrock', () => {
  const bedrockStatements = (config?: unknown) => {
    // The HTTP routes' functions and roles are in the stateless stack's nested HttpFunctions stack.
    const { stateless, httpFunctionsTemplate } = synthTemplates(config === undefined ? {} : { config });
    const roleOf = (handler: string) =>
      stateless.httpFunctions.getLogicalId(stateless.functions.get(handler)!.role!.node.defaultChild as CfnElement);
    const statements = (handler: string) =>
      statementsOfRole(httpFunctionsTemplate, roleOf(handler)).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('bedrock:')),
      );
    // The answer bot runs in the web chat and in the chat platforms' webhooks.
    const bots = ['chat', 'telegram-webhook', 'whatsapp-webhook'];
    return {
      chat: statements('chat'),
      channels: ['telegram-webhook', 'whatsapp-webhook'].map(statements),
      others: [...stateless.functions.keys()].filter((name) => !bots.includes(name)).flatMap(statements),
    };
  };

  it('grants no function Bedrock while generation is off (the default)', () => {
    // Act / Assert
    expect(bedrockStatements()).toEqual({ chat: [], channels: [[], []], others: [] });
  });

  it('lets the answer bot (the web chat and the chat webhooks), and nothing else, invoke the one configured model when generation is on', () => {
    // Arrange
    const raw = JSON.parse(readFileSync(new URL('../../shared/config/helpdesk.config.json', import.meta.url), 'utf8'));
    raw.knowledgeBase.generation = { enabled: true, modelId: 'amazon.nova-micro-v1:0', maxTokens: 300 };

    // Act
    const { chat, channels, others } = bedrockStatements(raw);

    // Assert
    expect(others).toEqual([]);
    expect(channels).toEqual([chat, chat]);
    expect(chat).toEqual([
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/amazon.nova-micro-v1:0'],
          ],
        },
      },
    ]);
  });
});
