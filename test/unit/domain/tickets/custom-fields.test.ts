// Tags and custom fields on tickets: what is accepted on create and update, what each role may set, and what is
// refused (422 naming the field, or 403), writing nothing.
import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { alice, hana, ivan } from '#test/fixtures/identities.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const rejection = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

describe('custom fields and tags when a ticket is filed', () => {
  it('keeps what the requester may set, and records it in the history', async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const { ticket } = await createTicket(deps, alice, {
      subject: 'Legalisir ijazah',
      description: '',
      channel: 'web',
      fields: { nisn: '0012345678', ruang: 'aula' },
    });

    // Assert
    expect(ticket).toMatchObject({ category: 'administration', fields: { nisn: '0012345678', ruang: 'aula' } });
    expect(ticket.tags).toBeUndefined();
    expect(deps.tickets.historyOf(ticket.id)[0]).toMatchObject({
      type: 'TicketCreated',
      data: { fields: { nisn: '0012345678', ruang: 'aula' } },
      // Events carry the report fields only (a list value), never free text such as a NISN.
      ticket: { fields: { ruang: 'aula' } },
    });
  });

  it('lets staff tag a ticket and set staff-only fields, a number typed as text kept as a number', async () => {
    const deps = testDeps();
    const { ticket } = await createTicket(deps, ivan, {
      subject: 'Proyektor lab mati',
      description: '',
      channel: 'api',
      tags: ['ujian', 'lab-2', 'ujian'],
      fields: { aset: 'PRJ-0042', unit: '3' as unknown as number },
    });
    expect(ticket).toMatchObject({ category: 'hardware', tags: ['lab-2', 'ujian'], fields: { aset: 'PRJ-0042', unit: 3 } });
    expect(deps.tickets.historyOf(ticket.id)[0]).toMatchObject({ ticket: { tags: ['lab-2', 'ujian'] } });
  });

  it('refuses a field the category needs when it is missing, naming it, and takes no number', async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const error = await rejection(createTicket(deps, alice, { subject: 'Legalisir ijazah', description: '', channel: 'web' }));

    // Assert
    expect(error.kind).toBe('unprocessable');
    expect(error.details.errors).toEqual([{ path: 'fields.nisn', message: 'is required for a ticket of category Administration' }]);
    expect(deps.numbers.snapshot()).toBe(0);
    expect(deps.tickets.ticketCount()).toBe(0);
  });

  it('refuses unknown fields and values a field does not accept, each named, with 422', async () => {
    // Act
    const error = await rejection(
      createTicket(testDeps(), ivan, {
        subject: 'Proyektor lab mati',
        description: '',
        channel: 'api',
        fields: { nisn: '12', ruang: 'dapur', unit: 99, tanggal: '2026-02-30', warna: 'merah', aset: 'prj 42' },
      }),
    );

    // Assert
    expect(error.kind).toBe('unprocessable');
    expect(error.details.errors).toEqual([
      { path: 'fields.nisn', message: 'does not apply to a ticket of category Hardware' },
      { path: 'fields.ruang', message: 'must be one of lab-1, aula' },
      { path: 'fields.unit', message: 'must be at most 50' },
      { path: 'fields.tanggal', message: 'must be a date as YYYY-MM-DD' },
      { path: 'fields.warna', message: 'is not a field of this desk; the fields are nisn, ruang, aset, unit, tanggal' },
      { path: 'fields.aset', message: 'does not have the form this field needs (^[A-Z]{2,5}-[0-9]{3,6}$)' },
    ]);
  });

  it('forbids a requester tags and staff-only fields', async () => {
    expect(
      (await rejection(createTicket(testDeps(), alice, { subject: 'Printer', description: '', channel: 'web', tags: ['ujian'] }))).kind,
    ).toBe('forbidden');
    const staffOnly = await rejection(
      createTicket(testDeps(), alice, { subject: 'Printer rusak', description: '', channel: 'web', fields: { aset: 'PRJ-0042' } }),
    );
    expect(staffOnly.kind).toBe('forbidden');
    expect(staffOnly.message).toBe('You may not set the field aset.');
  });

  it('refuses more tags than a ticket may carry, and on a closed list an unknown one', async () => {
    const deps = testDeps();
    const tooMany = await rejection(
      createTicket(deps, ivan, { subject: 'Wifi', description: '', channel: 'api', tags: ['a', 'b', 'c', 'd'] }),
    );
    expect(tooMany.details.errors).toEqual([{ path: 'tags', message: 'must hold at most 3 tags' }]);
    const closed = testDeps({ config: { ...testConfig, tags: { ...testConfig.tags, free: false } } });
    const unknown = await rejection(
      createTicket(closed, ivan, { subject: 'Wifi', description: '', channel: 'api', tags: ['ujian', 'baru'] }),
    );
    expect(unknown).toMatchObject({ kind: 'unprocessable' });
    expect(unknown.details.errors).toEqual([{ path: 'tags.1', message: "is not one of the desk's tags: wifi-lab, ujian" }]);
  });
});

