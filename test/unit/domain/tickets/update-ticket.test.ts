import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { VersionConflictError } from '#shared/domain/tickets/ports.ts';
import type { Ticket, UpdateTicketInput } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { DAY_MS, T0 } from '#test/fixtures/clock.ts';
import { alice, bob, ivan, sari } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

const HOUR = 3_600_000;

/** A store holding one ticket; the clock stands an hour after it was filed. */
const arrange = (ticket: Partial<Ticket> = {}) => {
  const deps = testDeps();
  const current = aTicket(ticket);
  deps.tickets.seed(current);
  deps.clock.advance(HOUR);
  return { deps, current, id: current.id, later: new Date(Date.parse(T0) + HOUR).toISOString() };
};

const newEvents = (deps: ReturnType<typeof testDeps>, id: string) => deps.tickets.historyOf(id);

describe('updating a ticket: one event per changed field, one new version', () => {
  it('changes the status and records StatusChanged', async () => {
    // Arrange
    const { deps, id, later } = arrange({ status: 'open' });

    // Act
    const ticket = await updateTicket(deps, ivan, id, { status: 'pending' });

    // Assert
    expect(ticket).toMatchObject({ status: 'pending', version: 2, updatedAt: later });
    expect(await deps.tickets.getTicket(id)).toEqual(ticket);
    expect(newEvents(deps, id)).toEqual([
      expect.objectContaining({
        type: 'StatusChanged',
        data: { from: 'open', to: 'pending' },
        version: 2,
        at: later,
        actor: { id: 'ivan', role: 'agent' },
      }),
    ]);
  });

  it('overrides the priority, marks it overridden and records PriorityChanged', async () => {
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { priority: 'critical' });
    expect(ticket).toMatchObject({ priority: 'critical', priorityOverridden: true, urgency: 'medium', impact: 'medium' });
    expect(newEvents(deps, id).map((event) => [event.type, event.data])).toEqual([['PriorityChanged', { from: 'medium', to: 'critical' }]]);
  });

  it('records two changes in one request as two events of the same new version', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const ticket = await updateTicket(deps, ivan, id, { status: 'on_hold', priority: 'high' });
    expect(ticket.version).toBe(2);
    const events = newEvents(deps, id);
    expect(events.map((event) => event.type).sort()).toEqual(['PriorityChanged', 'StatusChanged']);
    expect(events.every((event) => event.version === 2)).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });

  it('moves the ticket to the new category’s team', async () => {
    // Act
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { category: 'facilities' });

    // Assert
    expect(ticket).toMatchObject({ category: 'facilities', team: 'sarpras', tier: 'specialist' });
    expect(newEvents(deps, id).map((event) => [event.type, event.data])).toEqual([
      ['CategoryChanged', { from: 'network', to: 'facilities' }],
      ['TeamChanged', { from: 'it-support', to: 'sarpras' }],
    ]);
  });

  it('keeps the team when the category changes within it', async () => {
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { category: 'hardware' });
    expect(ticket.team).toBe('it-support');
    expect(newEvents(deps, id).map((event) => event.type)).toEqual(['CategoryChanged']);
  });

  it('sends a ticket back to triage as first line', async () => {
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { team: 'helpdesk' });
    expect(ticket).toMatchObject({ team: 'helpdesk', tier: 'first-line' });
  });

  it('unassigns an agent who is not in the new team', async () => {
    // Arrange: Ivan (IT support only) has the ticket.
    const { deps, id } = arrange({ status: 'open', assignee: 'ivan' });

    // Act
    const ticket = await updateTicket(deps, ivan, id, { team: 'sarpras' });

    // Assert
    expect(ticket).toMatchObject({ team: 'sarpras', assignee: null });
    expect(newEvents(deps, id).map((event) => [event.type, event.data])).toEqual([
      ['TeamChanged', { from: 'it-support', to: 'sarpras' }],
      ['Assigned', { from: 'ivan', to: null }],
    ]);
  });

  it('keeps an agent who belongs to the new team too', async () => {
    const { deps, id } = arrange({ status: 'open', assignee: 'mira' });
    const ticket = await updateTicket(deps, ivan, id, { team: 'sarpras' });
    expect(ticket).toMatchObject({ team: 'sarpras', assignee: 'mira' });
    expect(newEvents(deps, id).map((event) => event.type)).toEqual(['TeamChanged']);
  });

  it('opens a new ticket when someone takes it', async () => {
    // Act
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { assignee: 'ivan' });

    // Assert
    expect(ticket).toMatchObject({ assignee: 'ivan', status: 'open' });
    expect(newEvents(deps, id).map((event) => [event.type, event.data])).toEqual([
      ['Assigned', { from: null, to: 'ivan' }],
      ['StatusChanged', { from: 'new', to: 'open' }],
    ]);
  });

  it('assigns without reopening a ticket that is already pending', async () => {
    const { deps, id } = arrange({ status: 'pending', assignee: 'ivan' });
    const ticket = await updateTicket(deps, sari, id, { assignee: 'iwan' });
    expect(ticket).toMatchObject({ assignee: 'iwan', status: 'pending' });
  });

  it('refuses an agent from another team, naming assignee', async () => {
    const { deps, id } = arrange();
    // A lead may assign across teams, but only to someone in the ticket's team.
    const error = await rejectionOf(updateTicket(deps, sari, id, { assignee: 'sari' }));
    expect(error.kind).toBe('validation');
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['assignee']);
  });

  it('refuses an unknown agent, an unknown team and an unknown category, naming each', async () => {
    const { deps, id } = arrange();
    const paths = async (patch: UpdateTicketInput) =>
      (await rejectionOf(updateTicket(deps, ivan, id, patch))).details.errors?.map((problem) => problem.path);
    expect(await paths({ assignee: 'ghost' })).toEqual(['assignee']);
    expect(await paths({ team: 'kantin' })).toEqual(['team']);
    expect(await paths({ category: 'kantin' })).toEqual(['category']);
  });

  it('stamps resolvedAt on resolving and closedAt on closing', async () => {
    const { deps, id, later } = arrange({ status: 'open' });
    const resolved = await updateTicket(deps, ivan, id, { status: 'resolved' });
    deps.clock.advance(DAY_MS);
    const closed = await updateTicket(deps, ivan, id, { status: 'closed' });
    expect(resolved.resolvedAt).toBe(later);
    expect(closed).toMatchObject({
      status: 'closed',
      resolvedAt: later,
      closedAt: new Date(Date.parse(later) + DAY_MS).toISOString(),
      version: 3,
    });
  });

  it('writes nothing for a patch that changes nothing, and returns the ticket as it is', async () => {
    // Arrange
    const { deps, id, current } = arrange({ status: 'open', assignee: 'ivan' });
    const save = vi.spyOn(deps.tickets, 'saveTicket');

    // Act
    const ticket = await updateTicket(deps, ivan, id, { status: 'open', priority: 'medium', assignee: 'ivan', team: 'it-support' });

    // Assert
    expect(ticket).toEqual(current);
    expect(save).not.toHaveBeenCalled();
    expect(newEvents(deps, id)).toEqual([]);
  });
});

