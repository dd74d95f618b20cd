// Telegram and WhatsApp in the CDK app: their secrets (stateful, generated, retained, named in the outputs for
// the admin), and the chat queue's consumer, which reads the two platform tokens and nothing else, with the
// queue's dead-letter queue and the rule that feeds it a ticket's news.
import { describe, expect, it } from 'vitest';
import { CHANNEL_SECRET_NAMES, channelSecretArnEnv } from '#shared/adapters/channel-secrets.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { synthTemplates } from './build-test-app.ts';
import { asList, getAtt, logicalIdOf, resourceOf, resourcesOfType, statementsOfRole, visibleMessagesAlarmsOf } from './template-queries.ts';

describe('Telegram and WhatsApp', () => {
  // Arrange (shared): one synthesis for the whole file.
  const { stateful, stateless, statefulTemplate, statelessTemplate } = synthTemplates();
  const consumer = stateless.events.functions.get('queue/send-chat')!;
  const chat = stateless.events.queues.get('chat')!;

  it('keeps each channel secret in Secrets Manager, generated there (never in the template) and retained, its ARN an output', () => {
    // Act
    const secrets = CHANNEL_SECRET_NAMES.map((name) => resourceOf(statefulTemplate, logicalIdOf(stateful, stateful.channelSecrets[name])));
    const outputs = Object.keys(statefulTemplate.findOutputs('*'));

    // Assert
    for (const secret of secrets) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false });
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect((secret as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
    }
    expect(outputs).toEqual(
      expect.arrayContaining([
        'TelegramBotTokenSecretArn',
        'TelegramWebhookSecretSecretArn',
        'WhatsappAppSecretSecretArn',
        'WhatsappVerifyTokenSecretArn',
        'WhatsappAccessTokenSecretArn',
      ]),
    );
  });

  it('lets the chat queue consumer read the bot token and the access token, and no other secret', () => {
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
      stateless.resolve(stateful.channelSecrets['telegram-bot-token'].secretArn),
      stateless.resolve(stateful.channelSecrets['whatsapp-access-token'].secretArn),
    ]);
    expect(variables[channelSecretArnEnv('telegram-bot-token')]).toEqual(
      stateless.resolve(stateful.channelSecrets['telegram-bot-token'].secretArn),
    );
    expect(variables).not.toHaveProperty(channelSecretArnEnv('telegram-webhook-secret'));
    expect(variables).not.toHaveProperty(channelSecretArnEnv('whatsapp-app-secret'));
  });

  it('gives up on a message only after an hour of retries, into a dead-letter queue with an alarm', () => {
    // Arrange
    const spec = QUEUES.find((queue) => queue.name === 'chat')!;

    // Act
    const queue = resourceOf(statelessTemplate, logicalIdOf(stateless, chat.queue));

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
    expect(targets.map((target) => target.Arn)).toEqual([getAtt(logicalIdOf(stateless, chat.queue))]);
    expect(
      resourcesOfType(statelessTemplate, 'AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(logicalIdOf(stateless, chat.queue)) }),
    ).toHaveLength(1);
  });
});
