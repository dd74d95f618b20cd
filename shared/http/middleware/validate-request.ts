// Checks the parsed body and the query string against the route's zod schemas; a failure is a 400 whose
// problems name each field. What passes is the schema's output (defaults filled in, unknown fields refused).
import type middy from '@middy/core';
import { type FieldProblem, validationError } from '#shared/domain/errors.ts';
import type * as z from '#shared/domain/zod.ts';
import type { HttpEvent } from './http-event.ts';

/** zod's issues as the problem+json `errors` list: the field's dotted path and what is wrong with it. */
export const zodProblems = (error: z.core.$ZodError, prefix = ''): FieldProblem[] =>
  error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [path, key].filter(Boolean).join('.'), message: 'is not a known field' }));
    return [{ path: path || '(body)', message: issue.message }];
  });

export const validateBody = (schema: z.ZodMiniType): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const { event } = request;
    const result = schema.safeParse(event.parsedBody);
    if (!result.success)
      throw validationError(
        zodProblems(result.error),
        event.bodyFormat === 'form' ? 'The form is not valid.' : 'The request body is not valid.',
      );
    event.parsedBody = result.data;
  },
});

export const validateQuery = (schema: z.ZodMiniType): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const result = schema.safeParse(request.event.queryStringParameters ?? {});
    if (!result.success) throw validationError(zodProblems(result.error), 'The query string is not valid.');
    request.event.parsedQuery = result.data;
  },
});
