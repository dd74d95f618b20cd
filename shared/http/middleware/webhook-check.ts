// A public route's own check of who is calling, for webhooks, which carry no JWT: Telegram's secret token
// header, Meta's signature of the body. It runs on the headers and the body's exact bytes (the signature is
// over them) after the size limit and before anything parses the body, so a refused delivery is 401 and
// nothing of it is read or done.
import type middy from '@middy/core';
import { DomainError } from '#shared/domain/errors.ts';
import type { HttpEvent } from './http-event.ts';

/** Whether the delivery carries the webhook's secret or signature. */
export type WebhookCheck = (request: { headers: Record<string, string | undefined>; rawBody: Buffer }) => Promise<boolean>;

export const checkWebhook = (check: WebhookCheck): middy.MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const { event } = request;
    const rawBody = event.bodyBytes ?? Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (!(await check({ headers: event.headers, rawBody })))
      throw new DomainError('unauthorized', "The delivery does not carry the webhook's secret or signature.");
  },
});
