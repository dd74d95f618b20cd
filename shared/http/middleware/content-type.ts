// Accepts a JSON body (`application/json` or `application/<x>+json`), and a form body
// (`application/x-www-form-urlencoded`, what an HTML form without script posts) where the route allows one;
// anything else is 415 with what to send instead.
import type middy from '@middy/core';
import { DomainError } from '#shared/domain/errors.ts';
import type { HttpEvent } from './http-event.ts';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export const requireContentType = (options: { form?: boolean } = {}): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const contentType = request.event.headers['content-type']?.trim() ?? '';
    if (options.form && FORM_TYPE.test(contentType)) request.event.bodyFormat = 'form';
    else if (JSON_TYPE.test(contentType)) request.event.bodyFormat = 'json';
    else
      throw new DomainError(
        'unsupported-media-type',
        `Send the body as JSON with "Content-Type: application/json" (got ${JSON.stringify(request.event.headers['content-type'] ?? 'none')}).`,
      );
  },
});
