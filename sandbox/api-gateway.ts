// The sandbox's API Gateway: an HTTP server that turns each request into the APIGatewayProxyEventV2 that
// an HTTP API (payload 2.0) delivers, with verified JWT claims where the JWT authorizer puts them, and
// calls the very handler module the route's Lambda runs. `/_local/*` are sandbox-only endpoints.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { systemClock } from '#shared/adapters/clock.ts';
import { API_ALLOWED_HEADERS, API_ALLOWED_METHODS, API_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '#shared/console/console-headers.ts';
import { FALLBACK_HANDLER, matchRoute } from '#shared/http/routes.ts';
import { invokeLocally } from './lambda-context.ts';
import type { LocalIssuer } from './local-jwt.ts';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
export type LocalRoute = (request: IncomingMessage, body: Buffer) => Promise<{ status: number; body: unknown }>;

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const handlers = new Map<string, Promise<Handler>>();
const loadHandler = (name: string): Promise<Handler> => {
  let handler = handlers.get(name);
  if (!handler) {
    handler = import(`../functions/http/${name}.ts`).then((module: { handler: Handler }) => module.handler);
    handlers.set(name, handler);
  }
  return handler;
};

const NO_BODY = Buffer.alloc(0);

/** The request's body; at once for a request that declares none (no Content-Length, no Transfer-Encoding: most GETs). */
const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  request.headers['transfer-encoding'] === undefined && (request.headers['content-length'] ?? '0') === '0'
    ? Promise.resolve(NO_BODY)
    : readDeclaredBody(request);

const readDeclaredBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** API Gateway hands claims over as strings; arrays become "[a b]". Worked out once per (remembered, frozen) token. */
const gatewayClaims = new WeakMap<object, Readonly<Record<string, string>>>();
const asGatewayClaims = (claims: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> => {
  let strings = gatewayClaims.get(claims);
  if (!strings) {
    strings = Object.freeze(
      Object.fromEntries(
        Object.entries(claims).map(([key, value]) => [key, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]),
      ),
    );
    gatewayClaims.set(claims, strings);
  }
  return strings;
};

const isTextual = (contentType: string | undefined) =>
  !contentType || /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded)|multipart\/form-data)/i.test(contentType);

const buildEvent = (
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string> | undefined,
  claims: Readonly<Record<string, string>> | undefined,
): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = systemClock.now();
  const textual = isTextual(headers['content-type']);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(request.headers.cookie ? { cookies: request.headers.cookie.split(/;\s*/) } : {}),
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: body.length > 0 && !textual,
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
  };
  return event;
};

const send = (response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) => {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
};

const gatewayError = (response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  send(response, status, { 'content-type': 'application/json', ...headers }, JSON.stringify({ message }));

const writeResult = (response: ServerResponse, result: APIGatewayProxyResultV2) => {
  if (typeof result === 'string' || typeof result !== 'object' || result === null || !('statusCode' in result)) {
    send(response, 200, { 'content-type': 'application/json' }, JSON.stringify(result));
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies.join(', ');
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  send(response, result.statusCode ?? 200, headers, body);
};

export type ApiGatewayOptions = {
  issuer: LocalIssuer;
  /** Origins allowed to call the API from a browser (the console's), as the HTTP API's CORS configuration. */
  allowedOrigins?: () => string[];
  /** Sandbox-only routes, by "METHOD /_local/path". */
  localRoutes: Record<string, LocalRoute>;
  log?: (line: string) => void;
};

/**
 * CORS as API Gateway's HTTP API answers it once `corsPreflight` is configured: a preflight from an allowed
 * origin gets the allowed methods and headers, one from any other origin gets no CORS headers at all (the
 * browser then refuses); other answers carry Access-Control-Allow-Origin only for an allowed origin.
 */
const corsHeaders = (request: IncomingMessage, allowed: string[]): { preflight: boolean; headers: Record<string, string> } => {
  const origin = request.headers.origin;
  const preflight = request.method === 'OPTIONS' && typeof request.headers['access-control-request-method'] === 'string';
  if (!origin || !allowed.includes(origin)) return { preflight, headers: {} };
  if (preflight)
    return {
      preflight,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': API_ALLOWED_METHODS.join(','),
        'access-control-allow-headers': API_ALLOWED_HEADERS.join(','),
        'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
        vary: 'origin',
      },
    };
  return {
    preflight,
    headers: { 'access-control-allow-origin': origin, 'access-control-expose-headers': API_EXPOSED_HEADERS.join(','), vary: 'origin' },
  };
};

export const createApiGateway = (options: ApiGatewayOptions): Server =>
  createServer(async (request, response) => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const cors = corsHeaders(request, options.allowedOrigins?.() ?? []);
    if (cors.preflight) {
      response.writeHead(204, cors.headers).end();
      return;
    }
    // Every answer (the handler's, the authorizer's, the gateway's own errors) carries the CORS headers.
    for (const [name, value] of Object.entries(cors.headers)) response.setHeader(name, value);
    try {
      const body = await readBody(request);
      if (body === undefined) return gatewayError(response, 413, 'Request Entity Too Large');
      const local = options.localRoutes[`${method} ${path}`];
      if (local) {
        const result = await local(request, body);
        return send(response, result.status, { 'content-type': 'application/json' }, JSON.stringify(result.body));
      }
      const match = matchRoute(method, path);
      const route = match.kind === 'route' ? match.route : undefined;
      let claims: Readonly<Record<string, string>> | undefined;
      if (route?.auth) {
        // Tokens live in real time: moving the sandbox clock to watch an SLA run out keeps you signed in.
        const verified = options.issuer.verify(request.headers.authorization, new Date());
        // What API Gateway's JWT authorizer answers; the function never runs.
        if (!verified) return gatewayError(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
        claims = asGatewayClaims(verified);
      }
      const handlerName = route?.handler ?? FALLBACK_HANDLER;
      const event = buildEvent(
        request,
        url,
        body,
        route ? `${route.method} ${route.path}` : '$default',
        match.kind === 'route' ? match.pathParameters : undefined,
        claims,
      );
      const handler = await loadHandler(handlerName);
      writeResult(
        response,
        await invokeLocally(handlerName, event.requestContext.requestId, undefined, (context) => handler(event, context)),
      );
    } catch (error) {
      // What API Gateway answers when the integration itself fails.
      options.log?.(`! ${method} ${path}: ${(error as Error).message}`);
      if (!response.headersSent) gatewayError(response, 500, 'Internal Server Error');
    } finally {
      options.log?.(`${method} ${path} ${response.statusCode} ${Math.round(performance.now() - started)}ms`);
    }
  });
