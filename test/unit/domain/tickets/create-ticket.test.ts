import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { CreateTicketInput } from '#shared/domain/tickets/ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { alice, bob, hana, ivan } from '#test/fixtures/identities.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

/** What the HTTP schema hands over after its defaults: description '' and channel 'api' when absent. */
const input = (overrides: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  subject: 'Wi-Fi di lab mati',
  description: 'Sejak pagi tidak ada sinyal.',
  channel: 'web',
  ...overrides,
});

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

describe('creating a ticket', () => {
  it('records who, when, through which channel, how urgent and where it goes', async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const { ticket, created } = await createTicket(deps, alice, input({ urgency: 'high', impact: 'high' }));

    // Assert
    expect(created).toBe(true);
    expect(ticket).toMatchObject({
      number: 1,
      subject: 'Wi-Fi di lab mati',
      status: 'new',
      requester: { id: 'user-alice', name: 'Alice Putri', email: 'alice@siswa.example' },
      channel: 'web',
      createdAt: T0,
      updatedAt: T0,
      urgency: 'high',
      impact: 'high',
      priority: 'critical',
      priorityOverridden: false,
      category: 'network',
      team: 'it-support',
      tier: 'specialist',
      assignee: null,
      language: 'id',
      version: 1,
    });
    expect(await deps.tickets.getTicket(ticket.id)).toEqual(ticket);
  });

  it('writes one TicketCreated event that says how the ticket was classified', async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const { ticket } = await createTicket(deps, alice, input());

    // Assert
    expect(deps.tickets.historyOf(ticket.id)).toEqual([
      expect.objectContaining({
        type: 'TicketCreated',
        ticketId: ticket.id,
        number: 1,
        version: 1,
        at: T0,
        actor: { id: 'user-alice', role: 'requester' },
        data: {
          subject: 'Wi-Fi di lab mati',
          channel: 'web',
          category: 'network',
          team: 'it-support',
          priority: 'medium',
          classifiedBy: 'keywords',
        },
      }),
    ]);
  });

  it('uses the organisation’s default urgency and impact (medium × medium → medium)', async () => {
    const { ticket } = await createTicket(testDeps(), alice, input());
    expect(ticket).toMatchObject({ urgency: 'medium', impact: 'medium', priority: 'medium' });
  });

  it.each([
    ['high', 'low', 'medium'],
    ['low', 'high', 'medium'],
    ['medium', 'high', 'high'],
    ['low', 'low', 'low'],
  ] as const)('takes priority from urgency %s × impact %s = %s', async (urgency, impact, priority) => {
    const { ticket } = await createTicket(testDeps(), alice, input({ urgency, impact }));
    expect(ticket.priority).toBe(priority);
  });

  it('numbers tickets one after another', async () => {
    const deps = testDeps();
    const first = await createTicket(deps, alice, input());
    const second = await createTicket(deps, bob, input({ subject: 'printer rusak' }));
    expect([first.ticket.number, second.ticket.number]).toEqual([1, 2]);
    expect(first.ticket.id).not.toBe(second.ticket.id);
  });

  it('keeps the requester’s chosen category and its team', async () => {
    const { ticket } = await createTicket(testDeps(), alice, input({ subject: 'Wi-Fi di lab mati', category: 'facilities' }));
    expect(ticket).toMatchObject({ category: 'facilities', team: 'sarpras', tier: 'specialist' });
  });

  it('sends an unplaceable request to first-line triage', async () => {
    const { ticket } = await createTicket(testDeps(), alice, input({ subject: 'Pertanyaan tentang jadwal', description: '' }));
    expect(ticket).toMatchObject({ category: 'other', team: 'helpdesk', tier: 'first-line' });
  });

  it('remembers the requester’s language', async () => {
    const { ticket } = await createTicket(testDeps(), alice, input({ language: 'en' }));
    expect(ticket.language).toBe('en');
  });

  it('refuses an unknown category as a validation error naming category, and writes nothing', async () => {
    // Arrange
    const deps = testDeps();
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(createTicket(deps, alice, input({ category: 'kantin' })));

    // Assert
    expect(error.kind).toBe('validation');
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['category']);
    expect(error.details.errors?.[0]?.message).toContain('network');
    expect(deps.snapshot()).toEqual(before);
  });
});

