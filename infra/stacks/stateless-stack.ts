// Stateless stack: the HTTP API and its functions, and the event processing behind them (stream → bus,
// rules → queues → consumers, schedules). Everything here can be destroyed and redeployed without losing
// data; the table, the event bus, the user pool and the signing key come in from the stateful stack.
import { CfnOutput, Duration, NestedStack, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CHAT_QUEUE_URL_ENV } from '#shared/adapters/chat-outbox.ts';
import { EXPORT_FUNCTION_NAME_ENV } from '#shared/adapters/export-worker.ts';
import { MAIL_BUCKET_ENV } from '#shared/adapters/mail-bucket.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { USER_POOL_ID_ENV } from '#shared/adapters/user-pool-staff.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { consoleConfig } from '#shared/console/console-config.ts';
import { API_ALLOWED_HEADERS, API_ALLOWED_METHODS, API_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '#shared/console/console-headers.ts';
import { EXPORT_PREFIX } from '#shared/domain/portability/export-tickets.ts';
import { FALLBACK_HANDLER, HTTP_ROUTES, type RouteSpec, usesTable } from '#shared/http/routes.ts';
import { ApiDomain, type ApiDomainName } from '../constructs/api-domain.ts';
import { ConsoleDeployment } from '../constructs/console-deployment.ts';
import { CHAT_QUEUE, EventProcessing, EXPORT_QUEUE } from '../constructs/event-processing.ts';
import { grantFiles } from '../constructs/file-access.ts';
import { HelpdeskFunction } from '../constructs/helpdesk-function.ts';
import { InboundMail, type MailBucket, type MailReceiving } from '../constructs/inbound-mail.ts';
import { KnowledgeBaseSeed } from '../constructs/knowledge-base-seed.ts';
import { pascal } from '../constructs/names.ts';
import { Operations } from '../constructs/operations.ts';
import { grantSecrets, type SecretSources, secretEnvironment } from '../constructs/secret-access.ts';
import { grantTableActions } from '../constructs/table-access.ts';

export type StatelessStackProps = StackProps & {
  table: dynamodb.ITableV2;
  /** The bus publish-events puts ticket events on, and the rules below route from. */
  eventBus: events.IEventBus;
  /** The user pool whose tokens the JWT authorizer accepts, and the app clients they may be issued to. */
  users: { userPool: cognito.IUserPool; clients: cognito.IUserPoolClient[] };
  /** The secrets a route or a queue may list (routes.ts, queues.ts `secrets`): the signing key's parameter (notify
   *  makes it) and the channels' secrets. */
  secrets: SecretSources;
  /** The stateful stack's mail bucket, where the receipt rule stores mail for the inbound function. */
  mail: MailBucket;
  /** Where SES receives mail (context `mailReceiving`): the inbound intake follows it. Default: `here`. */
  mailReceiving?: MailReceiving;
  /**
   * The web console: its bucket and distribution (stateful stack), the origins browsers may call the API from
   * (its own first), how it signs people in, and the configuration its config.json is made from.
   */
  console: {
    bucketArn: string;
    bucketArnExportName: string;
    distribution: cloudfront.IDistribution;
    origins: string[];
    signIn: { domain: string; clientId: string; redirectUri: string; logoutUri: string };
    config: HelpdeskConfig;
  };
  /** Default-stage throttling for the whole API. Default: 50 requests/s steady, bursts of 100. */
  throttle?: Throttle;
  /** Tighter limits for single routes, by handler. Default: ROUTE_THROTTLE. */
  routeThrottle?: Readonly<Record<string, Throttle>>;
  /** The API on the organisation's own name (context domainName, hostedZoneId, hostedZoneName); default: the execute-api address. */
  domain?: ApiDomainName;
  /** Where staff mail links to: the web console's address. */
  consoleUrl: string;
  /** The validated configuration (what decides, e.g., whether the chat may call Bedrock). Default: the bundled one. */
  config?: HelpdeskConfig;
};

export type Throttle = { rateLimit: number; burstLimit: number };

/**
 * Routes with limits of their own, below the stage's. These caps are for the whole API, not per caller (API
 * Gateway HTTP APIs have no per-client limits and take no WAF): they bound what a flood can cost and write,
 * while the per-requester hourly limit (limits.ticketsPerRequesterPerHour) stops a single account.
 */
export const ROUTE_THROTTLE: Readonly<Record<string, Throttle>> = {
  // Filing writes a ticket, a history item, an idempotency claim and a counter, and starts routing and mail.
  // A desk's busiest intake (a Monday morning, a network outage everybody reports) is a few tickets a second.
  'create-ticket': { rateLimit: 10, burstLimit: 20 },
  // The tracking links need no account: anyone on the internet can call them with a guessed token.
  'track-ticket': { rateLimit: 10, burstLimit: 20 },
  'track-comment': { rateLimit: 2, burstLimit: 5 },
  // Files through a tracking link: an upload URL (no bytes pass the API) and a download link, each one GetItem.
  'track-upload': { rateLimit: 2, burstLimit: 5 },
  'track-attachment': { rateLimit: 5, burstLimit: 10 },
  // The rating links need no account either; a vote is one small write.
  'rate-ticket': { rateLimit: 10, burstLimit: 20 },
  'comment-rating': { rateLimit: 2, burstLimit: 5 },
  // The knowledge base is public. The bot writes a session and counters per message (and has its own hourly
  // limit per address); reading and searching articles is one Query or GetItem.
  chat: { rateLimit: 5, burstLimit: 10 },
  'search-articles': { rateLimit: 10, burstLimit: 20 },
  'list-articles': { rateLimit: 10, burstLimit: 20 },
  'get-article': { rateLimit: 20, burstLimit: 40 },
  // The chat platforms' webhooks: each delivery is a bot answer (a session, counters, maybe a ticket) and a queued
  // reply. Telegram and Meta retry what is refused, so a burst over the limit is delayed, not lost. Meta's URL
  // check happens once, when the webhook is registered.
  'telegram-webhook': { rateLimit: 5, burstLimit: 10 },
  'whatsapp-webhook': { rateLimit: 5, burstLimit: 10 },
  'whatsapp-verify': { rateLimit: 1, burstLimit: 2 },
};

const handlerEntry = (handler: string) => `functions/http/${handler}.ts`;

/** HTTP API access-log line: JSON, one object per request, ids and figures only (no bodies, no addresses). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    sourceIp: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

/** Why each unauthenticated route may be public (cdk-nag AwsSolutions-APIG4 acknowledgements). */
const PUBLIC_ROUTE_REASONS: Record<string, string> = {
  health: 'a liveness check for uptime monitors that returns a constant and touches no data or other service',
  'get-openapi': 'the API description (OpenAPI document) that clients need before they hold a token; it holds no data',
  'track-ticket':
    'the tracking link of a requester without an account: the signed, expiring, ticket-bound token in the path is the credential, checked by the function (a forged or expired one is 404 and counted)',
  'track-comment':
    'a comment through the tracking link of a requester without an account: the signed, expiring, ticket-bound token in the path is the credential, checked by the function',
  'track-upload':
    'an upload URL for a file of a requester without an account, named in their next comment through the tracking link: the signed, expiring, ticket-bound token in the path is the credential, checked by the function',
  'track-attachment':
    "a download link for a file of a public item of the tracking link's ticket, for a requester without an account: the signed, expiring, ticket-bound token in the path is the credential, checked by the function",
  'rate-ticket':
    'the satisfaction rating link in the "resolved" mail of a requester without an account, which only shows the choice: the signed, ticket-bound token in the path (valid 7 days after the resolution) is the credential, checked by the function (a forged or expired one is 404 and counted)',
  'comment-rating':
    'the form of the satisfaction rating page, which records the vote: the same signed, ticket-bound, expiring token in the path is the credential, checked by the function',
  'list-articles': 'the published knowledge-base articles, which the organisation publishes for everybody; drafts are never listed',
  'get-article': 'one published knowledge-base article, published for everybody; a draft is 404',
  'search-articles': 'search over the published knowledge-base articles only; it writes nothing',
  'telegram-webhook':
    "Telegram's webhook, which cannot send a JWT: the function refuses (401, before reading the body) any request without the secret token registered with setWebhook in X-Telegram-Bot-Api-Secret-Token (an SSM SecureString, compared in constant time), acts on each update once, and answers people with published articles or a ticket for them",
  'whatsapp-webhook':
    "WhatsApp Cloud API's webhook, which cannot send a JWT: the function refuses (401, before reading the body) any request whose X-Hub-Signature-256 is not the HMAC-SHA256 of the raw body with the Meta app secret (an SSM SecureString, compared in constant time), acts on each message once, and answers people with published articles or a ticket for them",
  'whatsapp-verify':
    "Meta's one-time check of the WhatsApp callback URL, which cannot send a JWT: it echoes hub.challenge only for the verify token (an SSM SecureString, compared in constant time), else 401; it reads and writes no data",
  chat: 'the answer bot for people without an account (parents, evenings, phones): it answers from published articles; a ticket it opens is for an email address given in the conversation, like a mail to the desk, under an hourly limit per source address and the per-requester ticket limit',
};

export class StatelessStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** One function per route, keyed by handler name (`create-ticket`, …, and the fallback `not-found`). */
  readonly functions: ReadonlyMap<string, HelpdeskFunction>;
  /**
   * Where those functions live (each with its role, policy, log group and errors alarm): a nested stack, so the
   * routes fit under CloudFormation's 500 resources a stack (docs/decisions.md, "HTTP functions in a nested stack").
   */
  readonly httpFunctions: NestedStack;
  /** Stream → bus, rules → queues → consumers, and the scheduled jobs. */
  readonly events: EventProcessing;
  /** The alarm topic (every alarm of this stack notifies it), the added alarms and the dashboard. Created last. */
  readonly operations: Operations;
  /** SES receipt rule → mail bucket → the inbound function; none when mail receiving is off. */
  readonly inboundMail?: InboundMail;
  /** The API's public base URL: its custom domain, or the execute-api address. */
  readonly publicUrl: string;
  /** The default knowledge base, created at deploy time where it is missing. */
  readonly knowledgeBaseSeed: KnowledgeBaseSeed;
  /** The console's files and config.json, put in its bucket at each deployment. */
  readonly consoleDeployment: ConsoleDeployment;
  private readonly mail: MailBucket;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table } = props;
    this.mail = props.mail;
    const functions = new Map<string, HelpdeskFunction>();

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Helpdesk HTTP API (v1)',
      // Browsers may call it from the console's origin (and those named by -c webOrigins) and from nowhere
      // else; API Gateway answers the preflights itself. Bearer tokens, no cookies: no credentials mode.
      corsPreflight: {
        allowOrigins: props.console.origins,
        allowMethods: API_ALLOWED_METHODS.map((method) => apigw.CorsHttpMethod[method]),
        allowHeaders: API_ALLOWED_HEADERS,
        exposeHeaders: API_EXPOSED_HEADERS,
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
        allowCredentials: false,
      },
      // The default stage is created below, with access logs and throttling, which HttpApiProps cannot set.
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // Tokens of the helpdesk's user pool: issuer https://cognito-idp.<region>.amazonaws.com/<pool id>, audience
    // the web client (ID tokens: aud) and the machine client (access tokens: client_id). API Gateway checks the
    // signature against the pool's keys, the issuer, the audience and the expiry before any function runs.
    // No route asks for OAuth scopes: a scope check would refuse the web's ID tokens, which carry no scope
    // but do carry the groups, teams and address the functions read.
    const jwtAuthorizer = new HttpUserPoolAuthorizer('JwtAuthorizer', props.users.userPool, {
      userPoolClients: props.users.clients,
      identitySource: ['$request.header.Authorization'],
    });
    const noAuthorizer = new apigw.HttpNoneAuthorizer();

    // The API, its routes, integrations and invoke permissions stay here; CDK hands the nested stack what its
    // functions reference (table, secrets, buckets, queues, the alarm topic) as parameters, and the functions'
    // ARNs and names back as outputs.
    this.httpFunctions = new NestedStack(this, 'HttpFunctions', { description: 'Helpdesk HTTP API functions' });
    const { generation } = (props.config ?? loadConfig()).knowledgeBase;
    const makeFunction = (
      handler: string,
      spec: Pick<RouteSpec, 'tableActions' | 'queryIndexes' | 'secrets' | 'attachments' | 'generation' | 'userPool'>,
    ) => {
      const secrets = [...new Set(spec.secrets ?? [])];
      const fn = new HelpdeskFunction(this.httpFunctions, `${pascal(handler)}Function`, {
        entry: handlerEntry(handler),
        description: `Helpdesk HTTP handler ${handler}`,
        environment: {
          ...(usesTable(spec) ? { [TABLE_NAME_ENV]: table.tableName } : {}),
          ...secretEnvironment(secrets, props.secrets),
          ...(spec.attachments?.length ? { [MAIL_BUCKET_ENV]: props.mail.bucket.bucketName } : {}),
          ...(spec.userPool?.length ? { [USER_POOL_ID_ENV]: props.users.userPool.userPoolId } : {}),
        },
      });
      // Exactly the route's user pool actions, on the helpdesk's own pool: the People screen's admin actions,
      // erasure's ListUsers (a person's verified address and number).
      if (spec.userPool?.length)
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: [...new Set(spec.userPool)].map((action) => `cognito-idp:${action}`),
            resources: [props.users.userPool.userPoolArn],
          }),
        );
      grantFiles(fn, spec.attachments ?? [], props.mail);
      // Generation on: the one configured foundation model, in this region (the Converse API is InvokeModel).
      if (spec.generation && generation.enabled) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['bedrock:InvokeModel'],
            resources: [
              this.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: generation.modelId }),
            ],
          }),
        );
      }
      // Exactly the route's actions and indexes (see table-access.ts).
      grantTableActions(fn, table, spec);
      // Read the secrets the route lists, nothing more (not DescribeSecret, not the versions).
      grantSecrets(fn, secrets, props.secrets);
      functions.set(handler, fn);
      return fn;
    };

    const routeThrottle = props.routeThrottle ?? ROUTE_THROTTLE;
    const unknown = Object.keys(routeThrottle).filter((handler) => !HTTP_ROUTES.some((route) => route.handler === handler));
    if (unknown.length > 0) throw new Error(`routeThrottle names handlers with no route: ${unknown.join(', ')}`);
    for (const [handler, limit] of Object.entries(routeThrottle)) {
      if (limit.rateLimit > throttle.rateLimit || limit.burstLimit > throttle.burstLimit) {
        throw new Error(
          `routeThrottle for ${handler} is above the stage's own limits (${throttle.rateLimit}/s, burst ${throttle.burstLimit})`,
        );
      }
    }
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const throttledRoutes: apigw.HttpRoute[] = [];
    // Routes that name the same handler (two methods on one path) share its function and integration: fewer
    // resources under CloudFormation's 500 a stack. They must ask for the same access, so the grant stays exact.
    const integrations = new Map<string, { integration: HttpLambdaIntegration; access: string }>();
    for (const route of HTTP_ROUTES) {
      const access = JSON.stringify([route.tableActions, route.queryIndexes, route.secrets, route.attachments, route.generation]);
      let shared = integrations.get(route.handler);
      if (shared && shared.access !== access) throw new Error(`the routes of handler ${route.handler} must list the same access`);
      if (!shared) {
        const fn = makeFunction(route.handler, route);
        shared = { integration: new HttpLambdaIntegration(`${pascal(route.handler)}Integration`, fn), access };
        integrations.set(route.handler, shared);
      }
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: shared.integration,
        authorizer: route.auth ? jwtAuthorizer : noAuthorizer,
      });
      const limit = routeThrottle[route.handler];
      if (limit) {
        routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit };
        throttledRoutes.push(...routes);
      }
      // A public route needs a written reason below; a new one without it fails cdk-nag (APIG4) on purpose.
      const publicReason = route.auth ? undefined : PUBLIC_ROUTE_REASONS[route.handler];
      if (publicReason) {
        for (const publicRoute of routes) {
          Validations.of(publicRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public (auth: false in shared/http/routes.ts): ${publicReason}.`,
          });
        }
      }
    }

    // `$default` answers every request no route matches (404, or 405 with Allow). It needs no identity and
    // touches no data, so it has no authorizer and no table access.
    const fallback = makeFunction(FALLBACK_HANDLER, { tableActions: [], queryIndexes: [] });
    const defaultRoute = new apigw.HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration(`${pascal(FALLBACK_HANDLER)}Integration`, fallback),
      authorizer: noAuthorizer,
    });
    Validations.of(defaultRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default route only answers requests that match no route (404, or 405 with Allow); its function has ' +
        'no table access, and an authorizer here would turn "no such path" into 401 for every caller.',
    });

    // Route limits: HttpStage has no L2 property for them, so they go on the L1 stage (RouteSettings, keyed by
    // route key). API Gateway refuses settings for a route that does not exist yet, so the stage waits for
    // those routes. A route's settings replace the stage defaults, hence both figures on every route.
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    if (throttledRoutes.length > 0) {
      cfnStage.routeSettings = routeSettings;
      for (const route of throttledRoutes) cfnStage.addResourceDependency(route.node.defaultChild as apigw.CfnRoute);
    }

    this.functions = functions;

    // The address links in mail carry: the custom name when there is one, else the API's own address. Both
    // are known to the deployment itself, so nothing is configured by hand after the first deploy.
    this.publicUrl = props.domain
      ? new ApiDomain(this, 'ApiDomain', { ...props.domain, api: this.api, stage: this.stage }).url
      : this.api.apiEndpoint;

    this.events = new EventProcessing(this, 'Events', {
      table,
      eventBus: props.eventBus,
      secrets: props.secrets,
      userPool: props.users.userPool,
      links: { publicUrl: this.publicUrl, consoleUrl: props.consoleUrl },
      mail: props.mail,
      ...(props.config ? { config: props.config } : {}),
    });
    this.grantExports();

    // The chat webhooks queue their answers on the chat queue, and mail the code that links a chat to an
    // address; both exist only now (EventProcessing), after the routes' functions.
    // No chat queue when every chat channel is off (queues.ts): the chat webhooks then answer 404 before queueing.
    const chatQueue = this.events.queues.get(CHAT_QUEUE);
    for (const route of HTTP_ROUTES) {
      const fn = functions.get(route.handler)!;
      if (route.enqueuesChat && chatQueue?.queue) {
        chatQueue.queue.grantSendMessages(fn);
        fn.addEnvironment(CHAT_QUEUE_URL_ENV, chatQueue.queue.queueUrl);
      }
      if (route.mails) this.events.mail.grantSend(fn);
    }

    const receiving = props.mailReceiving ?? { mode: 'here' };
    if (receiving.mode !== 'off') {
      this.inboundMail = new InboundMail(this, 'InboundMail', {
        mail: props.mail,
        table,
        signingKey: props.secrets.signingKey,
        receiving,
      });
    }
    this.knowledgeBaseSeed = new KnowledgeBaseSeed(this, 'KnowledgeBaseSeed', { table });

    new CfnOutput(this, 'ApiUrl', {
      value: props.domain ? `${this.publicUrl}/` : this.stage.url,
      description: 'Base URL of the helpdesk HTTP API',
    });
    this.consoleDeployment = new ConsoleDeployment(this, 'Console', {
      bucketArn: props.console.bucketArn,
      bucketArnExportName: props.console.bucketArnExportName,
      distribution: props.console.distribution,
      // The API's public address (its custom domain when there is one), without a trailing slash.
      config: consoleConfig(props.console.config, this.publicUrl, { mode: 'cognito', ...props.console.signIn }),
    });
    this.operations = new Operations(this, 'Operations', { api: this.api, table });
  }

  /** The export routes (routes.ts `exports`): the start invokes the export worker, the poll signs download links. */
  private grantExports() {
    const worker = this.events.queues.get(EXPORT_QUEUE)?.consumer;
    if (!worker) throw new Error(`queues.ts: the export worker "${EXPORT_QUEUE}" is missing`);
    for (const route of HTTP_ROUTES) {
      const fn = this.functions.get(route.handler)!;
      if (route.exports === 'start') {
        // The function itself, not its versions (grantInvoke would add `:*`).
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [worker.functionArn] }));
        fn.addEnvironment(EXPORT_FUNCTION_NAME_ENV, worker.functionName);
      }
      if (route.exports === 'download') {
        // A presigned GET carries the signer's permission: GetObject on finished exports, nothing else.
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${this.mail.exportedBucketArn}/${EXPORT_PREFIX}*`] }),
        );
        fn.addEnvironment(MAIL_BUCKET_ENV, this.mail.bucket.bucketName);
        Validations.of(fn.role!).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${this.mail.bucketArnExportName}/${EXPORT_PREFIX}*]`,
          reason: `GetObject under ${EXPORT_PREFIX} only, to sign the download link of an export whose key it reads from the export's record; no mail, no attachments.`,
        });
      }
    }
  }
}
