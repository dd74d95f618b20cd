// Sign-in in the CDK app: the Cognito user pool of the stateful stack (retained, deletion-protected), its
// groups and the teams attribute the app reads, the hosted domain, the web and machine app clients, the
// context that shapes them, and the cdk-nag findings that are fixed or acknowledged with a reason.
import { Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import { NagRuleCompliance, rules } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { MACHINE_SCOPES, RESOURCE_SERVER_ID, TEAMS_ATTRIBUTE } from '#infra/constructs/helpdesk-user-pool.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { ROLES } from '#shared/domain/access/identity.ts';
import { buildTestApp, synthTemplates } from './build-test-app.ts';
import { logicalIdOf, type Resource, resourceOf, resourcesOfType } from './template-queries.ts';

const POOL = 'AWS::Cognito::UserPool';
const CLIENT = 'AWS::Cognito::UserPoolClient';
const SENDER_DOMAIN = loadConfig().organisation.senderAddress.split('@')[1]!;

describe('StatefulStack: the user pool', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateful, statefulTemplate: template } = synthTemplates();
  const users = stateful.users;
  const poolId = logicalIdOf(stateful, users.userPool);
  const pool = () => resourceOf(template, poolId) as Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string };
  const clientOf = (client: cognito.UserPoolClient) => resourceOf(template, logicalIdOf(stateful, client)).Properties;

  it('is the only user pool, in the stateful stack', () => {
    // Act / Assert
    expect(resourcesOfType(template, POOL)).toHaveLength(1);
    expect(Stack.of(users.userPool)).toBe(stateful);
  });

  it('is retained and deletion-protected: users outlive deployments', () => {
    // Act
    const resource = pool();

    // Assert
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    expect(resource.Properties.DeletionProtection).toBe('ACTIVE');
  });

  it('signs in by email, case-insensitively, and lets requesters sign up once they prove their address', () => {
    // Act
    const properties = pool().Properties;

    // Assert
    expect(properties).toMatchObject({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
    });
  });

  it('speaks Indonesian and English in its verification and invitation mails', () => {
    // Act
    const properties = pool().Properties;
    const invitation = properties.AdminCreateUserConfig.InviteMessageTemplate as { EmailMessage: string; EmailSubject: string };

    // Assert
    expect(properties.EmailVerificationMessage).toMatch(/Kode verifikasi.*\{####\}.*verification code.*\{####\}/s);
    expect(invitation.EmailMessage).toMatch(/\{username\}.*\{####\}.*\{username\}.*\{####\}/s);
    expect(invitation.EmailSubject).toMatch(/Akun .*Your /);
  });

  it('asks for strong passwords (cdk-nag COG1 satisfied, not acknowledged)', () => {
    // Act
    const policy = (pool().Properties.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy;

    // Assert
    expect(policy).toMatchObject({ RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(policy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(rules.cognito.CognitoUserPoolStrongPasswordPolicy(users.userPool.node.defaultChild as cognito.CfnUserPool)).toBe(
      NagRuleCompliance.COMPLIANT,
    );
  });

  it('offers TOTP as an optional second factor, no SMS, and recovers accounts by email only', () => {
    // Act
    const properties = pool().Properties;

    // Assert
    expect(properties).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
    expect(properties).not.toHaveProperty('SmsConfiguration');
    expect(resourcesOfType(template, 'AWS::IAM::Role')).toEqual([]);
  });

  it(`has the mutable string attribute custom:${TEAMS_ATTRIBUTE} the app reads an agent's teams from`, () => {
    // Act
    const schema = pool().Properties.Schema as { Name: string; AttributeDataType?: string; Mutable: boolean }[];

    // Assert
    expect(schema).toContainEqual(expect.objectContaining({ Name: TEAMS_ATTRIBUTE, AttributeDataType: 'String', Mutable: true }));
    expect(schema).toContainEqual(expect.objectContaining({ Name: 'email', Required: true, Mutable: true }));
  });

  it('has the four groups of the permission table, each with a description', () => {
    // Act
    const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map((group) => group.Properties);

    // Assert
    expect(groups.map((group) => group.GroupName).sort()).toEqual([...ROLES].sort());
    for (const group of groups) {
      expect(group.UserPoolId).toEqual({ Ref: poolId });
      expect(group.Description).toEqual(expect.any(String));
      expect((group.Description as string).length).toBeGreaterThan(10);
    }
  });

  it('has a resource server with the scopes machine clients are granted', () => {
    // Act
    const servers = resourcesOfType(template, 'AWS::Cognito::UserPoolResourceServer');

    // Assert
    expect(servers).toHaveLength(1);
    expect(servers[0]!.Properties).toMatchObject({
      Identifier: RESOURCE_SERVER_ID,
      Scopes: Object.keys(MACHINE_SCOPES).map((scope) => expect.objectContaining({ ScopeName: scope })),
    });
  });

  it('has a hosted domain named after the stage and the account, valid without credentials', () => {
    // Act
    const domains = resourcesOfType(template, 'AWS::Cognito::UserPoolDomain');

    // Assert
    expect(domains).toHaveLength(1);
    expect(domains[0]!.Properties).toMatchObject({
      Domain: { 'Fn::Join': ['', ['helpdesk-dev-', { Ref: 'AWS::AccountId' }]] },
      UserPoolId: { Ref: poolId },
      ManagedLoginVersion: 1,
    });
  });

  it('has exactly two app clients: the web and machine clients', () => {
    // Act / Assert
    expect(resourcesOfType(template, CLIENT)).toHaveLength(2);
    expect(users.clients).toEqual([users.webClient, users.machineClient]);
  });

  it('gives the web client the authorization code flow with no secret, localhost redirects by default, and bounded tokens', () => {
    // Act
    const web = clientOf(users.webClient);

    // Assert
    expect(web).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      // Without webCallbackUrls: the console's own CloudFront address.
      CallbackURLs: [
        {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::GetAtt': [logicalIdOf(stateful, stateful.console.distribution), 'DomainName'] }, '/auth/callback'],
          ],
        },
      ],
      LogoutURLs: [
        { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stateful, stateful.console.distribution), 'DomainName'] }, '/']] },
      ],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect(web.RefreshTokenValidity).toBeLessThanOrEqual(30 * 24 * 60);
    expect(web.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(web.AllowedOAuthFlows).not.toContain('implicit');
  });

  it(`lets the web client read custom:${TEAMS_ATTRIBUTE} into the ID token but write only the address and name (nobody joins a team by themselves)`, () => {
    // Act
    const web = clientOf(users.webClient);

    // Assert
    expect(web.ReadAttributes).toEqual(expect.arrayContaining([`custom:${TEAMS_ATTRIBUTE}`, 'email', 'name']));
    // email is required, so sign-up must be able to write it; nothing custom is writable.
    expect([...(web.WriteAttributes as string[])].sort()).toEqual(['email', 'name']);
  });

  it('gives the machine client the client credentials flow, a secret and the resource server scopes only', () => {
    // Act
    const machine = clientOf(users.machineClient);
    const serverId = logicalIdOf(stateful, users.resourceServer);

    // Assert
    expect(machine).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AccessTokenValidity: 60,
    });
    expect(machine.AllowedOAuthScopes).toEqual(
      Object.keys(MACHINE_SCOPES).map((scope) => ({ 'Fn::Join': ['', [{ Ref: serverId }, `/${scope}`]] })),
    );
    expect(machine).not.toHaveProperty('CallbackURLs');
  });

  it('outputs what a deployer needs: pool id, issuer, both client ids, the sign-in domain and token endpoint (never a secret)', () => {
    // Act
    const outputs = template.findOutputs('*');

    // Assert
    for (const name of ['UserPoolId', 'UserPoolIssuer', 'WebClientId', 'MachineClientId', 'SignInDomain', 'TokenEndpoint']) {
      expect(outputs, name).toHaveProperty(name);
    }
    expect(JSON.stringify(outputs)).not.toContain('ClientSecret');
  });

  it('acknowledges, with reasons, exactly the cdk-nag Cognito rules it does not meet (COG2 optional MFA, COG8 no Plus plan)', () => {
    // Arrange
    const cfnPool = users.userPool.node.defaultChild as cognito.CfnUserPool;

    // Act
    const acknowledged = users.userPool.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

    // Assert: both rules really fail (the acknowledgements are needed), and each carries a reason
    expect(rules.cognito.CognitoUserPoolMFA(cfnPool)).toBe(NagRuleCompliance.NON_COMPLIANT);
    expect(rules.cognito.CognitoUserPoolPlusTier(cfnPool)).toBe(NagRuleCompliance.NON_COMPLIANT);
    expect(acknowledged.map(([id]) => id.replace(/^Annotation::/, '')).sort()).toEqual(['AwsSolutions-COG2', 'AwsSolutions-COG8']);
    for (const [, reason] of acknowledged) expect(reason.length).toBeGreaterThan(100);
  });
});

