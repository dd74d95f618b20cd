import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { StatefulStack } from '#infra/stacks/stateful-stack.ts';
import { ROUTE_THROTTLE, StatelessStack, type Throttle } from '#infra/stacks/stateless-stack.ts';
import { CHANNEL_SECRET_NAMES, type ChannelSecretName, channelSecretParameterEnv } from '#shared/adapters/channel-secrets.ts';
import { CHAT_QUEUE_URL_ENV } from '#shared/adapters/chat-outbox.ts';
import { SIGNING_KEY_PARAMETER_ENV } from '#shared/adapters/signing-key.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { FALLBACK_HANDLER, HTTP_ROUTES, type RouteSpec, type TableAccess, usesTable } from '#shared/http/routes.ts';
import { buildTestApp, synthTemplates } from './build-test-app.ts';
import { asList, type Resource, type Statement, ssmParameterArn, statementsOfRole } from './template-queries.ts';

/** The DynamoDB actions a spec implies: its item actions, and Query when it queries an index. */
const expectedActions = (access: TableAccess) =>
  [...new Set([...access.tableActions, ...(access.queryIndexes.length > 0 ? ['dynamodb:Query'] : [])])].sort();

const FALLBACK: RouteSpec = { method: 'GET', path: '$default', handler: FALLBACK_HANDLER, auth: false, tableActions: [], queryIndexes: [] };
const ALL_HANDLERS = [...HTTP_ROUTES, FALLBACK];

