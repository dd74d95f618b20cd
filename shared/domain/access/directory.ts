// The agents of the configuration as staff see them in the console: who a ticket can be assigned to, and
// whose names stand beside their work in a history. Staff only; no addresses.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { forbidden } from '#shared/domain/errors.ts';
import { type Identity, isStaff } from './identity.ts';

export type DirectoryAgent = { id: string; name: string; teams: string[]; available: boolean };

export const listAgents = (config: HelpdeskConfig, identity: Identity): DirectoryAgent[] => {
  if (!isStaff(identity)) throw forbidden('The list of agents is for staff.');
  return config.agents.map((agent) => ({ id: agent.id, name: agent.name, teams: agent.teams, available: agent.available }));
};