describe('refusals', () => {
  it('answers a stale If-Match with precondition-failed and writes nothing', async () => {
    // Arrange
    const { deps, id } = arrange({ version: 4 });
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(updateTicket(deps, ivan, id, { priority: 'high' }, 3));

    // Assert
    expect(error.kind).toBe('precondition-failed');
    expect(error.message).toContain('version 4');
    expect(deps.snapshot()).toEqual(before);
  });

  it('accepts the current If-Match', async () => {
    const { deps, id } = arrange({ version: 4 });
    expect((await updateTicket(deps, ivan, id, { priority: 'high' }, 4)).version).toBe(5);
  });

  it('answers an illegal move with conflict naming the allowed ones', async () => {
    const { deps, id } = arrange({ status: 'new' });
    const error = await rejectionOf(updateTicket(deps, ivan, id, { status: 'closed' }));
    expect(error.kind).toBe('conflict');
    expect(error.message).toMatch(/open, pending, on_hold, resolved/);
  });

  it.each<UpdateTicketInput>([{ status: 'open' }, { priority: 'low' }, { assignee: 'ivan' }])(
    'keeps a closed ticket final (%o)',
    async (patch) => {
      const { deps, id } = arrange({ status: 'closed', resolvedAt: T0, closedAt: T0 });
      const before = deps.snapshot();
      const error = await rejectionOf(updateTicket(deps, ivan, id, patch));
      expect(error.kind).toBe('conflict');
      expect(deps.snapshot()).toEqual(before);
    },
  );

  it('refuses to reopen after the reopen window (7 days in the test organisation)', async () => {
    const { deps, id } = arrange({ status: 'resolved', resolvedAt: T0 });
    deps.clock.set(new Date(Date.parse(T0) + 7 * DAY_MS + 1).toISOString());
    const error = await rejectionOf(updateTicket(deps, ivan, id, { status: 'open' }));
    expect(error.kind).toBe('conflict');
  });
});

