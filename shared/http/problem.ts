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

export const internalErrorResponse = (requestId: string | undefined): APIGatewayProxyStructuredResultV2 =>
  problemResponse({
    type: 'urn:helpdesk:problem:internal',
    title: 'Internal server error',
    status: 500,
    detail: `Something went wrong on our side. If it persists, quote request id ${requestId ?? 'unknown'}.`,
  });
