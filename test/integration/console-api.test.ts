// The routes the web console added: the signed-in rating and the agents directory, over HTTP.
import { describe, expect, it } from 'vitest';
import { call, cast, createRouted, tokenFor } from './api-client.ts';

describe('rating from the console, signed in', () => {
  it('takes the requester’s vote on their resolved ticket and refuses an agent’s', async () => {
    // Arrange
    const { requester, agent } = await cast();
    const ticket = await createRouted(requester, { subject: 'Proyektor kelas 8B mati' });
    const resolved = await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'resolved' } });
    expect(resolved.status).toBe(200);

    // Act
    const vote = await call(`/tickets/${ticket.id}/csat`, {
      method: 'PUT',
      token: requester,
      body: { rating: 4, comment: 'Terima kasih' },
    });
    const agentsVote = await call(`/tickets/${ticket.id}/csat`, { method: 'PUT', token: agent, body: { rating: 5 } });
    const bad = await call(`/tickets/${ticket.id}/csat`, { method: 'PUT', token: requester, body: { rating: 9 } });

    // Assert
    expect(vote.status).toBe(200);
    expect(vote.body).toMatchObject({ outcome: 'recorded', rating: 4, commented: true });
    expect(agentsVote.status).toBe(403);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((problem: { path: string }) => problem.path)).toEqual(['rating']);
    expect((await call(`/tickets/${ticket.id}`, { token: requester })).body.csat).toMatchObject({ rating: 4, comment: 'Terima kasih' });
  });
});

describe('the staff directory, as the console reads it', () => {
  it("names an agent's team for them, everyone for a lead, and is refused to requesters", async () => {
    const { requester, agent } = await cast();
    const staff = await call('/staff', { token: agent });
    expect(staff.status).toBe(200);
    expect(staff.body.items).toContainEqual(
      expect.objectContaining({ id: 'budi', name: 'Budi Santoso', teams: ['it-support'], available: true }),
    );
    expect(staff.body.items.every((member: { teams: string[] }) => member.teams.includes('it-support'))).toBe(true);
    expect((await call('/staff', { token: requester })).status).toBe(403);
    const all = await call('/staff', { token: await tokenFor({ sub: 'x', groups: ['lead'] }) });
    expect(all.body.items.map((member: { id: string }) => member.id)).toEqual(expect.arrayContaining(['agus', 'budi', 'dewi', 'rina']));
  });
});