describe('StatelessStack: HTTP API and functions', () => {
  // Arrange (shared): one synthesis for the whole file.
  // The API, its routes and integrations are in the stateless stack's template; the routes' functions, their
  // roles, policies, log groups and alarms in its nested HttpFunctions stack's (`functions`).
  const { stateless, stateful, statelessTemplate: template, httpFunctionsTemplate: functions } = synthTemplates();
  const nested = stateless.httpFunctions;
  const logicalId = (element: unknown) => nested.getLogicalId(element as CfnElement);
  const functionOf = (handler: string) => {
    const fn = stateless.functions.get(handler);
    if (!fn) throw new Error(`no function for handler ${handler}`);
    return fn;
  };
  const functionId = (handler: string) => logicalId(functionOf(handler).node.defaultChild);
  const roleId = (handler: string) => logicalId(functionOf(handler).role!.node.defaultChild);
  const tableArnImport = nested.resolve(stateful.table.tableArn) as unknown;

  /** Every statement of every IAM policy attached to the handler's role. */
  const statementsOf = (handler: string): Statement[] => statementsOfRole(functions, roleId(handler));

  /** The route resource for a route key such as `GET /tickets/{id}` or `$default`. */
  const routeFor = (routeKey: string): Resource => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } })) as Resource[];
    expect(routes, `route ${routeKey}`).toHaveLength(1);
    return routes[0]!;
  };
  const jwtAuthorizerId = () => {
    const ids = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { AuthorizerType: 'JWT' } }));
    expect(ids).toHaveLength(1);
    return ids[0];
  };
  const routeKeyOf = (route: RouteSpec) => (route === FALLBACK ? '$default' : `${route.method} ${route.path}`);

  describe.each(ALL_HANDLERS.map((route) => [route.handler, route] as const))('function %s', (handler, route) => {
    it('runs nodejs22.x on arm64, 256 MB and 10 s, without active tracing (monitoring=small; tracing.test.ts)', () => {
      // Act
      const fn = functions.toJSON().Resources[functionId(handler)] as Resource;

      // Assert
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'PassThrough' },
        MemorySize: 256,
        Timeout: 10,
        Handler: 'index.handler',
      });
    });

    it('logs to its own log group, which has a retention period', () => {
      // Arrange
      const fn = functions.toJSON().Resources[functionId(handler)] as Resource;

      // Act
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logGroup = functions.toJSON().Resources[logGroupRef] as Resource;

      // Assert
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBe(30);
      expect(statementsOf(handler)).toContainEqual({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupRef, 'Arn'] },
      });
    });

    it(`${route.secrets?.length ? 'reads exactly the secrets its route lists' : 'reads no secret'}`, () => {
      // Arrange
      const fn = functions.toJSON().Resources[functionId(handler)] as Resource;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const listed = [...new Set(route.secrets ?? [])];
      const parameterOf = (name: (typeof listed)[number]) =>
        name === 'signing-key' ? stateful.signingKey : stateful.channelSecrets[name]!;

      // Act
      const parameterStatements = statementsOf(handler).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('ssm:')),
      );

      // Assert: every secret is an SSM SecureString these functions may only read (notify alone makes the signing
      // key); no Secrets Manager, no KMS statement (the AWS managed aws/ssm key decrypts through SSM alone).
      expect(
        statementsOf(handler).filter((statement) => asList(statement.Action).some((action) => /^(secretsmanager|kms):/.test(action))),
      ).toEqual([]);
      const arns = listed.map((name) => nested.resolve(parameterOf(name).parameterArn) as unknown);
      expect(parameterStatements).toEqual(
        listed.length > 0 ? [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: arns.length === 1 ? arns[0] : arns }] : [],
      );
      expect(variables[SIGNING_KEY_PARAMETER_ENV]).toBe(listed.includes('signing-key') ? stateful.signingKey.parameterName : undefined);
      for (const name of CHANNEL_SECRET_NAMES) {
        if (listed.includes(name)) expect(variables[channelSecretParameterEnv(name)]).toBe(`/helpdesk/dev/${name}`);
        else expect(variables).not.toHaveProperty(channelSecretParameterEnv(name));
      }
    });

    it('has the helpdesk environment, and the table name only when it uses the table', () => {
      // Arrange
      const fn = functions.toJSON().Resources[functionId(handler)] as Resource;

      // Act
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assert
      expect(variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'helpdesk',
        POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
      });
      if (usesTable(route)) {
        expect(variables[TABLE_NAME_ENV]).toEqual(nested.resolve(stateful.table.tableName));
      } else {
        expect(variables).not.toHaveProperty(TABLE_NAME_ENV);
      }
    });

    it("may perform exactly its route's DynamoDB actions, never Scan or a wildcard", () => {
      // Act
      const statements = statementsOf(handler);
      const dynamoActions = new Set(
        statements.flatMap((statement) => asList(statement.Action)).filter((action) => action.startsWith('dynamodb:')),
      );
      const allActions = statements.flatMap((statement) => asList(statement.Action));

      // Assert
      expect([...dynamoActions].sort()).toEqual(expectedActions(route));
      expect(dynamoActions.has('dynamodb:Scan')).toBe(false);
      expect(allActions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
    });

    it('has DynamoDB access only to the helpdesk table and the indexes its route queries', () => {
      // Arrange
      const indexArns = route.queryIndexes.map((index) => ({ 'Fn::Join': ['', [tableArnImport, `/index/${index}`]] }));

      // Act
      const dynamoStatements = statementsOf(handler).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
      );
      const resources = dynamoStatements.flatMap((statement) => asList(statement.Resource));

      // Assert
      for (const resource of resources) expect([tableArnImport, ...indexArns]).toContainEqual(resource);
      for (const indexArn of indexArns) expect(resources).toContainEqual(indexArn);
      if (route.tableActions.length === 0) expect(resources).not.toContainEqual(tableArnImport);
      expect(JSON.stringify(resources)).not.toContain('*');
    });

    it(`is the integration of route ${routeKeyOf(route)} with ${route.auth ? 'the JWT authorizer' : 'no authorizer'}`, () => {
      // Act
      const resource = routeFor(routeKeyOf(route));
      const integrationId = (resource.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref;
      const integration = template.toJSON().Resources[integrationId] as Resource;

      // Assert: the function's ARN, an output of the nested stack that holds it
      const [nestedStackId, output] = (integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      expect(template.toJSON().Resources[nestedStackId].Type).toBe('AWS::CloudFormation::Stack');
      expect(functions.toJSON().Outputs[output.replace(/^Outputs\./, '')].Value).toEqual({ 'Fn::GetAtt': [functionId(handler), 'Arn'] });
      if (route.auth) {
        expect(resource.Properties.AuthorizationType).toBe('JWT');
        expect(resource.Properties.AuthorizerId).toEqual({ Ref: jwtAuthorizerId() });
      } else {
        expect(resource.Properties.AuthorizationType).toBe('NONE');
        expect(resource.Properties).not.toHaveProperty('AuthorizerId');
      }
    });
  });

  it("leaves /health, /openapi.json, the tracking and rating links, the published articles, search, the chat, the chat platforms' webhooks and $default public and guards every other route", () => {
    // Act
    const publicRoutes = ALL_HANDLERS.filter((route) => !route.auth)
      .map(routeKeyOf)
      .sort();

    // Assert
    expect(publicRoutes).toEqual([
      '$default',
      'GET /channels/whatsapp',
      'GET /csat/{token}',
      'GET /health',
      'GET /kb/articles',
      'GET /kb/articles/{id}',
      'GET /kb/search',
      'GET /openapi.json',
      'GET /track/{token}',
      'GET /track/{token}/events/{eventId}/attachments/{index}',
      'POST /channels/telegram',
      'POST /channels/whatsapp',
      'POST /chat',
      'POST /csat/{token}',
      'POST /track/{token}/attachments',
      'POST /track/{token}/comments',
    ]);
  });

  it("authorizes with a JWT authorizer that trusts the stateful stack's user pool and both of its app clients", () => {
    // Arrange
    const poolId = stateless.resolve(stateful.users.userPool.userPoolId) as unknown;
    const clientIds = [stateful.users.webClient, stateful.users.machineClient].map(
      (client) => stateless.resolve(client.userPoolClientId) as unknown,
    );

    // Act / Assert
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', poolId]] },
        Audience: clientIds,
      },
    });
    expect(JSON.stringify(poolId)).toContain('Fn::ImportValue');
  });

  it('asks no route for OAuth scopes (the web sends ID tokens, which carry none)', () => {
    // Act
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];

    // Assert
    for (const route of routes) expect(route.Properties).not.toHaveProperty('AuthorizationScopes');
  });

  it('gives secrets to the routes that list them (the tracking and rating links, the chat webhooks), and to no other route', () => {
    // Act
    const readers = ALL_HANDLERS.filter((route) =>
      statementsOf(route.handler).some((statement) => asList(statement.Action).some((action) => action === 'ssm:GetParameter')),
    ).map((route) => route.handler);

    // Assert
    expect(readers.sort()).toEqual(
      HTTP_ROUTES.filter((route) => route.secrets?.length)
        .map((route) => route.handler)
        .sort(),
    );
    expect(readers).toEqual(
      expect.arrayContaining([
        'track-comment',
        'track-ticket',
        'track-upload',
        'track-attachment',
        'telegram-webhook',
        'whatsapp-webhook',
        'whatsapp-verify',
      ]),
    );
  });

  it('gives each chat webhook only the one value it checks deliveries with, on the exact parameter ARN', () => {
    // Act
    const parametersOf = (handler: string) =>
      statementsOf(handler)
        .filter((statement) => asList(statement.Action).includes('ssm:GetParameter'))
        .flatMap((statement) => asList(statement.Resource as unknown));
    const arn = (name: ChannelSecretName) => ssmParameterArn(`helpdesk/dev/${name}`);

    // Assert
    expect(parametersOf('telegram-webhook')).toEqual([arn('telegram-webhook-secret')]);
    expect(parametersOf('whatsapp-webhook')).toEqual([arn('whatsapp-app-secret')]);
    expect(parametersOf('whatsapp-verify')).toEqual([arn('whatsapp-verify-token')]);
  });

  it('lets the chat webhooks, and no other route, put messages on the chat queue, whose URL they are given', () => {
    // Arrange
    const chatQueue = nested.resolve(stateless.events.queues.get('chat')!.queue!.queueArn) as unknown;

    // Act
    const sendsToChat = (statement: { Resource?: unknown }) => JSON.stringify(statement.Resource) === JSON.stringify(chatQueue);
    const senders = ALL_HANDLERS.filter((route) => statementsOf(route.handler).some(sendsToChat)).map((route) => route.handler);

    // Assert
    expect(senders.sort()).toEqual(['telegram-webhook', 'whatsapp-webhook']);
    for (const handler of senders) {
      const sqsStatements = statementsOf(handler).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('sqs:')),
      );
      expect(sqsStatements).toEqual([expect.objectContaining({ Resource: chatQueue })]);
      const fn = functions.toJSON().Resources[functionId(handler)] as Resource;
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[CHAT_QUEUE_URL_ENV]).toBeDefined();
    }
  });

  it('has a $default stage that auto-deploys, writes JSON access logs and throttles', () => {
    // Act
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as Resource[];
    const stage = stages.find((candidate) => candidate.Properties.StageName === '$default');

    // Assert
    expect(stage?.Properties).toMatchObject({
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: expect.any(Number), ThrottlingRateLimit: expect.any(Number) },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] }, Format: expect.any(String) },
    });
    const settings = stage!.Properties.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string] }; Format: string };
    const accessLogGroup = template.toJSON().Resources[settings.DestinationArn['Fn::GetAtt'][0]] as Resource;
    expect(accessLogGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(accessLogGroup.Properties.RetentionInDays).toEqual(expect.any(Number));
    expect(JSON.parse(settings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  it('throttles POST /tickets and the public routes that read or write data below the stage, and the stage waits for those routes', () => {
    // Arrange
    const stageIds = Object.keys(template.findResources('AWS::ApiGatewayV2::Stage', { Properties: { StageName: '$default' } }));
    const stage = template.toJSON().Resources[stageIds[0]!] as Resource & { DependsOn?: string[] };
    const defaults = stage.Properties.DefaultRouteSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };

    // Act
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;

    // Assert
    expect(Object.keys(settings).sort()).toEqual([
      'GET /channels/whatsapp',
      'GET /csat/{token}',
      'GET /kb/articles',
      'GET /kb/articles/{id}',
      'GET /kb/search',
      'GET /track/{token}',
      'GET /track/{token}/events/{eventId}/attachments/{index}',
      'POST /channels/telegram',
      'POST /channels/whatsapp',
      'POST /chat',
      'POST /csat/{token}',
      'POST /tickets',
      'POST /track/{token}/attachments',
      'POST /track/{token}/comments',
    ]);
    for (const [routeKey, limits] of Object.entries(settings)) {
      expect(limits.ThrottlingRateLimit).toBeGreaterThan(0);
      expect(limits.ThrottlingRateLimit).toBeLessThan(defaults.ThrottlingRateLimit);
      expect(limits.ThrottlingBurstLimit).toBeGreaterThanOrEqual(limits.ThrottlingRateLimit);
      expect(limits.ThrottlingBurstLimit).toBeLessThan(defaults.ThrottlingBurstLimit);
      // API Gateway refuses settings for a route it does not know yet.
      const routeId = Object.keys(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }))[0]!;
      expect(stage.DependsOn).toContain(routeId);
    }
    expect(settings['POST /tickets']).toEqual({
      ThrottlingRateLimit: ROUTE_THROTTLE['create-ticket']!.rateLimit,
      ThrottlingBurstLimit: ROUTE_THROTTLE['create-ticket']!.burstLimit,
    });
  });

  it('keeps the logical IDs of what holds messages or logs or has a fixed name, so no refactoring replaces them', () => {
    // Arrange: a new logical ID makes CloudFormation create a new resource and delete the old one: a queue's
    // messages and a log group's logs would be lost, the alarm topic's e-mail subscription would need
    // confirming again, and the dashboard (a fixed name) would be deleted after its successor took the name.
    const kinds = [
      'AWS::SQS::Queue',
      'AWS::Logs::LogGroup',
      'AWS::SNS::Topic',
      'AWS::KMS::Key',
      'AWS::CloudWatch::Dashboard',
      'AWS::SES::ConfigurationSet',
    ];
    const idsIn = (stackTemplate: typeof template) =>
      Object.entries(stackTemplate.toJSON().Resources as Record<string, Resource>)
        .filter(([, resource]) => kinds.includes(resource.Type))
        .map(([id]) => id)
        .sort();

    // Act
    const ids = idsIn(template);
    const httpFunctionIds = idsIn(functions);

    // Assert: an addition belongs here; a change or a removal needs a migration plan.
    expect(ids).toEqual([
      'ApiAccessLogsE9DF007D',
      'EventsApplyRetentionFunctionLogGroup1B4B69A9',
      'EventsChatQueue46384BF4',
      'EventsCheckSlaFunctionLogGroup981E6AAE',
      // Two dead-letter queues for the consumers (docs/decisions.md, "Two dead-letter queues for the consumers"): they
      // replaced EventsRoutingDlqQueue9B40064B, EventsNotifyDlqQueue0C7E75C8, EventsStatsDlqQueue30D2B418,
      // EventsChatDlqQueueC318C512, EventsSearchDlqQueue5177FAA4, EventsExportsDlqQueueD1CE5A34,
      // EventsRetentionDlqQueue8044807B and EventsIncidentsDlqQueueDC5BAFE9 (migration: docs/operations.md, "Upgrading").
      'EventsConsumersDlqQueueDBF93448',
      'EventsDetectTrendsFunctionLogGroup3728134A',
      'EventsExportTicketsFunctionLogGroup3E5C8C7C',
      'EventsIndexTicketFunctionLogGroup88A9588E',
      'EventsInvocationsDlqQueueD5F0B87D',
      'EventsMailConfigurationSetA8DC735D',
      'EventsNotifyFunctionLogGroupB0E78104',
      'EventsNotifyQueueB069F68F',
      'EventsPropagateIncidentFunctionLogGroupBA3C130A',
      'EventsPublishEventsFailuresQueue0C76B3C5',
      'EventsPublishEventsFunctionLogGroupC5EE5C1E',
      'EventsRouteTicketFunctionLogGroup28794752',
      'EventsRoutingQueueE6D3057A',
      // One for every rule's deliveries and one for every schedule (docs/decisions.md, "Fewer dead-letter queues").
      'EventsRuleDeliveryDeadLetterQueue9E8C634B',
      'EventsScheduleDeadLetterQueueB6B95959',
      'EventsSearchQueue600BECAA',
      'EventsSendChatFunctionLogGroup8865FFDB',
      'EventsStatsQueueA340B9D4',
      'EventsSweepStuckWorkFunctionLogGroupF63C8650',
      'EventsSyncStaffFunctionLogGroupF25563D5',
      'EventsUpdateStatsFunctionLogGroup8ED8140A',
      'InboundMailFailedMailQueue46C80930',
      'InboundMailInboundFunctionLogGroupE27CC1DA',
      'KnowledgeBaseSeedFunctionLogGroupD4D1F57B',
      'OperationsAlarmTopic909EF7A3',
      'OperationsDashboardE19B83FC',
      // Removed (docs/decisions.md, "Idle cost"): EventsRetentionQueue25B24233 and EventsIncidentsQueue81C17B77, whose
      // consumers the bus now invokes itself, and EventsExportsQueue30F7A7BC, whose worker the start route and the
      // worker itself now invoke (docs/decisions.md, "The export worker is invoked, not polled").
      // The webhooks' queue and function exist with subscriptions only, as EventsWebhooksQueue5D405332 and
      // EventsDeliverWebhooksFunctionLogGroup78DA84B1 (integrations.test.ts); its dead letters go to EventsConsumersDlq.
      // The alarm topic's key exists with monitoring=full only, as OperationsTopicKey50BA7F3B (operations.test.ts).
    ]);
    // Migration (docs/decisions.md, "HTTP functions in a nested stack"): the HTTP routes' log groups moved from
    // the stateless stack into its nested HttpFunctions stack, under the same logical IDs there. Their
    // DeletionPolicy is Retain, so the first deploy after the move left the old groups in the account, with
    // their logs until the 30-day retention ran out, and the functions write to new groups from then on.
    expect(httpFunctionIds).toEqual([
      'AddCommentFunctionLogGroupAF249105',
      'ApplyMacroFunctionLogGroup264B3657',
      'ChangePersonFunctionLogGroup3FE2E11A',
      'ChatFunctionLogGroup10973384',
      'CommentRatingFunctionLogGroup8F463456',
      'CreateArticleFunctionLogGroup8CBCBE8C',
      'CreateTicketFunctionLogGroup63524018',
      'DeleteArticleFunctionLogGroupCA47EE5D',
      'EraseRequesterFunctionLogGroup08F27515',
      'FollowTicketFunctionLogGroup9A66D2ED',
      'GetArticleFunctionLogGroupF6AA5FEE',
      'GetAttachmentFunctionLogGroupD9871500',
      'GetExportFunctionLogGroup3642273B',
      'GetOpenapiFunctionLogGroup4F6F1238',
      'GetOrganisationFunctionLogGroup09958D06',
      'GetOwnStaffEntryFunctionLogGroupA831D951',
      'GetReportForecastFunctionLogGroup4F462AC2',
      'GetReportSummaryFunctionLogGroupBA15F0E4',
      'GetReportTrendsFunctionLogGroupF7A89AAF',
      'GetRequesterRecordFunctionLogGroup4F2C2A3B',
      'GetTicketFunctionLogGroup3A1F2E6E',
      'HealthFunctionLogGroup436AF81E',
      'InvitePersonFunctionLogGroupC9005987',
      'LinkTicketsFunctionLogGroup00398FAA',
      'ListArticleHistoryFunctionLogGroupD44AC8BC',
      'ListArticlesFunctionLogGroup00004EC3',
      'ListDraftArticlesFunctionLogGroup30784847',
      'ListEventsFunctionLogGroupF4F9D620',
      'ListPeopleFunctionLogGroup6C5AF05E',
      'ListPersonHistoryFunctionLogGroupAF43D8BF',
      'ListStaffFunctionLogGroupD57453ED',
      'ListTicketsFunctionLogGroup0A300BB5',
      'ListViewsFunctionLogGroup4CCA2CAE',
      'MacrosFunctionLogGroup65AB759D',
      'MergeTicketFunctionLogGroup44211DB3',
      'NotFoundFunctionLogGroupF8BB1B89',
      'RateOwnTicketFunctionLogGroup3F2068EC',
      'RateTicketFunctionLogGroup9907629F',
      'RecordDeflectionFunctionLogGroup68AA3142',
      'RequestUploadFunctionLogGroup8B6580AF',
      'SearchArticlesFunctionLogGroupDC7DB903',
      'SearchTicketsFunctionLogGroup088D14CB',
      'SetAvailabilityFunctionLogGroup02F19B14',
      'StartExportFunctionLogGroup5BA35A35',
      'SuggestArticlesFunctionLogGroup910C6DA7',
      'TelegramWebhookFunctionLogGroupDC814FC4',
      'TrackAttachmentFunctionLogGroup00D8847B',
      'TrackCommentFunctionLogGroup8EBE99AB',
      'TrackTicketFunctionLogGroup6954F30F',
      'TrackUploadFunctionLogGroup9F090D46',
      'UpdateArticleFunctionLogGroup234392D9',
      'UpdateOwnPreferencesFunctionLogGroup2E92EAA9',
      'UpdateTicketFunctionLogGroup91B1A9F8',
      'WhatsappVerifyFunctionLogGroupA1FDAB7D',
      'WhatsappWebhookFunctionLogGroup7779E20C',
      'WriteMacroFunctionLogGroup5EB8261C',
    ]);
    for (const id of httpFunctionIds) expect(functions.toJSON().Resources[id]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('outputs the API URL', () => {
    // Act / Assert
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });
});

let extraStacks = 0;
const buildStatelessWith = (stateful: StatefulStack, routeThrottle: Record<string, Throttle>) =>
  new StatelessStack(stateful.node.scope as Construct, `ThrottleCheck${(extraStacks += 1)}`, {
    table: stateful.table,
    eventBus: stateful.eventBus,
    users: { userPool: stateful.users.userPool, clients: stateful.users.clients },
    secrets: { signingKey: stateful.signingKey, channels: stateful.channelSecrets },
    mail: stateful.mail,
    console: {
      bucketArn: stateful.console.exportedBucketArn,
      bucketArnExportName: stateful.console.bucketArnExportName,
      distribution: stateful.console.distribution,
      origins: [stateful.console.url],
      signIn: stateful.webSignIn,
      config: loadConfig(),
    },
    routeThrottle,
    consoleUrl: 'https://konsol.sekolah.example',
  });

describe('StatelessStack: route throttling settings', () => {
  it('refuses a route limit above the stage limit', () => {
    // Arrange
    const { stateful } = buildTestApp();

    // Act / Assert: through the stack directly, with limits the app does not use
    expect(() => buildStatelessWith(stateful, { 'create-ticket': { rateLimit: 500, burstLimit: 20 } })).toThrow(/above the stage/);
  });

  it('refuses a limit for a handler that has no route', () => {
    // Arrange
    const { stateful } = buildTestApp();

    // Act / Assert
    expect(() => buildStatelessWith(stateful, { 'no-such-handler': { rateLimit: 1, burstLimit: 1 } })).toThrow(/no-such-handler/);
  });
});
