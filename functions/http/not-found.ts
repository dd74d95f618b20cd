// API Gateway's $default route: a path no route serves is 404; a known path with the wrong method is 405.
import { DomainError } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { matchRoute } from '#shared/http/routes.ts';

export const handler = httpHandler({ auth: false }, async ({ method, path }) => {
  const match = matchRoute(method, path);
  if (match.kind === 'wrong-method')
    throw new DomainError('method-not-allowed', `${path} does not accept ${method}; use ${match.allow.join(' or ')}.`, {
      headers: { allow: match.allow.join(', ') },
    });
  throw new DomainError('not-found', `There is no ${method} ${path.slice(0, 200)} in this API.`);
});
