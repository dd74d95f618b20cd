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

describe('the agents directory', () => {
  it('names the agents for staff and is refused to requesters', async () => {
    const { requester, agent } = await cast();
    const staff = await call('/agents', { token: agent });
    expect(staff.status).toBe(200);
    expect(staff.body.items).toContainEqual({ id: 'budi', name: 'Budi Santoso', teams: ['it-support'], available: true });
    expect((await call('/agents', { token: requester })).status).toBe(403);
    expect((await call('/agents', { token: await tokenFor({ sub: 'x', groups: ['lead'] }) })).status).toBe(200);
  });
});