describe('what a requester may do to a ticket', () => {
  it('resolves their own ticket', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const ticket = await updateTicket(deps, alice, id, { status: 'resolved' });
    expect(ticket.status).toBe('resolved');
    expect(newEvents(deps, id)[0]?.actor).toEqual({ id: 'user-alice', role: 'requester' });
  });

  it('reopens their own resolved ticket within the window, clearing resolvedAt', async () => {
    const { deps, id } = arrange({ status: 'resolved', resolvedAt: T0 });
    const ticket = await updateTicket(deps, alice, id, { status: 'open' });
    expect(ticket.status).toBe('open');
    expect(ticket.resolvedAt).toBeUndefined();
  });

  it.each(['new', 'on_hold'] as const)('may not move their %s ticket to open: that is not a reopen', async (status) => {
    // Arrange: nobody has taken the ticket into work (new), or it waits on a third party (on_hold).
    const { deps, id } = arrange({ status });
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(updateTicket(deps, alice, id, { status: 'open' }));

    // Assert: "A requester can only mark their ticket resolved or reopen it."
    expect(error.kind).toBe('forbidden');
    expect(deps.snapshot()).toEqual(before);
  });

  it.each(['pending', 'on_hold', 'closed'] as const)('may not set the status to %s', async (status) => {
    const { deps, id } = arrange({ status: 'resolved', resolvedAt: T0 });
    const error = await rejectionOf(updateTicket(deps, alice, id, { status }));
    expect(error.kind).toBe('forbidden');
  });

  it.each<UpdateTicketInput>([{ priority: 'critical' }, { assignee: 'ivan' }, { team: 'sarpras' }, { category: 'hardware' }])(
    'may not change %o',
    async (patch) => {
      const { deps, id } = arrange();
      const before = deps.snapshot();
      const error = await rejectionOf(updateTicket(deps, alice, id, patch));
      expect(error.kind).toBe('forbidden');
      expect(deps.snapshot()).toEqual(before);
    },
  );

  it('sees a stranger’s ticket as not found, not forbidden', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const error = await rejectionOf(updateTicket(deps, bob, id, { status: 'resolved' }));
    expect(error.kind).toBe('not-found');
  });
});

describe('two people changing one ticket', () => {
  it('re-reads and re-decides when someone else saved first (no If-Match), keeping both changes', async () => {
    // Arrange: while Ivan's save is on its way, Sari (a lead) raises the priority.
    const { deps, id } = arrange({ status: 'open' });
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    vi.spyOn(deps.tickets, 'saveTicket').mockImplementationOnce(async (...args) => {
      await updateTicket(deps, sari, id, { priority: 'high' });
      return save(...args);
    });

    // Act
    const ticket = await updateTicket(deps, ivan, id, { status: 'pending' });

    // Assert
    expect(ticket).toMatchObject({ status: 'pending', priority: 'high', version: 3 });
    expect(await deps.tickets.getTicket(id)).toEqual(ticket);
    expect(newEvents(deps, id).map((event) => [event.type, event.version])).toEqual([
      ['PriorityChanged', 2],
      ['StatusChanged', 3],
    ]);
  });

  it('answers precondition-failed when the If-Match version was overtaken during the save', async () => {
    // Arrange
    const { deps, id } = arrange({ status: 'open' });
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    vi.spyOn(deps.tickets, 'saveTicket').mockImplementationOnce(async (...args) => {
      await updateTicket(deps, sari, id, { priority: 'high' });
      return save(...args);
    });

    // Act
    const error = await rejectionOf(updateTicket(deps, ivan, id, { status: 'pending' }, 1));

    // Assert
    expect(error.kind).toBe('precondition-failed');
    expect(await deps.tickets.getTicket(id)).toMatchObject({ status: 'open', priority: 'high', version: 2 });
  });

  it('gives up with conflict after repeated losses', async () => {
    const { deps, id } = arrange({ status: 'open' });
    const save = vi.spyOn(deps.tickets, 'saveTicket').mockRejectedValue(new VersionConflictError(id));
    const error = await rejectionOf(updateTicket(deps, ivan, id, { status: 'pending' }));
    expect(error.kind).toBe('conflict');
    expect(save).toHaveBeenCalledTimes(3);
    expect(await deps.tickets.getTicket(id)).toMatchObject({ status: 'open', version: 1 });
  });
});
