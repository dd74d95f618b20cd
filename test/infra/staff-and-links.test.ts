// People as data and one-pass links: the sync-staff job reads the user pool's groups and nothing else, and
// erasure only looks people up in it; the
// functions that mail know where links point from the deployment itself (the API's own address, or its
// custom domain with a certificate and a DNS record); a custom domain without its hosted zone is refused.
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildTestApp, synthTemplates } from './build-test-app.ts';
import { asList, logicalIdOf, resourceOf, resourcesOfType, statementsOfRole } from './template-queries.ts';

const built = synthTemplates();
const { stateless, statelessTemplate: template, httpFunctionsTemplate } = built;
/** The template a construct is in: the stateless stack's, or its nested HttpFunctions stack's (the HTTP routes' functions). */
const templateOf = (construct: Parameters<typeof logicalIdOf>[1]) =>
  Stack.of(construct) === stateless.httpFunctions ? httpFunctionsTemplate : template;
const environmentOf = (construct: Parameters<typeof logicalIdOf>[1]) =>
  resourceOf(templateOf(construct), logicalIdOf(Stack.of(construct), construct)).Properties.Environment.Variables as Record<
    string,
    unknown
  >;

describe('the sync-staff job', () => {
  const job = stateless.events.schedules.get('sync-staff')!;

  it('runs every five minutes', () => {
    expect(job.spec.expression).toBe('rate(5 minutes)');
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('may list the members of the pool’s groups, on this pool only, and knows the pool by its id', () => {
    const statements = statementsOfRole(template, logicalIdOf(stateless, job.job.role!));
    const cognito = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('cognito-idp:')));
    expect(cognito).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:ListUsersInGroup', Resource: { 'Fn::ImportValue': expect.stringMatching(/UserPool.*Arn/) } },
    ]);
    expect(environmentOf(job.job).USER_POOL_ID).toEqual(
      expect.objectContaining({ 'Fn::ImportValue': expect.stringContaining('UserPool') }),
    );
  });

  it('reads the user pool, as erasure does; only the People routes change it, each with its own actions', () => {
    const touching = [template, httpFunctionsTemplate]
      .flatMap((each) => resourcesOfType(each, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('cognito-idp:'));
    const readers = touching.filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('cognito-idp:List'));
    expect(readers).toHaveLength(2);
    expect(touching).toHaveLength(4);
  });
});

describe('erasure', () => {
  const eraser = stateless.functions.get('erase-requester')!;

  it('may look people up in the pool (a person’s verified address and number) and nothing else of Cognito', () => {
    const statements = statementsOfRole(httpFunctionsTemplate, logicalIdOf(stateless.httpFunctions, eraser.role!));
    const cognito = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('cognito-idp:')));
    expect(cognito).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:ListUsers', Resource: { 'Fn::ImportValue': expect.stringMatching(/UserPool.*Arn/) } },
    ]);
    expect(environmentOf(eraser).USER_POOL_ID).toEqual(expect.objectContaining({ 'Fn::ImportValue': expect.stringContaining('UserPool') }));
  });
});

describe('the People routes', () => {
  it.each([
    ['invite-person', ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser']],
    [
      'change-person',
      [
        'cognito-idp:AdminAddUserToGroup',
        'cognito-idp:AdminDisableUser',
        'cognito-idp:AdminEnableUser',
        'cognito-idp:AdminRemoveUserFromGroup',
        'cognito-idp:AdminUpdateUserAttributes',
      ],
    ],
  ])('%s may do exactly its admin actions, on this pool only, and knows the pool by its id', (handler, actions) => {
    const fn = stateless.functions.get(handler)!;
    const cognito = statementsOfRole(httpFunctionsTemplate, logicalIdOf(stateless.httpFunctions, fn.role!)).filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('cognito-idp:')),
    );
    expect(cognito).toHaveLength(1);
    expect([...asList(cognito[0]!.Action)].sort()).toEqual(actions);
    expect(cognito[0]!.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/UserPool.*Arn/) });
    expect(environmentOf(fn).USER_POOL_ID).toEqual(expect.objectContaining({ 'Fn::ImportValue': expect.stringContaining('UserPool') }));
  });

  it('reads and lists people without the user pool: the directory is enough', () => {
    for (const handler of ['list-people', 'list-person-history', 'get-organisation'])
      expect(environmentOf(stateless.functions.get(handler)!).USER_POOL_ID, handler).toBeUndefined();
  });
});

describe('links in mail', () => {
  it.each(['notify', 'detect-trends'])(
    '%s links to the API’s own address and to the console, with no configuration after deploy',
    (name) => {
      const fn = name === 'notify' ? stateless.events.queues.get('notify')!.consumer : stateless.events.schedules.get(name)!.job;
      const variables = environmentOf(fn);
      expect(JSON.stringify(variables.PUBLIC_URL)).toContain(logicalIdOf(stateless, stateless.api));
      // The console is its CloudFront distribution (the stateful stack's), unless a custom domain fronts it.
      expect(JSON.stringify(variables.CONSOLE_URL)).toMatch(/ConsoleDistribution|Console.*Distribution/);
    },
  );

  it('uses the custom domain, with a DNS-validated certificate, the API mapping and an alias record', () => {
    // Arrange / Act
    const custom = synthTemplates({
      context: {
        domainName: 'Help.Sekolah.sch.id',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'sekolah.sch.id',
        webCallbackUrls: 'https://konsol.sekolah.sch.id/auth/callback',
      },
    });

    // Assert
    const t = custom.statelessTemplate;
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'help.sekolah.sch.id',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'help.sekolah.sch.id', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'help.sekolah.sch.id' });
    t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'help.sekolah.sch.id.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const notify = custom.stateless.events.queues.get('notify')!.consumer;
    const variables = resourceOf(t, logicalIdOf(custom.stateless, notify)).Properties.Environment.Variables;
    expect(variables.PUBLIC_URL).toBe('https://help.sekolah.sch.id');
    expect(variables.CONSOLE_URL).toBe('https://konsol.sekolah.sch.id');
    t.hasOutput('ApiUrl', { Value: 'https://help.sekolah.sch.id/' });
  });

  it.each([
    [{ domainName: 'help.sekolah.sch.id' }, /"domainName" needs the Route 53 hosted zone .*"hostedZoneId" and "hostedZoneName"/],
    [
      { domainName: 'help.sekolah.sch.id', hostedZoneId: 'Z1', hostedZoneName: 'other.example' },
      /not inside the hosted zone "other.example" \(hostedZoneName\)/,
    ],
    [{ domainName: 'help_desk!', hostedZoneId: 'Z1', hostedZoneName: 'sekolah.sch.id' }, /"domainName": "help_desk!" is not a host name/],
    [{ hostedZoneId: 'Z1', hostedZoneName: 'sekolah.sch.id' }, /without "domainName"/],
  ])('refuses %j at synth, naming the context value', (context, message) => {
    expect(() => buildTestApp({ context })).toThrow(message);
  });
});
