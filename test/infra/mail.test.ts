// Outbound mail in the CDK app: the signing key and the sender's SES identity (stateful), the configuration
// set and the notify consumer's rights (stateless): send from the sender's identity with that set, read
// that key, nothing more; and no other function may send mail or read the key.
import { describe, expect, it } from 'vitest';
import { MAIL_QUEUE } from '#infra/constructs/event-processing.ts';
import { SES_CONFIGURATION_SET_ENV } from '#shared/adapters/mailer.ts';
import { SIGNING_KEY_PARAMETER_ENV } from '#shared/adapters/signing-key.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { RULES } from '#shared/events/rules.ts';
import { SCHEDULES } from '#shared/events/schedules.ts';
import { synthTemplates } from './build-test-app.ts';
import {
  asList,
  getAtt,
  logicalIdOf,
  resourceOf,
  resourcesOfType,
  type Statement,
  ssmParameterArn,
  statementsOfRole,
} from './template-queries.ts';

const SENDER = loadConfig().organisation.senderAddress;
const DOMAIN = SENDER.split('@')[1]!;

describe('StatefulStack: what mail needs to outlive a deployment', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateful, statefulTemplate: template } = synthTemplates();

  it('keeps the signing key out of the template and out of Secrets Manager: an SSM parameter per stage, made by notify', () => {
    // Act
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    const parameters = template.findResources('AWS::SSM::Parameter');

    // Assert: no secret at all (the chat channels' credentials are SecureStrings too, test/infra/channels.test.ts); no
    // resource holds the key, so no deployment or stack deletion can replace it (CloudFormation cannot make a SecureString anyway).
    expect(secrets).toEqual({});
    expect(parameters).toEqual({});
    expect(stateful.signingKey.parameterName).toBe('/helpdesk/dev/signing-key');
    expect(stateful.resolve(stateful.signingKey.parameterArn)).toEqual(ssmParameterArn('helpdesk/dev/signing-key'));
  });

  it("makes the sender's domain an SES identity with DKIM, retained, and prints its DNS records", () => {
    // Act
    const identities = template.findResources('AWS::SES::EmailIdentity');

    // Assert
    const [identity] = Object.values(identities) as { Properties: Record<string, unknown>; DeletionPolicy: string }[];
    expect(Object.keys(identities)).toHaveLength(1);
    expect(identity!.Properties.EmailIdentity).toBe(DOMAIN);
    expect(identity!.DeletionPolicy).toBe('Retain');
    expect(Object.keys(template.findOutputs('*')).filter((id) => id.startsWith('MailDkimRecord'))).toHaveLength(3);
  });

  it('leaves an identity the account already has alone (context mailIdentity=existing)', () => {
    // Act
    const { statefulTemplate } = synthTemplates({ context: { mailIdentity: 'existing' } });

    // Assert
    statefulTemplate.resourceCountIs('AWS::SES::EmailIdentity', 0);
    statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});

