// RFC 9457 problem details: the one mapping from domain errors to HTTP statuses. A 5xx never shows
// internals; its detail is a fixed sentence and the request id to quote.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DomainError, ErrorKind, FieldProblem } from '#shared/domain/errors.ts';

const STATUS: Record<ErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: 'Bad request' },
  unprocessable: { status: 422, title: 'Unprocessable content' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'idempotency-mismatch': { status: 422, title: 'Idempotency key reused' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
};

export const problemResponse = (problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode: problem.status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify(problem),
});

export const problemFor = (error: DomainError, instance?: string): APIGatewayProxyStructuredResultV2 => {
  const { status, title } = STATUS[error.kind];
  return problemResponse(
    {
      type: `urn:helpdesk:problem:${error.kind}`,
      title,
      status,
      detail: error.message,
      ...(instance ? { instance } : {}),
      ...(error.details.errors ? { errors: error.details.errors } : {}),
    },
    error.details.headers,
  );
};

/** What a client is told to wait before trying again when a service the helpdesk needs is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** Node's codes for a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** AWS errors that say the service is unavailable, slow or throttling for now: trying later will do. */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
]);

/**
 * Whether an error means that a service the helpdesk depends on (DynamoDB, SES, the bus, …) is unreachable,
 * timing out, failing on its side or throttling, after the SDK's own retries: the request may well succeed
 * later, so the answer is 503 with Retry-After rather than 500.
 */
export const isDependencyOutage = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const { code, $fault, $metadata } = error as Error & { code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (code && NETWORK_CODES.has(code)) return true;
  // A connection refused on every address of a host (Node tries IPv4 and IPv6) arrives as an AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isDependencyOutage);
  if (TRANSIENT_NAMES.has(error.name)) return true;
  return $fault === 'server' || ($metadata?.httpStatusCode ?? 0) >= 500;
};

export const serviceUnavailableResponse = (requestId: string | undefined): APIGatewayProxyStructuredResultV2 =>
  problemResponse(
    {
      type: 'urn:helpdesk:problem:service-unavailable',
      title: 'Service unavailable',
      status: 503,
      detail: `A service the helpdesk needs is not answering right now; nothing was changed. Try again in ${RETRY_AFTER_SECONDS} seconds. If it persists, quote request id ${requestId ?? 'unknown'}.`,
    },
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
  );

export const internalErrorResponse = (requestId: string | undefined): APIGatewayProxyStructuredResultV2 =>
  problemResponse({
    type: 'urn:helpdesk:problem:internal',
    title: 'Internal server error',
    status: 500,
    detail: `Something went wrong on our side. If it persists, quote request id ${requestId ?? 'unknown'}.`,
  });
