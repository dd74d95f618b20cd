// The integrations' ports, each run against its DynamoDB implementation on DynamoDB Local and against the
// in-memory fake the unit tests use: the import's target, the webhooks' subscription states and the exports'
// records.
import { beforeEach, describe, expect, it } from 'vitest';
import { createExportJobs } from '#shared/adapters/export-jobs.ts';
import { createImportTarget } from '#shared/adapters/import-target.ts';
import { createTicketNumbers } from '#shared/adapters/ticket-numbers.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import { createWebhookStates } from '#shared/adapters/webhook-states.ts';
import type { ExportJob, ExportJobs } from '#shared/domain/portability/export-tickets.ts';
import type { ImportTarget } from '#shared/domain/portability/import-tickets.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import type { WebhookStates } from '#shared/domain/webhooks/webhooks.ts';
import { InMemoryExportJobs } from '#test/fixtures/in-memory-export.ts';
import { InMemoryImportTarget } from '#test/fixtures/in-memory-import.ts';
import { InMemoryWebhookStates } from '#test/fixtures/in-memory-webhooks.ts';
import { created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type ImportSide = {
  target: ImportTarget;
  ticket(id: string): Promise<unknown>;
  event(ticketId: string): Promise<TicketEvent[]>;
  ticketWithNumber(number: number): Promise<string | undefined>;
  nextNumber(): Promise<number>;
};

const importImplementations: { name: string; make: () => Promise<ImportSide> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const target = new InMemoryImportTarget();
      return {
        target,
        ticket: async (id) => target.tickets.get(id),
        event: async (ticketId) => target.historyOf(ticketId),
        ticketWithNumber: async (number) => target.numbers.get(number),
        nextNumber: async () => ++target.counter,
      };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      const tickets = createTicketStore(client, table);
      const numbers = createTicketNumbers(client, table);
      return {
        target: createImportTarget(client, table),
        ticket: (id) => tickets.getTicket(id),
        event: async (ticketId) => (await tickets.listEvents(ticketId, { limit: 100 })).items,
        ticketWithNumber: (number) => tickets.getTicketIdByNumber(number),
        nextNumber: () => numbers.next(),
      };
    },
  },
];

describe.each(importImplementations)('the import target ($name)', ({ make }) => {
  let side: ImportSide;
  beforeEach(async () => {
    side = await make();
  });

  it('writes a ticket with its number and marker once; a second write of it, or of its marker, is "exists"', async () => {
    // Arrange
    const ticket = aTicket({ id: '01JIMPORT00000000000000001', number: 702311 });

    // Act
    const first = await side.target.writeTicket(ticket, { system: 'osticket', sourceId: '101' });
    const again = await side.target.writeTicket(ticket, { system: 'osticket', sourceId: '101' });
    const sameSource = await side.target.writeTicket(
      { ...ticket, id: '01JIMPORT00000000000000002' },
      { system: 'osticket', sourceId: '101' },
    );

    // Assert
    expect([first, again, sameSource]).toEqual(['written', 'exists', 'exists']);
    expect(await side.ticket(ticket.id)).toEqual(ticket);
    expect(await side.ticket('01JIMPORT00000000000000002')).toBeUndefined();
    expect(await side.ticketWithNumber(702311)).toBe(ticket.id);
    expect(await side.target.importedAs('osticket', '101')).toBe(ticket.id);
    expect(await side.target.importedAs('osticket', '102')).toBeUndefined();
  });

  it('refuses a number another ticket has, writing nothing', async () => {
    // Arrange
    await side.target.writeTicket(aTicket({ id: '01JIMPORT00000000000000001', number: 5 }));

    // Act
    const outcome = await side.target.writeTicket(aTicket({ id: '01JIMPORT00000000000000009', number: 5 }), {
      system: 'csv',
      sourceId: '5',
    });

    // Assert
    expect(outcome).toBe('number-taken');
    expect(await side.ticket('01JIMPORT00000000000000009')).toBeUndefined();
    expect(await side.target.importedAs('csv', '5')).toBeUndefined();
  });

  it('writes history items once and leaves an existing one as it is', async () => {
    // Arrange
    const ticket = aTicket({ id: '01JIMPORT00000000000000003' });
    const event = created(ticket);
    await side.target.writeTicket(ticket);

    // Act
    await side.target.writeEvents([event]);
    await side.target.writeEvents([{ ...event, actor: { id: 'someone-else', role: 'agent' } }]);

    // Assert
    expect(await side.event(ticket.id)).toEqual([event]);
  });

  it('raises the ticket counter, never lowers it', async () => {
    // Act
    await side.target.raiseCounter(120);
    await side.target.raiseCounter(40);

    // Assert
    expect(await side.nextNumber()).toBe(121);
  });
});

const webhookImplementations: { name: string; make: () => Promise<WebhookStates> }[] = [
  { name: 'in memory', make: async () => new InMemoryWebhookStates() },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return createWebhookStates(client, table);
    },
  },
];

describe.each(webhookImplementations)('the webhook states ($name)', ({ make }) => {
  it('remembers a subscription switched off, with the URL and status, and no other', async () => {
    // Arrange
    const states = await make();

    // Act
    await states.disable('erp', { url: 'https://erp.example/hook', at: '2026-11-30T01:00:00.000Z', status: 410 });

    // Assert
    expect(await states.disabled('erp')).toEqual({ url: 'https://erp.example/hook', at: '2026-11-30T01:00:00.000Z', status: 410 });
    expect(await states.disabled('chat')).toBeUndefined();
  });
});

const exportImplementations: { name: string; make: () => Promise<ExportJobs> }[] = [
  { name: 'in memory', make: async () => new InMemoryExportJobs() },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return createExportJobs(client, table);
    },
  },
];

const aJob = (id: string, overrides: Partial<ExportJob> = {}): ExportJob => ({
  id,
  status: 'running',
  requestedBy: 'admin',
  startedAt: '2026-11-30T01:00:00.000Z',
  updatedAt: '2026-11-30T01:00:00.000Z',
  key: `exports/${id}.jsonl`,
  parts: [],
  counts: { tickets: 0, events: 0, files: 0 },
  runs: 0,
  version: 1,
  ...overrides,
});

describe.each(exportImplementations)('the export records ($name)', ({ make }) => {
  let jobs: ExportJobs;
  beforeEach(async () => {
    jobs = await make();
  });

  it('makes a new export the latest only over the latest it was read after', async () => {
    // Act
    const first = await jobs.start(aJob('A'), undefined);
    const raced = await jobs.start(aJob('B'), undefined);
    const next = await jobs.start(aJob('C'), 'A');

    // Assert
    expect([first, raced, next]).toEqual([true, false, true]);
    expect((await jobs.latest())?.id).toBe('C');
    expect(await jobs.get('B')).toBeUndefined();
  });

  it('saves a record one version on only, keeping what it carries', async () => {
    // Arrange
    await jobs.start(aJob('A'), undefined);
    const progressed = aJob('A', { version: 2, uploadId: 'u-1', parts: [{ number: 1, etag: '"e1"' }], cursor: 'abc', runs: 1 });

    // Act
    const saved = await jobs.save(progressed);
    const stale = await jobs.save({ ...progressed, runs: 9 });

    // Assert
    expect([saved, stale]).toEqual([true, false]);
    expect(await jobs.get('A')).toEqual(progressed);
  });
});
