// The flow in a real browser, as people do it: a teacher files a request from a phone and sees it
// routed; an agent on a laptop finds it in the team queue, answers publicly and adds an internal note; the
// teacher sees the answer and not the note, and rates the service. Every screen is checked with axe-core
// and saved as a screenshot; the first load of each screen stays within the JavaScript budget.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor, waitForTicket } from '../integration/api-client.ts';
import { consoleUrl, expectAccessible, findInQueue, JS_BUDGET, LAPTOP, launch, openPage, PHONE, screenshot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the console, requester and agent', () => {
  it('takes a request from a phone to an answer, a note the requester never sees, and a rating', { timeout: 90_000 }, async () => {
    const tag = randomUUID().slice(0, 6);
    const subject = `Proyektor kelas 8B mati ${tag}`;
    const hostile = `<img src=x onerror="window.__pwned=1"> ${tag}`;

    // The teacher, on a phone: sign in, see no tickets yet, file a request (with markup in it).
    const teacher = await openPage(browser, PHONE);
    const scripts: { url: string; size: number }[] = [];
    teacher.page.on('response', async (response) => {
      if (response.request().resourceType() === 'script')
        scripts.push({ url: response.url(), size: gzipSync(await response.body()).length });
    });
    await signIn(teacher.page, 'ani');
    await teacher.page.getByRole('heading', { name: 'Tiket saya' }).waitFor();
    const firstLoad = scripts.reduce((sum, script) => sum + script.size, 0);
    await expectAccessible(teacher.page, 'sign-in → my tickets');
    await screenshot(teacher.page, 'requester-my-tickets-phone');

    await teacher.page.getByRole('link', { name: 'Buat permintaan baru' }).click();
    await teacher.page.getByRole('heading', { name: 'Permintaan baru' }).waitFor();
    await teacher.page.getByLabel('Judul singkat').fill(subject);
    await teacher.page.getByLabel('Keterangan').fill(`${hostile}\nSejak pagi tidak menyala.`);
    await teacher.page.getByLabel('Mendesak: pekerjaan terhenti').check();
    await expectAccessible(teacher.page, 'new request');
    await screenshot(teacher.page, 'requester-new-request-phone');
    await teacher.page.getByRole('button', { name: 'Kirim permintaan' }).click();

    // ...and sees it sent, then routed: in progress, with IT Support.
    await teacher.page.getByText(/Permintaan #\d+ terkirim/).waitFor();
    await teacher.page.getByText('Ditangani oleh tim Dukungan TI').waitFor();
    await teacher.page.locator('.ticket-facts').getByText('Sedang diproses').waitFor({ timeout: 20_000 });
    const ticketId = new URL(teacher.page.url()).pathname.split('/').pop()!;
    expect(await teacher.page.locator('.message-body').first().textContent()).toContain('<img src=x onerror=');
    expect(await teacher.page.evaluate('window.__pwned')).toBeUndefined();
    await expectAccessible(teacher.page, 'requester ticket');

    // The agent it went to, on a laptop: the team queue, sorted by due time, with the SLA in words (with a
    // few more of the team's tickets in it, as on any morning).
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    for (const [other, urgency, impact] of [
      [`Server e-Rapor tidak bisa diakses ${tag}`, 'high', 'high'],
      [`Mouse di lab komputer 2 rusak ${tag}`, 'low', 'low'],
      [`Akun LMS guru baru belum aktif ${tag}`, 'medium', 'medium'],
    ] as const)
      await call('/tickets', {
        method: 'POST',
        token: lead,
        body: { subject: other, urgency, impact, requester: { name: 'Pak Hadi', email: 'hadi@sekolah.example' } },
      });
    const routed = await waitForTicket(ticketId, lead, (ticket) => ticket.assignee !== null);
    const agent = await openPage(browser, LAPTOP);
    await signIn(agent.page, routed.assignee);
    await agent.page.getByRole('heading', { name: 'Antrean: Tim saya' }).waitFor();
    const row = await findInQueue(agent.page, subject);
    await expect(agent.page.locator('tr', { has: row }).locator('.sla').textContent()).resolves.toMatch(
      /Sesuai jadwal|Hampir lewat batas|Lewat batas/,
    );
    await expectAccessible(agent.page, 'agent queue');
    await screenshot(agent.page, 'agent-queue');
    await row.click();
    await agent.page.getByRole('heading', { name: new RegExp(subject) }).waitFor();

    // A public reply asks once more before it goes to the requester; the note says it stays inside.
    await agent.page.getByLabel('Balasan ke pemohon', { exact: true }).last().fill('Teknisi datang jam 10 membawa lampu baru.');
    await agent.page.getByRole('button', { name: 'Kirim ke pemohon' }).click();
    await agent.page.getByText('Kirim balasan ini ke Ani Wijaya? Pemohon akan melihatnya dan menerima email.').waitFor();
    await expectAccessible(agent.page, 'agent reply confirmation');
    await screenshot(agent.page, 'agent-reply-confirm');
    await agent.page.getByRole('button', { name: 'Ya, kirim ke pemohon' }).click();
    await agent.page.getByText('Balasan terkirim ke pemohon.').waitFor();
    await agent.page.getByText('Catatan internal', { exact: true }).first().click();
    await agent.page.getByText('Hanya untuk petugas. Pemohon TIDAK melihatnya.').waitFor();
    await agent.page.getByLabel('Catatan internal', { exact: true }).last().fill(`Lampu proyektor putus, stok tinggal satu ${tag}.`);
    await agent.page.getByRole('button', { name: 'Simpan catatan internal' }).click();
    await agent.page.getByText('Catatan internal tersimpan. Pemohon tidak melihatnya.').waitFor();
    await agent.page.locator('.history .from-internal').getByText(`stok tinggal satu ${tag}`).waitFor();
    await agent.page.locator('.history .from-staff').getByText('Teknisi datang jam 10').waitFor();
    await expectAccessible(agent.page, 'agent ticket');
    await screenshot(agent.page, 'agent-ticket');

    // The agent resolves it.
    await agent.page.getByLabel('Status').selectOption('resolved');
    await agent.page.getByRole('button', { name: 'Simpan perubahan' }).click();
    await agent.page.getByText('Tersimpan.', { exact: true }).waitFor();

    // The teacher sees the reply, never the note, and rates it.
    await teacher.page.reload();
    await teacher.page.getByText('Teknisi datang jam 10 membawa lampu baru.').waitFor();
    await teacher.page.getByRole('heading', { name: 'Bagaimana layanan kami?' }).waitFor();
    expect(await teacher.page.content()).not.toContain('stok tinggal satu');
    await expectAccessible(teacher.page, 'requester ticket resolved, with rating');
    await teacher.page.getByRole('radio', { name: '4 dari 5' }).check();
    await teacher.page.getByLabel('Komentar (tidak wajib)').fill('Cepat, terima kasih.');
    await teacher.page.getByRole('button', { name: 'Kirim penilaian' }).click();
    await teacher.page.getByText('Terima kasih! Nilai Anda: 4 dari 5.').waitFor();
    await screenshot(teacher.page, 'requester-ticket-phone');
    const rated = await call(`/tickets/${ticketId}`, { token: lead });
    expect(rated.body.csat).toMatchObject({ rating: 4, comment: 'Cepat, terima kasih.' });

    // Nothing went wrong in either browser (no script error, no CSP violation), and the phone's first load
    // stayed within the JavaScript budget.
    expect(teacher.problems).toEqual([]);
    expect(agent.problems).toEqual([]);
    expect(firstLoad).toBeGreaterThan(0);
    expect(firstLoad).toBeLessThanOrEqual(JS_BUDGET);
    await teacher.context.close();
    await agent.context.close();
  });

  it('logs a phone call as a ticket for the caller, and shows the shortcuts', { timeout: 60_000 }, async () => {
    // Arrange
    const tag = randomUUID().slice(0, 6);
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'rina');
    await page.getByRole('heading', { name: 'Antrean: Tim saya' }).waitFor();

    // Act: the list of shortcuts, then a call from a parent
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Pintasan keyboard' }).waitFor();
    await expectAccessible(page, 'shortcuts');
    await screenshot(page, 'agent-shortcuts');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Catat telepon' }).click();
    await page.getByRole('heading', { name: 'Catat panggilan telepon' }).waitFor();
    await page.getByRole('button', { name: 'Catat tiket' }).click();
    await page.getByText('wajib diisi').first().waitFor();
    await expectAccessible(page, 'phone call, with missing fields');
    await page.getByLabel('Nama penelepon').fill(`Bapak Joko ${tag}`);
    await page.getByLabel('Nomor telepon').fill('+62 812 3456 7890');
    await page.getByLabel('Judul singkat').fill(`Tagihan SPP bulan ini belum muncul ${tag}`);
    await screenshot(page, 'agent-phone-call');
    await page.getByRole('button', { name: 'Catat tiket' }).click();

    // Assert: the ticket is the caller's, on the phone channel, in Finance
    await page.getByRole('heading', { name: new RegExp(`Tagihan SPP bulan ini belum muncul ${tag}`) }).waitFor();
    await page.getByText(`Bapak Joko ${tag}`).first().waitFor();
    await page.getByText('Saluran: Telepon').waitFor();
    await page
      .getByText(/tim Keuangan/)
      .first()
      .waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works in English for a requester and an agent who choose it', { timeout: 60_000 }, async () => {
    // Arrange: the teacher chooses English on the sign-in screen
    const tag = randomUUID().slice(0, 6);
    const subject = `The projector in class 8B does not turn on ${tag}`;
    const teacher = await openPage(browser, LAPTOP);
    await teacher.page.goto(consoleUrl());
    await teacher.page.getByRole('button', { name: 'English' }).click();
    await teacher.page.getByRole('heading', { name: 'Sign in to the Helpdesk' }).waitFor();
    await teacher.page.getByLabel('Person').selectOption('ani');
    await teacher.page.getByRole('button', { name: 'Sign in' }).click();

    // Act: the request form in English
    await teacher.page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await teacher.page.getByRole('link', { name: 'Make a new request' }).click();
    await teacher.page.getByRole('heading', { name: 'New request' }).waitFor();
    await teacher.page.getByLabel('Short title').fill(subject);
    await teacher.page.getByLabel('Details').fill('It has not worked since this morning.');
    await teacher.page.getByLabel('Urgent: work has stopped').check();
    await expectAccessible(teacher.page, 'new request, English');
    await screenshot(teacher.page, 'requester-new-request-english');
    await teacher.page.getByRole('button', { name: 'Send request' }).click();

    // Assert: sent and routed, in English, with the team's English name
    await teacher.page.getByText(/Request #\d+ sent\./).waitFor();
    await teacher.page.getByText('Handled by the IT Support team').waitFor();
    const ticketId = new URL(teacher.page.url()).pathname.split('/').pop()!;
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    const routed = await waitForTicket(ticketId, lead, (ticket) => ticket.assignee !== null);

    // The agent it went to answers in English: the reply form, its confirmation and the outcome
    const agent = await openPage(browser, LAPTOP);
    await agent.page.goto(consoleUrl());
    await agent.page.getByRole('button', { name: 'English' }).click();
    await agent.page.getByLabel('Person').selectOption(routed.assignee);
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    await agent.page.getByRole('heading', { name: 'Sign in to the Helpdesk' }).waitFor({ state: 'detached' });
    const row = await findInQueue(agent.page, subject);
    await row.click();
    await agent.page.getByRole('heading', { name: new RegExp(subject) }).waitFor();
    await agent.page.getByLabel('Reply to requester', { exact: true }).last().fill('A technician will come at 10 with a new lamp.');
    await agent.page.getByRole('button', { name: 'Send to requester' }).click();
    await agent.page.getByText(/^Send this reply to .+\? The requester will see it and get a mail\.$/).waitFor();
    await agent.page.getByRole('button', { name: 'Yes, send to requester' }).click();
    await agent.page.getByText('Reply sent to the requester.').waitFor();
    await expectAccessible(agent.page, 'agent ticket, English');
    await screenshot(agent.page, 'agent-ticket-english');
    await teacher.page.reload();
    await teacher.page.getByText('A technician will come at 10 with a new lamp.').waitFor();
    expect(teacher.problems).toEqual([]);
    expect(agent.problems).toEqual([]);
    await teacher.context.close();
    await agent.context.close();
  });

  it('opens the requester’s tracking link from the mail without an account and sends a reply with a photo', {
    timeout: 60_000,
  }, async () => {
    // Arrange: a ticket filed by mail address, and the tracking link of its acknowledgement
    const tag = randomUUID().slice(0, 6);
    const address = `ortu-${tag}@example.org`;
    const requester = await tokenFor({ sub: `ortu-${tag}`, name: 'Ibu Sari', email: address });
    // An IT request: the dashboard test counts Tata Usaha's new tickets exactly while it runs beside this one.
    const created = await call('/tickets', { method: 'POST', token: requester, body: { subject: `Printer lab bahasa macet ${tag}` } });
    const link = await waitForTrackingLink(address);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

    // Act: the link opens the console's page; a reply with a photo
    const { page, context, problems } = await openPage(browser, PHONE);
    await page.goto(link);
    await page.getByRole('heading', { name: `Printer lab bahasa macet ${tag}` }).waitFor();
    await page.getByText(`Tiket #${created.body.number}`).waitFor();
    await expectAccessible(page, 'tracking link');
    await page.getByLabel('Balasan Anda').fill('Kertasnya tersangkut di dalam, foto layar printer terlampir.');
    await page.getByLabel('Lampiran (tidak wajib)').setInputFiles({ name: 'layar-printer.png', mimeType: 'image/png', buffer: png });
    await page.locator('.file-ready').getByText('Siap dikirim').waitFor();
    await page.getByRole('button', { name: 'Kirim balasan' }).click();

    // Assert: sent, in the conversation with its file, which downloads byte for byte
    expect(link.startsWith(`${consoleUrl()}/track/`)).toBe(true);
    await page.getByText('Balasan terkirim.').waitFor();
    const message = page.locator('.conversation .message').filter({ hasText: 'foto layar printer terlampir' });
    await message.getByRole('button', { name: 'layar-printer.png' }).waitFor();
    await expectAccessible(page, 'tracking link, a reply with a photo');
    await screenshot(page, 'track-phone');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      message.getByRole('button', { name: 'layar-printer.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('layar-printer.png');
    expect(Buffer.compare(await readFile((await download.path())!), png)).toBe(0);
    await page.goto(`${consoleUrl()}/track/not-a-real-token`);
    await page.getByText(/Tautan ini tidak mengarah ke tiket/).waitFor();
    expect(problems.filter((problem) => !problem.includes('404'))).toEqual([]);
    await context.close();
  });
});

/** The tracking link of the acknowledgement mailed to `address` (the SES emulator's store). */
const waitForTrackingLink = async (address: string): Promise<string> => {
  const viewer = await mailViewerUrl();
  for (let attempt = 0; attempt < 100; attempt++) {
    const store = (await (await fetch(`${viewer}/store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    const mail = store.emails.find((candidate) => candidate.destination.to.some((to) => to.includes(address)));
    const link = mail && /(https?:\/\/\S+\/track\/[\w.-]+)/.exec(mail.body.text)?.[1];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no acknowledgement reached ${address}`);
};

const mailViewerUrl = async () => {
  const { body } = await call('/_local/health');
  return body.emulators.ses.endpoint as string;
};
