// Routing decisions: team from the category, fewest open tickets, round-robin on ties, unavailable agents
// skipped, a lost race retried, a ticket routed once however often it is asked, and routers of one team
// working at once still spreading by load.
import { describe, expect, it, vi } from 'vitest';
import { routeTicket, routeTickets } from '#shared/domain/routing/route-ticket.ts';
import { classifyTicket, teamForCategory } from '#shared/domain/tickets/classify-ticket.ts';
import { VersionConflictError } from '#shared/domain/tickets/ports.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const itTicket = (n: number, overrides = {}) =>
  aTicket({ id: `01HZZZZZZZZZZZZZZZZZZZZZ${String(n).padStart(2, '0')}`, number: n, ...overrides });

describe('routeTicket', () => {
  it('gives the ticket to the team member with the fewest tickets in work', async () => {
    // Arrange: it-support is ivan, iwan, mira; ivan has two open tickets, iwan one, mira one resolved only
    const deps = testDeps();
    deps.tickets.seed(itTicket(1, { assignee: 'ivan', status: 'open' }));
    deps.tickets.seed(itTicket(2, { assignee: 'ivan', status: 'pending' }));
    deps.tickets.seed(itTicket(3, { assignee: 'iwan', status: 'on_hold' }));
    deps.tickets.seed(itTicket(4, { assignee: 'mira', status: 'resolved' }));
    deps.tickets.seed(itTicket(5));

    // Act
    const result = await routeTicket(deps, itTicket(5).id);

    // Assert
    expect(result).toMatchObject({ outcome: 'assigned', agent: 'mira' });
    const stored = await deps.tickets.getTicket(itTicket(5).id);
    expect(stored).toMatchObject({ assignee: 'mira', status: 'open', version: 2 });
    expect(deps.tickets.historyOf(itTicket(5).id).map((event) => [event.type, event.actor.id])).toEqual([
      ['Assigned', 'router'],
      ['StatusChanged', 'router'],
    ]);
  });

  it('takes turns among equally loaded agents, in the configuration order', async () => {
    // Arrange
    const deps = testDeps();
    for (const n of [1, 2, 3, 4]) deps.tickets.seed(itTicket(n));

    // Act: the first three take one each; the fourth starts the round again
    const agents = [];
    for (const n of [1, 2, 3, 4]) {
      const result = await routeTicket(deps, itTicket(n).id);
      agents.push(result.outcome === 'assigned' ? result.agent : result.reason);
    }

    // Assert
    expect(agents).toEqual(['ivan', 'iwan', 'mira', 'ivan']);
  });

  it('gives nothing new to an agent set unavailable', async () => {
    // Arrange: ivan and mira are away (set in the staff directory, no deploy); iwan already has two tickets
    const deps = testDeps();
    deps.staff.update('ivan', { available: false });
    deps.staff.update('mira', { available: false });
    deps.tickets.seed(itTicket(1, { assignee: 'iwan', status: 'open' }));
    deps.tickets.seed(itTicket(2, { assignee: 'iwan', status: 'open' }));
    deps.tickets.seed(itTicket(3));

    // Act
    const result = await routeTicket(deps, itTicket(3).id);

    // Assert
    expect(result).toMatchObject({ outcome: 'assigned', agent: 'iwan' });
  });

  it('leaves the ticket in its team queue when nobody in the team is available', async () => {
    const deps = testDeps();
    for (const member of await deps.staff.list())
      if (member.teams.includes('it-support')) deps.staff.update(member.id, { available: false });
    deps.tickets.seed(itTicket(1));
    expect(await routeTicket(deps, itTicket(1).id)).toEqual({ outcome: 'skipped', reason: 'no-available-agent' });
    expect(await deps.tickets.getTicket(itTicket(1).id)).toMatchObject({ assignee: null, version: 1 });
  });

  it('assigns once however many times the same ticket is routed, even concurrently', async () => {
    // Arrange
    const deps = testDeps();
    deps.tickets.seed(itTicket(1));

    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => routeTicket(deps, itTicket(1).id)));

    // Assert
    expect(results.filter((result) => result.outcome === 'assigned')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'skipped')).toHaveLength(9);
    expect(deps.tickets.historyOf(itTicket(1).id).filter((event) => event.type === 'Assigned')).toHaveLength(1);
  });

  it('re-reads and re-decides when the ticket changed under it', async () => {
    // Arrange: the first save loses a race with a human who assigned the ticket meanwhile
    const deps = testDeps();
    deps.tickets.seed(itTicket(1));
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    let raced = false;
    deps.tickets.saveTicket = async (ticket, expected, events) => {
      if (!raced) {
        raced = true;
        await save({ ...(await deps.tickets.getTicket(ticket.id))!, assignee: 'iwan', status: 'open', version: 2 }, 1, []);
        throw new VersionConflictError(ticket.id);
      }
      return save(ticket, expected, events);
    };

    // Act
    const result = await routeTicket(deps, itTicket(1).id);

    // Assert
    expect(result).toEqual({ outcome: 'skipped', reason: 'already-assigned' });
    expect((await deps.tickets.getTicket(itTicket(1).id))?.assignee).toBe('iwan');
  });

  it('spreads a burst by load when many routers of one team work at once', async () => {
    // Arrange: nine new it-support tickets; ivan already has one in work
    const deps = testDeps();
    deps.tickets.seed(itTicket(1, { assignee: 'ivan', status: 'open' }));
    for (let n = 2; n <= 10; n++) deps.tickets.seed(itTicket(n));

    // Act: all nine routed at once, as several consumers' batches are
    const results = await Promise.all(Array.from({ length: 9 }, (_, index) => routeTicket(deps, itTicket(index + 2).id)));

    // Assert: each assigned once; the three agents end level (4, 3 + ivan's own, 3)
    expect(results.every((result) => result.outcome === 'assigned')).toBe(true);
    const loads = new Map<string, number>();
    for (const ticket of deps.tickets.all()) if (ticket.assignee) loads.set(ticket.assignee, (loads.get(ticket.assignee) ?? 0) + 1);
    expect(Object.fromEntries(loads)).toEqual({ ivan: 4, iwan: 3, mira: 3 });
    for (let n = 2; n <= 10; n++)
      expect(deps.tickets.historyOf(itTicket(n).id).filter((event) => event.type === 'Assigned')).toHaveLength(1);
  });

  it('counts an assignment the agents’ index does not show yet', async () => {
    // Arrange: the index lags (shows nobody's tickets); two tickets in a row for the same team
    const deps = testDeps();
    deps.tickets.seed(itTicket(1));
    deps.tickets.seed(itTicket(2));
    deps.routing.activeTickets = async () => [];

    // Act
    const first = await routeTicket(deps, itTicket(1).id);
    const second = await routeTicket(deps, itTicket(2).id);

    // Assert: the second does not land on the first's agent, whose new ticket the turn remembers
    expect(first).toMatchObject({ outcome: 'assigned', agent: 'ivan' });
    expect(second).toMatchObject({ outcome: 'assigned', agent: 'iwan' });
    expect(deps.tickets.turnOf('it-support')).toMatchObject({ last: 'iwan', version: 2 });
  });

  it('forgets an assignment on the turn after a minute, when the index shows it', async () => {
    // Arrange: ivan was given ticket 1 by the router two minutes ago; it is resolved since
    const deps = testDeps();
    deps.tickets.seed(itTicket(1));
    await routeTicket(deps, itTicket(1).id);
    const resolved = (await deps.tickets.getTicket(itTicket(1).id))!;
    await deps.tickets.saveTicket({ ...resolved, status: 'resolved', version: resolved.version + 1 }, resolved.version, []);
    deps.clock.advance(2 * 60_000);
    deps.tickets.seed(itTicket(2));
    deps.tickets.seed(itTicket(3, { assignee: 'iwan', status: 'open' }));
    deps.tickets.seed(itTicket(4, { assignee: 'mira', status: 'open' }));

    // Act
    const result = await routeTicket(deps, itTicket(2).id);

    // Assert: ivan has nothing in work, and the old assignment no longer counts
    expect(result).toMatchObject({ outcome: 'assigned', agent: 'ivan' });
  });

  it('skips tickets that are gone, resolved or waiting on the requester', async () => {
    const deps = testDeps();
    deps.tickets.seed(itTicket(1, { status: 'resolved' }));
    deps.tickets.seed(itTicket(2, { status: 'pending' }));
    expect(await routeTicket(deps, 'nope')).toEqual({ outcome: 'skipped', reason: 'not-found' });
    expect(await routeTicket(deps, itTicket(1).id)).toEqual({ outcome: 'skipped', reason: 'not-in-work' });
    expect(await routeTicket(deps, itTicket(2).id)).toEqual({ outcome: 'skipped', reason: 'not-in-work' });
  });
});

