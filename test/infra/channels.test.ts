// Telegram and WhatsApp in the CDK app: the channels' credentials are SSM SecureStrings no template holds (no
// Secrets Manager secret at all), named and granted only for a channel that is on; and the chat queue's consumer,
// which reads the two platform tokens and nothing else, with the queue's dead-letter queue and the rule that feeds
// it a ticket's news.
import { describe, expect, it } from 'vitest';
import { type ChannelSecretName, channelSecretParameterEnv } from '#shared/adapters/channel-secrets.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { synthTemplates } from './build-test-app.ts';
import {
  asList,
  getAtt,
  logicalIdOf,
  resourceOf,
  resourcesOfType,
  ssmParameterArn,
  statementsOfRole,
  visibleMessagesAlarmsOf,
} from './template-queries.ts';

/** Every IAM statement of the app's templates. */
const allStatements = (templates: ReturnType<typeof synthTemplates>) =>
  [templates.statefulTemplate, templates.statelessTemplate, templates.httpFunctionsTemplate].flatMap((template) =>
    resourcesOfType(template, 'AWS::IAM::Policy').flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource?: unknown }[] }).Statement,
    ),
  );

const parameterArn = (name: ChannelSecretName) => ssmParameterArn(`helpdesk/dev/${name}`);

describe('Telegram and WhatsApp', () => {
  // Arrange (shared): one synthesis for the whole file.
  const app = synthTemplates();
  const { stateful, stateless, statefulTemplate, statelessTemplate } = app;
  const consumer = stateless.events.functions.get('queue/send-chat')!;
  const chat = stateless.events.queues.get('chat')!;

  it('keeps no secret in Secrets Manager and none in a template: one SecureString per value, named after the stage', () => {
    // Act
    const templates = [app.statefulTemplate, app.statelessTemplate, app.httpFunctionsTemplate];
    const names = Object.fromEntries(Object.entries(stateful.channelSecrets).map(([name, parameter]) => [name, parameter.parameterName]));

    // Assert: CloudFormation cannot make a SecureString; the admin puts each value (docs/channels.md).
    for (const template of templates) {
      expect(resourcesOfType(template, 'AWS::SecretsManager::Secret')).toEqual([]);
      expect(resourcesOfType(template, 'AWS::SSM::Parameter')).toEqual([]);
    }
    expect(names).toEqual({
      'telegram-bot-token': '/helpdesk/dev/telegram-bot-token',
      'telegram-webhook-secret': '/helpdesk/dev/telegram-webhook-secret',
      'whatsapp-app-secret': '/helpdesk/dev/whatsapp-app-secret',
      'whatsapp-verify-token': '/helpdesk/dev/whatsapp-verify-token',
      'whatsapp-access-token': '/helpdesk/dev/whatsapp-access-token',
    });
    expect(
      allStatements(app).filter((statement) => asList(statement.Action).some((action) => action.startsWith('secretsmanager:'))),
    ).toEqual([]);
    expect(Object.keys(statefulTemplate.findOutputs('*')).filter((id) => id.endsWith('SecretArn'))).toEqual([]);
  });

  it("names and grants no value of a channel the configuration leaves off, and only the other channel's", () => {
    // Arrange
    const config = structuredClone(loadConfig()) as { channels: Record<string, unknown> };
    delete config.channels.telegram;
    const noChat = structuredClone(config);
    delete noChat.channels.whatsapp;

    // Act
    const whatsappOnly = synthTemplates({ config });
    const off = synthTemplates({ config: noChat });
    const read = (templates: ReturnType<typeof synthTemplates>) =>
      allStatements(templates)
        .filter((statement) => asList(statement.Action).includes('ssm:GetParameter'))
        .flatMap((statement) => asList(statement.Resource))
        .map((resource) => JSON.stringify(resource))
        .filter((resource) => !resource.includes('signing-key'));

    // Assert
    expect(Object.keys(whatsappOnly.stateful.channelSecrets).sort()).toEqual([
      'whatsapp-access-token',
      'whatsapp-app-secret',
      'whatsapp-verify-token',
    ]);
    expect([...new Set(read(whatsappOnly))].sort()).toEqual(
      (['whatsapp-access-token', 'whatsapp-app-secret', 'whatsapp-verify-token'] as const)
        .map((name) => JSON.stringify(parameterArn(name)))
        .sort(),
    );
    expect(off.stateful.channelSecrets).toEqual({});
    expect(read(off)).toEqual([]);
  });

  it('lets the chat queue consumer read the bot token and the access token, on their exact ARNs, and no other value', () => {
    // Act
    const statements = statementsOfRole(statelessTemplate, logicalIdOf(stateless, consumer.role!));
    const read = statements.filter((statement) => asList(statement.Action).some((action) => /^(ssm|secretsmanager|kms):/.test(action)));
    const variables = (
      resourceOf(statelessTemplate, logicalIdOf(stateless, consumer)).Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;

    // Assert: GetParameter only (not by path, not PutParameter); no KMS grant (aws/ssm decrypts through SSM alone).
    expect(read).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: [parameterArn('telegram-bot-token'), parameterArn('whatsapp-access-token')],
      },
    ]);
    expect(variables[channelSecretParameterEnv('telegram-bot-token')]).toBe('/helpdesk/dev/telegram-bot-token');
    expect(variables[channelSecretParameterEnv('whatsapp-access-token')]).toBe('/helpdesk/dev/whatsapp-access-token');
    expect(Object.keys(variables).filter((name) => name.endsWith('_PARAMETER'))).toHaveLength(2);
  });

  it('gives up on a message only after an hour of retries, into a dead-letter queue with an alarm', () => {
    // Arrange
    const spec = QUEUES.find((queue) => queue.name === 'chat')!;

    // Act
    const queue = resourceOf(statelessTemplate, logicalIdOf(stateless, chat.queue!));

    // Assert
    expect(spec.maxReceiveCount * spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(3600);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt(logicalIdOf(stateless, chat.deadLetter.queue)),
      maxReceiveCount: spec.maxReceiveCount,
    });
    expect(visibleMessagesAlarmsOf(statelessTemplate, logicalIdOf(stateless, chat.deadLetter.queue))).toHaveLength(1);
  });

  it("feeds the chat queue a ticket's news through the notify-chat rule", () => {
    // Act
    const rule = stateless.events.rules.get('notify-chat')!;
    const targets = resourceOf(statelessTemplate, logicalIdOf(stateless, rule.rule)).Properties.Targets as { Arn: unknown }[];

    // Assert
    expect(targets.map((target) => target.Arn)).toEqual([getAtt(logicalIdOf(stateless, chat.queue!))]);
    expect(
      resourcesOfType(statelessTemplate, 'AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(logicalIdOf(stateless, chat.queue!)),
      }),
    ).toHaveLength(1);
  });
});
