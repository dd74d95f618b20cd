// Refuses a body over the limit (413) before anything reads it, and hands on its bytes, decoded from
// base64 when API Gateway encoded it.
import type middy from '@middy/core';
import { DomainError } from '#shared/domain/errors.ts';
import type { HttpEvent } from './http-event.ts';

export const bodySizeLimit = (options: { maxBytes: () => number }): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const raw = request.event.body ?? '';
    const bytes = request.event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    const limit = options.maxBytes();
    if (bytes.length > limit)
      throw new DomainError('payload-too-large', `The request body is ${bytes.length} bytes; the limit is ${limit} bytes.`);
    request.event.bodyBytes = bytes;
  },
});