describe('routeTickets (one batch)', () => {
  it('reads the staff once and the team’s loads once for a batch of one team, and spreads it by load', async () => {
    // Arrange: six new it-support tickets; ivan already has one in work
    const deps = testDeps();
    deps.tickets.seed(itTicket(1, { assignee: 'ivan', status: 'open' }));
    for (let n = 2; n <= 7; n++) deps.tickets.seed(itTicket(n));
    const staffReads = vi.spyOn(deps.staff, 'list');
    const loadReads = vi.spyOn(deps.routing, 'activeTickets');

    // Act
    const results = await routeTickets(
      deps,
      [2, 3, 4, 5, 6, 7].map((n) => itTicket(n).id),
    );

    // Assert: each assigned; iwan and mira catch up with ivan first, then turns; one read of each agent's load
    expect(
      results.map((result) => (result.status === 'fulfilled' && result.value.outcome === 'assigned' ? result.value.agent : '?')),
    ).toEqual(['iwan', 'mira', 'ivan', 'iwan', 'mira', 'ivan']);
    expect(staffReads).toHaveBeenCalledTimes(1);
    expect(loadReads).toHaveBeenCalledTimes(3);
    expect(deps.tickets.turnOf('it-support')).toMatchObject({ last: 'ivan', version: 6 });
  });

  it('reads the team again after another router moved its turn, and still spreads by load', async () => {
    // Arrange: another router assigns ticket 9 to ivan between this batch's first and second assignment
    const deps = testDeps();
    for (const n of [1, 2, 3, 9]) deps.tickets.seed(itTicket(n));
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    let saves = 0;
    deps.tickets.saveTicket = async (ticket, expected, events, turn) => {
      // The other router's save (the third call) goes straight through.
      if (++saves === 2) await routeTicket(deps, itTicket(9).id);
      return save(ticket, expected, events, turn);
    };
    const loadReads = vi.spyOn(deps.routing, 'activeTickets');
    const turnReads = vi.spyOn(deps.routing, 'getTurn');

    // Act
    const results = await routeTickets(
      deps,
      [1, 2, 3].map((n) => itTicket(n).id),
    );

    // Assert: every ticket once; the three agents end level, counting the other router's assignment, which
    // the batch learnt from the turn it read again (its loads it read once, the other router once)
    expect(results.every((result) => result.status === 'fulfilled' && result.value.outcome === 'assigned')).toBe(true);
    const loads = new Map<string, number>();
    for (const ticket of deps.tickets.all()) if (ticket.assignee) loads.set(ticket.assignee, (loads.get(ticket.assignee) ?? 0) + 1);
    expect(Object.fromEntries(loads)).toEqual({ ivan: 2, iwan: 1, mira: 1 });
    expect(turnReads).toHaveBeenCalledTimes(3);
    expect(loadReads).toHaveBeenCalledTimes(6);
  });

  it('reads the batch’s tickets in one read, and a ticket again only to retry a lost race', async () => {
    // Arrange
    const deps = testDeps();
    for (const n of [1, 2, 3]) deps.tickets.seed(itTicket(n));
    const get = deps.tickets.getTicket.bind(deps.tickets);
    const single: string[] = [];
    deps.tickets.getTicket = async (id) => {
      single.push(id);
      return get(id);
    };

    // Act
    const results = await routeTickets(
      deps,
      [1, 2, 3, 1].map((n) => itTicket(n).id),
    );

    // Assert: every ticket assigned from the batch's read; the repeated one read again, and found assigned
    expect(results.map((result) => result.status === 'fulfilled' && result.value.outcome)).toEqual([
      'assigned',
      'assigned',
      'assigned',
      'skipped',
    ]);
    expect(single).toEqual([itTicket(1).id]);
  });

  it('settles each ticket on its own: one that fails does not fail the others', async () => {
    // Arrange: ticket 2's write fails
    const deps = testDeps();
    for (const n of [1, 2, 3]) deps.tickets.seed(itTicket(n));
    const get = deps.tickets.getTicket.bind(deps.tickets);
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    deps.tickets.saveTicket = async (ticket, ...rest) => {
      if (ticket.id === itTicket(2).id) throw new Error('throttled');
      return save(ticket, ...rest);
    };

    // Act
    const results = await routeTickets(
      deps,
      [1, 2, 3].map((n) => itTicket(n).id),
    );

    // Assert
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await get(itTicket(3).id))?.assignee).toBe('iwan');
  });
});

describe('a category without a team of its own', () => {
  it('goes to the configured triage team', () => {
    expect(teamForCategory(testConfig, 'no-such-category')).toBe(testConfig.triageTeam);
    expect(classifyTicket(testConfig, { subject: 'Halo, ada pertanyaan' })).toMatchObject({
      team: testConfig.triageTeam,
      tier: 'first-line',
      reason: 'fallback',
    });
  });
});
