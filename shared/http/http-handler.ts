// The one middy chain every HTTP function runs: Powertools logger and metrics, then the caller's
// identity and the request middlewares (middleware/: body size, a webhook's own check of its caller, content
// type, body parsing, schema validation), then the domain call, then one error mapping.
import type middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '#shared/config/load-config.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type * as z from '#shared/domain/zod.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { identityFromEvent, requireMachineScope } from './identity-from-claims.ts';
import { parseBody } from './middleware/body-parser.ts';
import { bodySizeLimit } from './middleware/body-size-limit.ts';
import { requireContentType } from './middleware/content-type.ts';
import type { HttpEvent } from './middleware/http-event.ts';
import { validateBody, validateQuery } from './middleware/validate-request.ts';
import { checkWebhook, type WebhookCheck } from './middleware/webhook-check.ts';
import { internalErrorResponse, isDependencyOutage, problemFor, serviceUnavailableResponse } from './problem.ts';

export type HttpRequest<Body, Query> = {
  identity: Identity;
  body: Body;
  query: Query;
  pathParameters: Record<string, string>;
  headers: Record<string, string>;
  requestId: string;
  method: string;
  path: string;
  sourceIp: string | undefined;
};

export type HttpReply = {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (an HTML page); the reply's headers give its content type. */
  text?: string;
  headers?: Record<string, string>;
};

type Spec<Body, Query> = {
  /** Whether a signed-in caller is required (everything but health and the OpenAPI document). */
  auth?: boolean;
  body?: z.ZodMiniType<Body>;
  query?: z.ZodMiniType<Query>;
  /** Also accept `application/x-www-form-urlencoded` (an HTML form without script); fields arrive as strings. */
  form?: boolean;
  /** A public webhook's own check of its caller (a secret header, a signature of the raw body), before the body is parsed. */
  webhook?: WebhookCheck;
  /** Methods that take no body, for a handler serving two methods of one path (DELETE beside PUT). */
  noBodyFor?: readonly string[];
};

/** The body's middlewares, passed over for a method that takes no body. */
const forBody = (noBodyFor: readonly string[], middleware: middy.MiddlewareObj<HttpEvent>): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    if (!noBodyFor.includes(request.event.requestContext.http.method)) await middleware.before?.(request);
  },
});

const ANONYMOUS: Identity = { id: 'anonymous', role: 'requester', teams: [] };

/** Who is calling: the token's identity (a machine client within its scopes), or anonymous on a public route. */
const callerIdentity = (auth: boolean): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const { event } = request;
    if (!auth) {
      event.identity = ANONYMOUS;
      return;
    }
    const identity = identityFromEvent(event);
    requireMachineScope(identity, event.requestContext.http.method);
    event.identity = identity;
  },
});

/** Maps any failure to problem+json: domain errors by kind, a dependency outage to 503, anything else to a bare 500. */
const problemDetails = (): middy.MiddlewareObj<HttpEvent, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const { error } = request;
    if (error instanceof DomainError) {
      logger.info('request refused', { kind: error.kind });
      request.response = problemFor(error, request.event.rawPath);
      return;
    }
    if (isDependencyOutage(error)) {
      logger.warn('dependency unavailable', { error: errorForLog(error) });
      request.response = serviceUnavailableResponse(request.context.awsRequestId);
      return;
    }
    logger.error('request failed', { error: errorForLog(error) });
    request.response = internalErrorResponse(request.context.awsRequestId);
  },
});

export const httpHandler = <Body = undefined, Query = Record<string, never>>(
  spec: Spec<Body, Query>,
  run: (request: HttpRequest<Body, Query>) => Promise<HttpReply>,
) => {
  // The caller first (a refused caller learns nothing about the body), then the body, then the query.
  const chain = observed<HttpEvent, APIGatewayProxyStructuredResultV2>()
    .use(problemDetails())
    .use(callerIdentity(spec.auth !== false));
  if (spec.body) chain.use(bodySizeLimit({ maxBytes: () => loadConfig().limits.maxBodyBytes }));
  if (spec.webhook) chain.use(checkWebhook(spec.webhook));
  if (spec.body) {
    const noBody = spec.noBodyFor ?? [];
    chain
      .use(forBody(noBody, requireContentType({ form: spec.form })))
      .use(forBody(noBody, parseBody()))
      .use(forBody(noBody, validateBody(spec.body)));
  }
  if (spec.query) chain.use(validateQuery(spec.query));
  return chain.handler(async (event, context) => {
    const request: HttpRequest<Body, Query> = {
      identity: event.identity!,
      body: event.parsedBody as Body,
      query: (spec.query ? event.parsedQuery : {}) as Query,
      pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
      headers: event.headers as Record<string, string>,
      requestId: context.awsRequestId,
      method: event.requestContext.http.method,
      path: event.rawPath,
      sourceIp: event.requestContext.http.sourceIp,
    };
    const reply = await run(request);
    return {
      statusCode: reply.status,
      headers: { ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }), ...reply.headers },
      body: reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)),
    };
  });
};