describe('StatefulStack: the user pool, shaped by context', () => {
  const poolOf = (context: Record<string, unknown>) => resourcesOfType(synthTemplates({ context }).statefulTemplate, POOL)[0]!.Properties;

  it('takes the web redirect URLs from webCallbackUrls and webLogoutUrls (comma-separated)', () => {
    // Act
    const { statefulTemplate } = synthTemplates({
      context: {
        webCallbackUrls: 'https://help.example.org/auth/callback, http://localhost:5173/auth/callback',
        webLogoutUrls: 'https://help.example.org/',
      },
    });

    // Assert
    statefulTemplate.hasResourceProperties(CLIENT, {
      ClientName: 'helpdesk-web',
      CallbackURLs: ['https://help.example.org/auth/callback', 'http://localhost:5173/auth/callback'],
      LogoutURLs: ['https://help.example.org/'],
    });
  });

  it.each([
    ['webCallbackUrls', 'http://help.example.org/callback', /must be https/],
    ['webCallbackUrls', 'not a url', /not a URL/],
    ['webLogoutUrls', 'https://help.example.org/#top', /fragment/],
  ])('refuses %s=%s', (key, value, message) => {
    // Act / Assert
    expect(() => buildTestApp({ context: { [key]: value } })).toThrow(message);
  });

  it('names the stage in the domain prefix, and refuses a stage Cognito would refuse there', () => {
    // Act
    const { statefulTemplate } = synthTemplates({ context: { stage: 'qa' } });

    // Assert
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['helpdesk-qa-', { Ref: 'AWS::AccountId' }]] },
    });
    expect(() => buildTestApp({ context: { stage: 'amazon-test' } })).toThrow(/may not contain "amazon"/);
  });

  it('is on the Essentials plan by default, and on Plus with enforced threat protection with userPoolPlan=plus', () => {
    // Act
    const essentials = poolOf({});
    const plus = poolOf({ userPoolPlan: 'plus' });

    // Assert
    expect(essentials.UserPoolTier).toBe('ESSENTIALS');
    expect(essentials).not.toHaveProperty('UserPoolAddOns');
    expect(plus.UserPoolTier).toBe('PLUS');
    expect(plus.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    expect(() => buildTestApp({ context: { userPoolPlan: 'gold' } })).toThrow(/userPoolPlan/);
  });

  it('needs no COG8 acknowledgement on the Plus plan', () => {
    // Act
    const { stateful } = buildTestApp({ context: { userPoolPlan: 'plus' } });
    const acknowledged = stateful.users.userPool.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));

    // Assert
    expect(acknowledged).not.toContain('Annotation::AwsSolutions-COG8');
    expect(rules.cognito.CognitoUserPoolPlusTier(stateful.users.userPool.node.defaultChild as cognito.CfnUserPool)).toBe(
      NagRuleCompliance.COMPLIANT,
    );
  });

  it("mails through Cognito by default, and from no-reply@ the sender's domain through SES with userPoolEmail=ses", () => {
    // Act
    const byCognito = poolOf({});
    const bySes = poolOf({ userPoolEmail: 'ses' });

    // Assert
    expect(byCognito.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(bySes.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: expect.stringContaining(`<no-reply@${SENDER_DOMAIN}>`),
    });
    expect(JSON.stringify(bySes.EmailConfiguration.SourceArn)).toContain(`:identity/${SENDER_DOMAIN}"`);
  });

  it('refuses the retired jwtIssuer / jwtAudience context instead of silently ignoring it', () => {
    // Act / Assert
    expect(() => buildTestApp({ context: { jwtIssuer: 'https://issuer.example.org' } })).toThrow(/"jwtIssuer" is no longer used/);
    expect(() => buildTestApp({ context: { jwtAudience: 'client' } })).toThrow(/"jwtAudience" is no longer used/);
  });
});