describe('StatelessStack: the notify consumer', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateful, stateless, statelessTemplate: template } = synthTemplates();
  const processing = stateless.events;
  const notify = processing.queues.get(MAIL_QUEUE)!;
  const idOf = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(stateless, construct);
  const roleStatements = (key: string): Statement[] => statementsOfRole(template, idOf(processing.functions.get(key)!.role!));
  const notifyKey = `queue/${notify.spec.handler}`;
  const parameterArn = stateless.resolve(stateful.signingKey.parameterArn) as unknown;
  const configurationSetId = idOf(processing.mail.configurationSet);

  it('has a configuration set that suppresses bounced and complaining addresses and counts events per kind', () => {
    // Act
    const properties = resourceOf(template, configurationSetId).Properties;
    const destinations = resourcesOfType(template, 'AWS::SES::ConfigurationSetEventDestination');

    // Assert
    expect(properties).toMatchObject({
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
    expect(destinations).toHaveLength(1);
    expect(destinations[0]!.Properties).toMatchObject({
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: expect.arrayContaining(['send', 'delivery', 'bounce', 'complaint', 'reject']),
        CloudWatchDestination: {
          DimensionConfigurations: [expect.objectContaining({ DimensionName: 'kind', DimensionValueSource: 'messageTag' })],
        },
      },
    });
  });

  it('sends with that configuration set and reads the signing key from its parameter', () => {
    // Act
    const variables = (resourceOf(template, idOf(notify.consumer)).Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;

    // Assert
    expect(variables[SES_CONFIGURATION_SET_ENV]).toEqual({ Ref: configurationSetId });
    expect(variables[SIGNING_KEY_PARAMETER_ENV]).toBe(stateful.signingKey.parameterName);
  });

  it("may send only from the sender's identities, only with the configuration set", () => {
    // Act
    const sesStatements = roleStatements(notifyKey).filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('ses:')),
    );

    // Assert
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]!.Action).toBe('ses:SendEmail');
    const resources = asList(sesStatements[0]!.Resource).map((resource) => JSON.stringify(resource));
    expect(resources).toHaveLength(3);
    expect(resources.filter((resource) => resource.includes(`:identity/${DOMAIN}"`))).toHaveLength(1);
    expect(resources.filter((resource) => resource.includes(`:identity/${SENDER}"`))).toHaveLength(1);
    expect(resources.filter((resource) => resource.includes(':configuration-set/') && resource.includes(configurationSetId))).toHaveLength(
      1,
    );
    expect(resources.some((resource) => resource.includes('*'))).toBe(false);
  });

  it('may read the signing key and put it once (the signer makes it), and nothing else in SSM or Secrets Manager', () => {
    // Act
    const statementsFor = (prefix: string) =>
      roleStatements(notifyKey).filter((statement) => asList(statement.Action).some((action) => action.startsWith(prefix)));

    // Assert
    expect(statementsFor('secretsmanager:')).toEqual([]);
    expect(statementsFor('ssm:')).toEqual([{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: parameterArn }]);
  });

  /** Scheduled jobs that mail (the trend digest): SES as the notify consumer has it, no signing key. */
  const mailingJobs = SCHEDULES.filter((spec) => spec.mails).map((spec) => `schedule/${spec.handler}`);

  it.each(mailingJobs)("%s may send only from the sender's identities with the configuration set, and not read the key", (key) => {
    // Act
    const statements = roleStatements(key);
    const ses = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('ses:')));

    // Assert
    expect(ses).toHaveLength(1);
    expect(ses[0]!.Action).toBe('ses:SendEmail');
    const resources = asList(ses[0]!.Resource).map((resource) => JSON.stringify(resource));
    expect(resources).toHaveLength(3);
    expect(resources.some((resource) => resource.includes('*'))).toBe(false);
    expect(
      statements
        .flatMap((statement) => asList(statement.Action))
        .filter((action) => action.startsWith('secretsmanager:') || action.startsWith('ssm:')),
    ).toEqual([]);
  });

  it.each([...processing.functions.keys()].filter((key) => key !== notifyKey && !mailingJobs.includes(key)))(
    '%s may neither send mail nor read the key',
    (key) => {
      // Act
      const statements = roleStatements(key);
      const actions = statements.flatMap((statement) => asList(statement.Action));
      const parametersRead = statements
        .filter((statement) => asList(statement.Action).includes('ssm:GetParameter'))
        .flatMap((statement) => asList(statement.Resource as unknown))
        .map((resource) => JSON.stringify(resource));

      // Assert: no mail; parameters only those its queue lists (the chat consumer's platform tokens), never the key.
      expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
      expect(actions.filter((action) => action.startsWith('ssm:') && action !== 'ssm:GetParameter')).toEqual([]);
      expect(parametersRead).toHaveLength(QUEUES.find((spec) => key === `queue/${spec.handler}`)?.secrets?.length ?? 0);
      expect(parametersRead.filter((resource) => resource.includes('signing-key'))).toEqual([]);
    },
  );

  it("keeps within SES's send rate: small batches, at most two consumers at a time", () => {
    // Act
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(idOf(notify.queue!)) });

    // Assert
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({ BatchSize: notify.spec.batchSize, ScalingConfig: { MaximumConcurrency: 2 } });
  });

  it('is fed by the notify rule only', () => {
    // Act
    const feeding = RULES.filter((rule) => rule.queue === MAIL_QUEUE).map((rule) => rule.name);

    // Assert
    expect(feeding).toEqual(['notify']);
    expect(QUEUES.find((queue) => queue.name === MAIL_QUEUE)).toMatchObject({ handler: 'notify', maxReceiveCount: 5 });
  });
});

describe('who may send mail', () => {
  const { statelessTemplate: template } = synthTemplates();

  it('sends only from the helpdesk address, whichever function sends', () => {
    // Act
    const statements = resourcesOfType(template, 'AWS::IAM::Policy').flatMap(
      (policy) => asList((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) as Statement[],
    );
    const sending = statements.filter((statement) => asList(statement.Action).some((action) => String(action).startsWith('ses:Send')));

    // Assert: notify and the trend digest, each bound to the sender address
    expect(sending.length).toBeGreaterThanOrEqual(2);
    for (const statement of sending)
      expect((statement as Statement & { Condition?: unknown }).Condition).toEqual({
        StringEquals: { 'ses:FromAddress': SENDER.toLowerCase() },
      });
  });
});