describe('who may file what', () => {
  it('forbids a requester to file on someone else’s behalf', async () => {
    // Arrange
    const deps = testDeps();
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(createTicket(deps, alice, input({ requester: { name: 'Bob Santoso', email: 'bob@siswa.example' } })));

    // Assert
    expect(error.kind).toBe('forbidden');
    expect(deps.snapshot()).toEqual(before);
  });

  it.each(['phone', 'email', 'chat'] as const)('refuses a requester claiming the %s channel, naming channel', async (channel) => {
    const error = await rejectionOf(createTicket(testDeps(), alice, input({ channel })));
    expect(error.kind).toBe('validation');
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['channel']);
  });

  it('lets an agent log a phone call for the caller, reachable by the number given', async () => {
    // Act
    const { ticket } = await createTicket(
      testDeps(),
      hana,
      input({ channel: 'phone', requester: { name: 'Pak Joko', phone: '+62 812-3456-7890' } }),
    );

    // Assert
    expect(ticket.channel).toBe('phone');
    expect(ticket.requester).toEqual({ id: 'phone:+6281234567890', name: 'Pak Joko', phone: '+62 812-3456-7890', email: undefined });
  });

  it('refuses a phone ticket without the caller’s number, naming requester.phone', async () => {
    const error = await rejectionOf(
      createTicket(testDeps(), hana, input({ channel: 'phone', requester: { name: 'Pak Joko', email: 'joko@example.com' } })),
    );
    expect(error.kind).toBe('validation');
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['requester.phone']);
  });

  it('refuses a phone ticket with no requester at all, naming requester.phone', async () => {
    const error = await rejectionOf(createTicket(testDeps(), hana, input({ channel: 'phone' })));
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['requester.phone']);
  });

  it('files for a walk-in by email, with the address as their identity in lower case', async () => {
    const { ticket } = await createTicket(testDeps(), ivan, input({ requester: { name: 'Bu Rina', email: 'Rina.Guru@Sekolah.example' } }));
    expect(ticket.requester.id).toBe('email:rina.guru@sekolah.example');
  });

  it('refuses a walk-in without any way to reach them, naming requester', async () => {
    const error = await rejectionOf(createTicket(testDeps(), ivan, input({ requester: { name: 'Bu Rina' } })));
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['requester']);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same ticket with created=false when the same request is sent again, creating one ticket', async () => {
    // Arrange
    const deps = testDeps();
    const first = await createTicket(deps, alice, input(), 'key-1');

    // Act
    deps.clock.advance(5_000);
    const again = await createTicket(deps, alice, input(), 'key-1');

    // Assert
    expect(first.created).toBe(true);
    expect(again).toEqual({ ticket: first.ticket, created: false });
    expect(deps.tickets.ticketCount()).toBe(1);
  });

  it('refuses the same key with a different body as idempotency-mismatch, creating nothing more', async () => {
    // Arrange
    const deps = testDeps();
    await createTicket(deps, alice, input(), 'key-1');

    // Act
    const error = await rejectionOf(createTicket(deps, alice, input({ subject: 'printer rusak' }), 'key-1'));

    // Assert
    expect(error.kind).toBe('idempotency-mismatch');
    expect(deps.tickets.ticketCount()).toBe(1);
  });

  it('treats the same body with its fields in another order as the same request', async () => {
    const deps = testDeps();
    const first = await createTicket(deps, alice, { subject: 'A', description: 'B', channel: 'web', urgency: 'high' }, 'key-1');
    const again = await createTicket(deps, alice, { urgency: 'high', channel: 'web', description: 'B', subject: 'A' }, 'key-1');
    expect(again).toEqual({ ticket: first.ticket, created: false });
  });

  it('keeps keys apart per caller', async () => {
    const deps = testDeps();
    const alices = await createTicket(deps, alice, input(), 'key-1');
    const bobs = await createTicket(deps, bob, input(), 'key-1');
    expect(bobs.created).toBe(true);
    expect(bobs.ticket.id).not.toBe(alices.ticket.id);
    expect(bobs.ticket.requester.id).toBe('user-bob');
  });

  it('waits for a first request still in progress and returns its ticket instead of creating a second', async () => {
    // Arrange: the first request stalls while taking its ticket number.
    const deps = testDeps();
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const nextNumber = deps.numbers.next.bind(deps.numbers);
    vi.spyOn(deps.numbers, 'next').mockImplementationOnce(async () => {
      await stalled;
      return nextNumber();
    });
    // The retry, finding the key in progress, waits; while it waits, the first request finishes.
    deps.sleep = async () => release();

    // Act
    const [first, retry] = await Promise.all([createTicket(deps, alice, input(), 'key-1'), createTicket(deps, alice, input(), 'key-1')]);

    // Assert
    expect(first.created).toBe(true);
    expect(retry).toEqual({ ticket: first.ticket, created: false });
    expect(deps.tickets.ticketCount()).toBe(1);
  });

  it('answers conflict with Retry-After while a first attempt that died without giving the key back still holds it, and creates once the lock expires', async () => {
    // Arrange: the first attempt fails and cannot give its key back either (the table went away mid-request).
    const deps = testDeps();
    vi.spyOn(deps.tickets, 'createTicket').mockRejectedValueOnce(new Error('table unreachable'));
    vi.spyOn(deps.idempotencyKeys, 'release').mockRejectedValueOnce(new Error('table unreachable'));
    await expect(createTicket(deps, alice, input(), 'key-1')).rejects.toThrow('table unreachable');
    deps.sleep = async () => undefined;

    // Act
    const whileHeld = await rejectionOf(createTicket(deps, alice, input(), 'key-1'));
    deps.clock.advance(31_000);
    const afterLock = await createTicket(deps, alice, input(), 'key-1');

    // Assert
    expect(whileHeld.kind).toBe('conflict');
    expect(whileHeld.details.headers).toEqual({ 'retry-after': '2' });
    expect(afterLock.created).toBe(true);
    expect(deps.tickets.ticketCount()).toBe(1);
  });

  it('gives the key back when the create fails, so a retry goes ahead at once', async () => {
    // Arrange
    const deps = testDeps();
    vi.spyOn(deps.tickets, 'createTicket').mockRejectedValueOnce(new Error('throttled'));
    await expect(createTicket(deps, alice, input(), 'key-1')).rejects.toThrow('throttled');

    // Act
    const retry = await createTicket(deps, alice, input(), 'key-1');

    // Assert
    expect(retry.created).toBe(true);
    expect(deps.tickets.ticketCount()).toBe(1);
  });

  it('answers conflict, creating nothing, when another request took the key over while this one worked', async () => {
    // Arrange: the first request stalls past its claim's 30 s lock; a retry takes the key over and creates.
    const deps = testDeps();
    let reached!: () => void;
    const stalledAt = new Promise<void>((resolve) => (reached = resolve));
    let resume!: () => void;
    const stalled = new Promise<void>((resolve) => (resume = resolve));
    const nextNumber = deps.numbers.next.bind(deps.numbers);
    vi.spyOn(deps.numbers, 'next').mockImplementationOnce(async () => {
      reached();
      await stalled;
      return nextNumber();
    });
    const first = createTicket(deps, alice, input(), 'key-1');
    await stalledAt;
    deps.clock.advance(31_000);
    const retry = await createTicket(deps, alice, input(), 'key-1');

    // Act
    resume();
    const error = await rejectionOf(first);

    // Assert
    expect(error.kind).toBe('conflict');
    expect(retry.created).toBe(true);
    expect(deps.tickets.ticketCount()).toBe(1);
    expect(await createTicket(deps, alice, input(), 'key-1')).toEqual({ ticket: retry.ticket, created: false });
  });

  it('does not claim a key for a request it refuses', async () => {
    // Arrange
    const deps = testDeps();
    await rejectionOf(createTicket(deps, alice, input({ category: 'kantin' }), 'key-1'));

    // Act: the corrected request with the same key
    const corrected = await createTicket(deps, alice, input({ category: 'network' }), 'key-1');

    // Assert
    expect(corrected.created).toBe(true);
  });
});
