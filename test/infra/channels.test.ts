// Telegram and WhatsApp in the CDK app: one secret per channel turned on (stateful, generated, retained, named in
// the outputs for the admin; none for a channel that is off), and the chat queue's consumer, which reads the two platform tokens and nothing else, with the
// queue's dead-letter queue and the rule that feeds it a ticket's news.
import { describe, expect, it } from 'vitest';
import { channelSecretArnEnv } from '#shared/adapters/channel-secrets.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { CHAT_CHANNELS } from '#shared/domain/channels/chat-account.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { synthTemplates } from './build-test-app.ts';
import { asList, getAtt, logicalIdOf, resourceOf, resourcesOfType, statementsOfRole, visibleMessagesAlarmsOf } from './template-queries.ts';

describe('Telegram and WhatsApp', () => {
  // Arrange (shared): one synthesis for the whole file.
  const { stateful, stateless, statefulTemplate, statelessTemplate } = synthTemplates();
  const consumer = stateless.events.functions.get('queue/send-chat')!;
  const chat = stateless.events.queues.get('chat')!;

  it('keeps one secret per channel turned on, generated there (never a value in the template) and retained, its ARN an output', () => {
    // Act
    const secrets = CHAT_CHANNELS.map((channel) => resourceOf(statefulTemplate, logicalIdOf(stateful, stateful.channelSecrets[channel]!)));
    const outputs = Object.keys(statefulTemplate.findOutputs('*'));

    // Assert: the desk makes up the webhook's secret and the verify token; the admin puts the platforms' values.
    expect(resourcesOfType(statefulTemplate, 'AWS::SecretsManager::Secret')).toHaveLength(2);
    expect(secrets.map((secret) => secret.Properties.GenerateSecretString)).toEqual([
      expect.objectContaining({ SecretStringTemplate: '{"botToken":""}', GenerateStringKey: 'webhookSecret', PasswordLength: 48 }),
      expect.objectContaining({ SecretStringTemplate: '{"appSecret":"","accessToken":""}', GenerateStringKey: 'verifyToken' }),
    ]);
    for (const secret of secrets) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true, IncludeSpace: false });
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect((secret as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
    }
    expect(outputs).toEqual(expect.arrayContaining(['TelegramSecretArn', 'WhatsappSecretArn']));
  });

  it('makes no secret, and grants none, for a channel the configuration leaves off', () => {
    // Arrange
    const config = structuredClone(loadConfig()) as { channels: Record<string, unknown> };
    delete config.channels.telegram;
    delete config.channels.whatsapp;

    // Act
    const off = synthTemplates({ config });
    const statements = [off.statelessTemplate, off.httpFunctionsTemplate].flatMap((template) =>
      resourcesOfType(template, 'AWS::IAM::Policy').flatMap(
        (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      ),
    );

    // Assert
    off.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(Object.keys(off.statefulTemplate.findOutputs('*')).filter((id) => id.endsWith('SecretArn'))).toEqual([]);
    expect(statements.filter((statement) => asList(statement.Action).includes('secretsmanager:GetSecretValue'))).toEqual([]);
  });

  it("lets the chat queue consumer read both channels' secrets (the bot token, the access token), and no other secret", () => {
    // Act
    const statements = statementsOfRole(statelessTemplate, logicalIdOf(stateless, consumer.role!));
    const read = statements
      .filter((statement) => asList(statement.Action).some((action) => action.startsWith('secretsmanager:')))
      .flatMap((statement) => [statement.Action, ...asList(statement.Resource as unknown[])]);
    const variables = (
      resourceOf(statelessTemplate, logicalIdOf(stateless, consumer)).Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;

    // Assert
    expect(read).toEqual([
      'secretsmanager:GetSecretValue',
      stateless.resolve(stateful.channelSecrets.telegram!.secretArn),
      stateless.resolve(stateful.channelSecrets.whatsapp!.secretArn),
    ]);
    expect(variables[channelSecretArnEnv('telegram')]).toEqual(stateless.resolve(stateful.channelSecrets.telegram!.secretArn));
    expect(variables[channelSecretArnEnv('whatsapp')]).toEqual(stateless.resolve(stateful.channelSecrets.whatsapp!.secretArn));
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
