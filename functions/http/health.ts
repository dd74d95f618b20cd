// GET /health — liveness for load balancers and uptime checks; unauthenticated, touches nothing.
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({ auth: false }, async () => ({ status: 200, body: { status: 'ok' } }));