describe('custom fields and tags on an existing ticket', () => {
  const arrange = () => {
    const deps = testDeps();
    const ticket = aTicket({ category: 'hardware', tags: ['ujian'], fields: { ruang: 'lab-1' } });
    deps.tickets.seed(ticket);
    deps.clock.advance(60_000);
    return { deps, id: ticket.id };
  };

  it('replaces the tags and merges the fields (null clears one), one event each, one new version', async () => {
    // Arrange
    const { deps, id } = arrange();

    // Act
    const ticket = await updateTicket(deps, ivan, id, { tags: ['wifi-lab'], fields: { ruang: null, unit: 4 } }, 1);

    // Assert
    expect(ticket).toMatchObject({ tags: ['wifi-lab'], fields: { unit: 4 }, version: 2 });
    expect(deps.tickets.historyOf(id).map((event) => [event.type, event.data])).toEqual([
      ['TagsChanged', { added: ['wifi-lab'], removed: ['ujian'] }],
      [
        'FieldsChanged',
        {
          changes: [
            { field: 'ruang', from: 'lab-1', to: null },
            { field: 'unit', from: null, to: 4 },
          ],
        },
      ],
    ]);
  });

  it('writes nothing when the tags and fields are already so', async () => {
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { tags: ['ujian'], fields: { ruang: 'lab-1' } });
    expect(ticket.version).toBe(1);
    expect(deps.tickets.historyOf(id)).toEqual([]);
  });

  it('removes the tags and fields attributes when nothing is left', async () => {
    const { deps, id } = arrange();
    const ticket = await updateTicket(deps, ivan, id, { tags: [], fields: { ruang: null } });
    expect(ticket.tags).toBeUndefined();
    expect(ticket.fields).toBeUndefined();
  });

  it('refuses a move to a category whose required field is missing, unless the same change gives it', async () => {
    // Arrange
    const { deps, id } = arrange();
    const before = deps.snapshot();

    // Act
    const error = await rejection(updateTicket(deps, ivan, id, { category: 'administration' }));
    const unchanged = deps.snapshot();
    const moved = await updateTicket(deps, ivan, id, { category: 'administration', fields: { nisn: '0098765432' } });

    // Assert
    expect(error.details.errors).toEqual([{ path: 'fields.nisn', message: 'is required for a ticket of category Administration' }]);
    expect(unchanged).toEqual(before);
    expect(moved).toMatchObject({ category: 'administration', team: 'helpdesk', fields: { nisn: '0098765432', ruang: 'lab-1' } });
  });

  it('lets a requester set their own ticket’s fields but not tag it, and a stranger’s agent nothing', async () => {
    const { deps, id } = arrange();
    expect(await updateTicket(deps, alice, id, { fields: { ruang: 'aula' } })).toMatchObject({ fields: { ruang: 'aula' } });
    expect((await rejection(updateTicket(deps, alice, id, { tags: ['x'] }))).kind).toBe('forbidden');
    expect((await rejection(updateTicket(deps, hana, id, { tags: ['x'] }))).kind).toBe('not-found');
  });
});
