// GET /agents — staff: the agents of the configuration (id, name, teams, availability), without addresses.
import { loadConfig } from '#shared/config/load-config.ts';
import { listAgents } from '#shared/domain/access/directory.ts';
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({}, async ({ identity }) => ({ status: 200, body: { items: listAgents(loadConfig(), identity) } }));
