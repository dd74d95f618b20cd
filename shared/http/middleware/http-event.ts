// The event as the request middlewares leave it for the next one: API Gateway's event, plus what each
// middleware worked out (the body's bytes, its format, the parsed and validated body and query, the caller).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Identity } from '#shared/domain/access/identity.ts';

export type HttpEvent = APIGatewayProxyEventV2 & {
  /** The body as bytes, decoded from base64 when API Gateway encoded it (body-size-limit.ts). */
  bodyBytes?: Buffer;
  /** How the body is written (content-type.ts). */
  bodyFormat?: 'json' | 'form';
  /** The body parsed (body-parser.ts), then validated (validate-request.ts). */
  parsedBody?: unknown;
  /** The query string validated (validate-request.ts). */
  parsedQuery?: unknown;
  /** Who is calling (http-handler.ts). */
  identity?: Identity;
};
