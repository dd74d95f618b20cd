// Another system (an ERP, a school information system) files for a person with its machine client: the ticket
// is the person's, the system may follow it, and the hourly limit counts per person, not per system.
import { describe, expect, it } from 'vitest';
import type { Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { alice } from '#test/fixtures/identities.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const erp: Identity = { id: 'erp-client-id', role: 'requester', teams: [], scopes: ['helpdesk/tickets.write', 'helpdesk/tickets.read'] };
const student = (n: number) => ({ name: `Siswa ${n}`, email: `siswa${n}@sekolah.example` });

describe('a system filing for a person', () => {
  it('files the ticket as the person’s, records who filed it, and may read it; another system may not', async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const { ticket } = await createTicket(deps, erp, {
      subject: 'Kartu pelajar hilang',
      description: '',
      channel: 'api',
      requester: student(1),
    });

    // Assert
    expect(ticket.requester).toEqual({ id: 'email:siswa1@sekolah.example', name: 'Siswa 1', email: 'siswa1@sekolah.example' });
    expect(ticket.filedBy).toBe('erp-client-id');
    expect(can(callerOf(erp), 'ticket:read', ticket)).toBe(true);
    expect(can(callerOf({ ...erp, id: 'other-client' }), 'ticket:read', ticket)).toBe(false);
  });

  it('is refused to a person without staff rights', async () => {
    await expect(
      createTicket(testDeps(), alice, { subject: 'Untuk teman', description: '', channel: 'web', requester: student(2) }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('counts the hourly limit per person filed for, so one system can file for many', async () => {
    // Arrange
    const deps = testDeps();
    const limit = deps.config.limits.ticketsPerRequesterPerHour;

    // Act
    for (let n = 0; n < limit + 3; n++)
      await createTicket(deps, erp, { subject: `Permintaan ${n}`, description: '', channel: 'api', requester: student(n) });
    for (let n = 0; n < limit; n++)
      await createTicket(deps, erp, { subject: `Lagi ${n}`, description: '', channel: 'api', requester: student(99) });
    const over = await createTicket(deps, erp, { subject: 'Satu lagi', description: '', channel: 'api', requester: student(99) }).catch(
      (error: unknown) => error,
    );

    // Assert
    expect(over).toMatchObject({ kind: 'too-many-requests' });
    expect(deps.tickets.ticketCount()).toBe(limit + 3 + limit);
  });
});
