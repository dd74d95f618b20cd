// Parses the body in the format content-type.ts accepted: JSON (required, and valid, else a 400 naming
// `(body)`), or a form's fields as strings.
import type middy from '@middy/core';
import { validationError } from '#shared/domain/errors.ts';
import type { HttpEvent } from './http-event.ts';

export const parseBody = (): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const { event } = request;
    const bytes = event.bodyBytes ?? Buffer.from(event.body ?? '', 'utf8');
    if (event.bodyFormat === 'form') {
      event.parsedBody = Object.fromEntries(new URLSearchParams(bytes.toString('utf8')));
      return;
    }
    if (bytes.length === 0) throw validationError([{ path: '(body)', message: 'is required' }], 'The request needs a JSON body.');
    try {
      event.parsedBody = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw validationError(
        [{ path: '(body)', message: `is not valid JSON: ${(error as Error).message}` }],
        'The request body is not valid JSON.',
      );
    }
  },
});
