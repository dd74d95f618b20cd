// People are data: staff come from the roster (the sandbox's user pool) and from sign-ins, routing reads
// the directory at run time, availability changes without a deploy, and staff are told by mail about
// their tickets. Its own sandbox: taking people out of routing must not disturb the other files' tickets.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { sentMails, waitForMail } from './mail-viewer.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;
let ses: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-staff-');
  sandbox = await startSandboxProcess(dir);
  api = clientFor(sandbox.url);
  ses = (await api.call('/_local/health')).body.emulators.ses.endpoint;
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const mailsTo = async (to: string) => (await sentMails(ses)).filter((mail) => mail.destination.to.includes(to));
/** Waits for a mail to `to` whose subject starts with `subject`. */
const mailTo = (to: string, subject: string) =>
  waitForMail(ses, (mail) => mail.destination.to.includes(to) && mail.subject.startsWith(subject));
const routed = (id: string, token: string) =>
  waitFor(
    async () => (await api.call(`/tickets/${id}`, { token })).body,
    (ticket) => ticket.assignee !== null,
  );
const file = async (token: string, subject: string) => (await api.call('/tickets', { method: 'POST', token, body: { subject } })).body;

describe('the staff directory', () => {
  it('holds the roster, shows an agent their team and refuses a requester', async () => {
    const yusuf = await api.tokenFor({ sub: 'yusuf', groups: ['agent'] });
    const ani = await api.tokenFor({ sub: 'ani', groups: ['requester'] });
    const team = await api.call('/staff', { token: yusuf });
    expect(team.status).toBe(200);
    expect(team.body.items.map((member: { id: string }) => member.id)).toEqual(['budi', 'yusuf']);
    expect((await api.call('/staff/me', { token: yusuf })).body).toMatchObject({ id: 'yusuf', teams: ['it-support'], available: true });
    expect((await api.call('/staff', { token: ani })).status).toBe(403);
  });

  it('takes in someone new at their first sign-in: routing gives them tickets at once, no deploy', async () => {
    // Arrange: a new facilities agent signs in (on AWS: invited, put in the agent group, custom:teams set)
    const lead = await api.tokenFor({ sub: 'agus', groups: ['lead'] });
    const dedi = await api.tokenFor({
      sub: 'dedi',
      name: 'Dedi Kurniawan',
      email: 'dedi@sekolah.example',
      groups: ['agent'],
      teams: ['sarpras'],
    });
    await api.call('/staff/agus/availability', { method: 'PUT', token: lead, body: { available: false } });
    const requester = await api.tokenFor({ sub: 'eka', email: 'eka@example.org', groups: ['requester'] });

    // Act
    const ticket = await file(requester, 'AC ruang kelas 7B mati');

    // Assert
    expect((await routed(ticket.id, lead)).assignee).toBe('dedi');
    expect((await api.call('/staff/me', { token: dedi })).body).toMatchObject({ name: 'Dedi Kurniawan', teams: ['sarpras'] });
  });
});

describe('availability', () => {
  it("a lead takes an agent out of routing: new tickets go to others; an agent may not set a colleague's", async () => {
    // Arrange
    const budi = await api.tokenFor({ sub: 'budi', groups: ['lead'] });
    const yusuf = await api.tokenFor({ sub: 'yusuf', groups: ['agent'] });
    const requester = await api.tokenFor({ sub: 'fajar', email: 'fajar@example.org', groups: ['requester'] });

    // Act
    const out = await api.call('/staff/yusuf/availability', { method: 'PUT', token: budi, body: { available: false } });
    const refused = await api.call('/staff/budi/availability', { method: 'PUT', token: yusuf, body: { available: false } });
    const tickets = [await file(requester, 'Wi-Fi lab mati'), await file(requester, 'Printer ruang guru macet')];

    // Assert
    expect(out.body).toMatchObject({ id: 'yusuf', available: false });
    expect(refused.status).toBe(403);
    for (const ticket of tickets) expect((await routed(ticket.id, budi)).assignee).toBe('budi');
    await api.call('/staff/yusuf/availability', { method: 'PUT', token: yusuf, body: { available: true } });
  });

  it('when no one in a team is available, its lead is told by mail with a link to the ticket, and nobody is assigned', async () => {
    // Arrange: everybody in finance (Dewi, its lead) away
    const dewi = await api.tokenFor({ sub: 'dewi', groups: ['lead'] });
    await api.call('/staff/me/availability', { method: 'PUT', token: dewi, body: { available: false } });
    const requester = await api.tokenFor({ sub: 'gita', email: 'gita@example.org', groups: ['requester'] });

    // Act
    const ticket = await file(requester, 'Pembayaran SPP belum tercatat');

    // Assert
    const mail = await mailTo('dewi@sekolah.example', `Tidak ada petugas tersedia: #${ticket.number} `);
    expect(mail.body.text).toContain(`Tiket #${ticket.number} masuk ke tim Keuangan, dan tidak ada anggota tim yang tersedia`);
    expect(mail.body.text).toContain(`${sandbox.consoleUrl}/tickets/${ticket.id}`);
    expect(mail.replyTo).toEqual(['noreply@sekolah.example']);
    expect((await api.call(`/tickets/${ticket.id}`, { token: dewi })).body.assignee).toBeNull();
  });
});

describe('staff are told', () => {
  it('the assignee hears of the assignment and of the requester’s reply, once each; a kind turned off stays quiet', async () => {
    // Arrange: Siti alone works administration
    const siti = await api.tokenFor({ sub: 'siti', groups: ['lead'] });
    const requester = await api.tokenFor({ sub: 'hadi', name: 'Hadi', email: 'hadi@example.org', groups: ['requester'] });
    const ticket = await file(requester, 'Legalisir ijazah 3 lembar');
    await routed(ticket.id, siti);

    // Act
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: requester, body: { body: 'Untuk melamar kerja, Pak.' } });
    const assigned = await mailTo('siti@sekolah.example', `Ditugaskan kepada Anda: #${ticket.number} `);
    const replied = await mailTo('siti@sekolah.example', `Pemohon membalas: #${ticket.number} `);
    await api.call('/staff/me', { method: 'PATCH', token: siti, body: { notifications: { 'requester-replied': false } } });
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: requester, body: { body: 'Kapan bisa diambil?' } });
    const other = await file(requester, 'Surat keterangan aktif');
    await mailTo('siti@sekolah.example', `Ditugaskan kepada Anda: #${other.number} `);

    // Assert: the replies' mail came once, and not after she turned it off (the later assignment mail shows the queue ran)
    expect(assigned.body.text).toContain(`${sandbox.consoleUrl}/tickets/${ticket.id}`);
    expect(replied.body.text).toContain('Untuk melamar kerja, Pak.');
    const aboutTicket = (await mailsTo('siti@sekolah.example')).filter((mail) => mail.subject.includes(`#${ticket.number} `));
    expect(aboutTicket.map((mail) => mail.subject.split(':')[0])).toEqual(['Ditugaskan kepada Anda', 'Pemohon membalas']);
  });
});
