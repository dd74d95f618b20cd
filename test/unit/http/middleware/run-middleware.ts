// Runs request middlewares the way the one chain does, with a handler that hands back the event they left.
import middy from '@middy/core';
import { DomainError } from '#shared/domain/errors.ts';
import type { HttpEvent } from '#shared/http/middleware/http-event.ts';
import { type EventOptions, httpEvent, lambdaContext } from '#test/fixtures/api-gateway-event.ts';

export const runMiddleware = async (
  middlewares: middy.MiddlewareObj<HttpEvent>[],
  options: Partial<EventOptions> = {},
): Promise<HttpEvent> => {
  const chain = middy<HttpEvent, HttpEvent>();
  for (const middleware of middlewares) chain.use(middleware);
  return chain.handler(async (event) => event)(httpEvent({ method: 'POST', path: '/tickets', ...options }), lambdaContext());
};

/** The DomainError a run refused with. */
export const refusal = async (run: Promise<unknown>): Promise<DomainError> => {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};
