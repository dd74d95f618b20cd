// The one middy chain every HTTP function runs: Powertools logger, metrics and tracer, then parsing
// (identity, size, content type, JSON, schema), then the domain call, then one error mapping.
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { loadConfig } from '#shared/config/load-config.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { DomainError, type FieldProblem, validationError } from '#shared/domain/errors.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { identityFromEvent, requireMachineScope } from './identity-from-claims.ts';
import { internalErrorResponse, problemFor } from './problem.ts';

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
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  /** Also accept `application/x-www-form-urlencoded` (an HTML form without script); fields arrive as strings. */
  form?: boolean;
};

const ANONYMOUS: Identity = { id: 'anonymous', role: 'requester', teams: [] };

const machineChecked = (identity: Identity, method: string): Identity => {
  requireMachineScope(identity, method);
  return identity;
};

export const zodProblems = (error: z.ZodError, prefix = ''): FieldProblem[] =>
  error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [path, key].filter(Boolean).join('.'), message: 'is not a known field' }));
    return [{ path: path || '(body)', message: issue.message }];
  });

const isJson = (contentType: string | undefined) => !!contentType && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

const isForm = (contentType: string | undefined) =>
  !!contentType && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType.trim());

const parseBody = <Body>(event: APIGatewayProxyEventV2, schema: z.ZodType<Body>, form = false): Body => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const limit = loadConfig().limits.maxBodyBytes;
  if (bytes.length > limit)
    throw new DomainError('payload-too-large', `The request body is ${bytes.length} bytes; the limit is ${limit} bytes.`);
  if (form && isForm(event.headers['content-type'])) {
    const fields = Object.fromEntries(new URLSearchParams(bytes.toString('utf8')));
    const result = schema.safeParse(fields);
    if (!result.success) throw validationError(zodProblems(result.error), 'The form is not valid.');
    return result.data;
  }
  if (!isJson(event.headers['content-type']))
    throw new DomainError(
      'unsupported-media-type',
      `Send the body as JSON with "Content-Type: application/json" (got ${JSON.stringify(event.headers['content-type'] ?? 'none')}).`,
    );
  if (bytes.length === 0) throw validationError([{ path: '(body)', message: 'is required' }], 'The request needs a JSON body.');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw validationError(
      [{ path: '(body)', message: `is not valid JSON: ${(error as Error).message}` }],
      'The request body is not valid JSON.',
    );
  }
  const result = schema.safeParse(json);
  if (!result.success) throw validationError(zodProblems(result.error), 'The request body is not valid.');
  return result.data;
};

const parseQuery = <Query>(event: APIGatewayProxyEventV2, schema: z.ZodType<Query>): Query => {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success) throw validationError(zodProblems(result.error), 'The query string is not valid.');
  return result.data;
};

/** Maps any failure to problem+json: domain errors by kind, anything else to a bare 500. */
const problemDetails = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const { error } = request;
    if (error instanceof DomainError) {
      logger.info('request refused', { kind: error.kind });
      request.response = problemFor(error, request.event.rawPath);
      return;
    }
    logger.error('request failed', { error: errorForLog(error) });
    request.response = internalErrorResponse(request.context.awsRequestId);
  },
});

export const httpHandler = <Body = undefined, Query = Record<string, never>>(
  spec: Spec<Body, Query>,
  run: (request: HttpRequest<Body, Query>) => Promise<HttpReply>,
) =>
  observed<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemDetails())
    .handler(async (event, context) => {
      const request: HttpRequest<Body, Query> = {
        identity: spec.auth === false ? ANONYMOUS : machineChecked(identityFromEvent(event), event.requestContext.http.method),
        body: (spec.body ? parseBody(event, spec.body, spec.form) : undefined) as Body,
        query: (spec.query ? parseQuery(event, spec.query) : {}) as Query,
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
