// Typed failures the domain can report. Each kind maps to one HTTP status in `shared/http/problem.ts`;
// nothing else decides status codes.
export type FieldProblem = { path: string; message: string };

export type ErrorKind =
  | 'validation'
  /** Well-formed, but a value the desk does not know or accept (an unknown tag, a field value not on its list). */
  | 'unprocessable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'precondition-failed'
  | 'precondition-required'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'idempotency-mismatch'
  | 'too-many-requests';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: { errors?: FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (errors: FieldProblem[], message = 'The request is not valid.') =>
  new DomainError('validation', message, { errors });
export const unprocessable = (errors: FieldProblem[], message = 'The request names values the desk does not accept.') =>
  new DomainError('unprocessable', message, { errors });
export const notFound = (message = 'Not found.') => new DomainError('not-found', message);
export const conflict = (message: string, errors?: FieldProblem[]) => new DomainError('conflict', message, errors ? { errors } : {});
export const forbidden = (message: string, errors?: FieldProblem[]) => new DomainError('forbidden', message, errors ? { errors } : {});
