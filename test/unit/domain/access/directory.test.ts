import { describe, expect, it } from 'vitest';
import { listAgents } from '#shared/domain/access/directory.ts';
import { alice, ivan } from '#test/fixtures/identities.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

describe('the agents directory', () => {
  it('gives staff every agent’s id, name, teams and availability, without addresses', () => {
    const agents = listAgents(testConfig, ivan);
    expect(agents.map((agent) => agent.id)).toEqual(testConfig.agents.map((agent) => agent.id));
    expect(agents[0]).toEqual({
      id: testConfig.agents[0]!.id,
      name: testConfig.agents[0]!.name,
      teams: testConfig.agents[0]!.teams,
      available: testConfig.agents[0]!.available,
    });
    expect(JSON.stringify(agents)).not.toContain('@');
  });

  it('is refused to a requester', () => {
    expect(() => listAgents(testConfig, alice)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });
});
