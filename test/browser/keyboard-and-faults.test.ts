// The same flows by keyboard alone, and the faults a person meets: a lost connection while replying (the
// text is kept and sent once back online), an expired session (sign in again, the draft is still there),
// a stale edit (412: the other person's change is loaded, the agent's choice kept, saving again works),
// and an API refusal in plain words.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRouted, tokenFor } from '../integration/api-client.ts';
import { consoleUrl, expectAccessible, LAPTOP, launch, openPage, PHONE, screenshot, signIn, tabTo } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('by keyboard alone', () => {
  it('files a request, answers it with a confirmed reply and a note, and rates it, without a mouse', { timeout: 90_000 }, async () => {
    const tag = randomUUID().slice(0, 6);
    const subject = `Wi-Fi ruang guru lambat ${tag}`;

    // The requester: sign in, go to the form, type, choose the urgency with the arrow keys, send.
    const teacher = await openPage(browser, PHONE);
    await signIn(teacher.page, 'joko', { keyboard: true });
    await teacher.page.getByRole('heading', { name: 'Tiket saya' }).waitFor();
    await tabTo(teacher.page, /^Permintaan baru$/);
    await teacher.page.keyboard.press('Enter');
    await teacher.page.getByRole('heading', { name: 'Permintaan baru' }).waitFor();
    await tabTo(teacher.page, /^Judul singkat$/);
    await teacher.page.keyboard.type(subject);
    await teacher.page.keyboard.press('Tab');
    await teacher.page.keyboard.type('Tidak bisa membuka e-Rapor.');
    // On to the urgency: past the articles the form may suggest for these words, as a keyboard user goes.
    await tabTo(teacher.page, /^Biasa/);
    await teacher.page.keyboard.press('ArrowUp');
    await tabTo(teacher.page, /^Kirim permintaan$/);
    await teacher.page.keyboard.press('Enter');
    await teacher.page.getByText(/Permintaan #\d+ terkirim/).waitFor();
    await teacher.page.locator('.ticket-facts').getByText('Sedang diproses').waitFor({ timeout: 20_000 });
    const ticketId = new URL(teacher.page.url()).pathname.split('/').pop()!;
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'] });
    const ticket = (await call(`/tickets/${ticketId}`, { token: lead })).body;
    expect(ticket.urgency).toBe('high');

    // The agent: straight to the ticket, `r` for a reply, Ctrl+Enter, confirm with Enter; `n` for a note.
    const agent = await openPage(browser, LAPTOP);
    await signIn(agent.page, ticket.assignee, { keyboard: true });
    await agent.page.getByRole('heading', { name: 'Antrean: Tim saya' }).waitFor();
    await agent.page.keyboard.press('1');
    await agent.page.getByRole('heading', { name: 'Antrean: Milik saya' }).waitFor();
    await agent.page.goto(`${consoleUrl()}/agent/tickets/${ticketId}`);
    await agent.page.getByRole('heading', { name: new RegExp(subject) }).waitFor();
    await agent.page.keyboard.press('r');
    await agent.page.keyboard.type('Access point ruang guru kami restart sekarang.');
    await agent.page.keyboard.press('Control+Enter');
    await agent.page.getByRole('button', { name: 'Ya, kirim ke pemohon' }).waitFor();
    await agent.page.keyboard.press('Enter');
    await agent.page.getByText('Balasan terkirim ke pemohon.').waitFor();
    await agent.page.keyboard.press('Escape');
    await agent.page.locator('body').focus();
    await agent.page.keyboard.press('n');
    await agent.page.keyboard.type(`Perlu AP kedua di ruang guru ${tag}.`);
    await agent.page.keyboard.press('Control+Enter');
    await agent.page.getByText('Catatan internal tersimpan. Pemohon tidak melihatnya.').waitFor();
    await tabTo(agent.page, /^Status$/);
    // In progress → waiting → on hold → resolved, down the list.
    for (const _ of [1, 2, 3]) await agent.page.keyboard.press('ArrowDown');
    expect(await agent.page.getByLabel('Status').inputValue()).toBe('resolved');
    await tabTo(agent.page, /^Simpan perubahan$/);
    await agent.page.keyboard.press('Enter');
    await agent.page.getByText('Tersimpan.', { exact: true }).waitFor();

    // The requester sees the reply, not the note, and rates with the arrow keys.
    await teacher.page.reload();
    await teacher.page.getByText('Access point ruang guru kami restart sekarang.').waitFor();
    expect(await teacher.page.content()).not.toContain('AP kedua');
    await tabTo(teacher.page, /1 dari 5/);
    await teacher.page.keyboard.press('ArrowRight');
    await teacher.page.keyboard.press('ArrowRight');
    await teacher.page.keyboard.press('ArrowRight');
    await tabTo(teacher.page, /^Kirim penilaian$/);
    await teacher.page.keyboard.press('Enter');
    await teacher.page.getByText('Terima kasih! Nilai Anda: 4 dari 5.').waitFor();
    expect(teacher.problems).toEqual([]);
    expect(agent.problems).toEqual([]);
    await teacher.context.close();
    await agent.context.close();
  });
});

describe('faults', () => {
  it('keeps a reply typed while the connection is down and sends it once back online', { timeout: 60_000 }, async () => {
    // Arrange
    const requester = await tokenFor({ sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example' });
    const ticket = await createRouted(requester, { subject: `Printer TU macet ${randomUUID().slice(0, 6)}` });
    const { page, context, problems } = await openPage(browser, PHONE);
    await signIn(page, 'ani');
    await page.goto(`${consoleUrl()}/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: ticket.subject }).waitFor();

    // Act: offline, write, send
    await context.setOffline(true);
    await page.getByLabel('Balasan Anda').fill('Kertasnya sudah saya keluarkan, masih macet.');
    await page.getByRole('button', { name: 'Kirim balasan' }).click();

    // Assert: told in plain words, text kept (also across a reload), sent by itself once online
    await page.getByText(/Belum terkirim: koneksi terputus/).waitFor();
    expect(await page.getByLabel('Balasan Anda').inputValue()).toBe('Kertasnya sudah saya keluarkan, masih macet.');
    await expectAccessible(page, 'offline reply');
    await screenshot(page, 'requester-offline-phone');
    await context.setOffline(false);
    await page.getByText('Balasan terkirim.').waitFor({ timeout: 40_000 });
    await page.locator('.conversation').getByText('Kertasnya sudah saya keluarkan, masih macet.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends an expired session to sign in and back, with the unsent reply still there', { timeout: 60_000 }, async () => {
    // Arrange
    const requester = await tokenFor({ sub: 'joko', name: 'Joko Susilo', email: 'joko.ortu@example.org' });
    const ticket = await createRouted(requester, { subject: `Rapor belum bisa diunduh ${randomUUID().slice(0, 6)}` });
    const { page, context } = await openPage(browser, PHONE);
    await signIn(page, 'joko');
    await page.goto(`${consoleUrl()}/tickets/${ticket.id}`);
    await page.getByLabel('Balasan Anda').fill('Sudah saya coba di laptop lain.');

    // Act: the token goes bad (as an expired one would), and the next call is refused
    await page.evaluate(`(() => {
      const session = JSON.parse(sessionStorage.getItem('helpdesk.session'));
      session.token = session.token.slice(0, -4) + 'AAAA';
      sessionStorage.setItem('helpdesk.session', JSON.stringify(session));
    })()`);
    await page.reload();

    // Assert
    await page.getByText('Sesi Anda berakhir. Masuk lagi; tulisan yang belum terkirim tetap tersimpan.').waitFor();
    await expectAccessible(page, 'expired session');
    await screenshot(page, 'sign-in-expired-phone');
    await page.getByLabel('Orang').selectOption('joko');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { name: ticket.subject }).waitFor();
    expect(await page.getByLabel('Balasan Anda').inputValue()).toBe('Sudah saya coba di laptop lain.');
    await context.close();
  });

  it('explains a stale edit, loads the other change, keeps the agent’s choice and saves it on the second try', {
    timeout: 60_000,
  }, async () => {
    // Arrange: an agent opens the ticket; meanwhile a lead changes its priority
    const requester = await tokenFor({ sub: `req-${randomUUID()}`, name: 'Dewi Guru', email: 'dewi.guru@example.org' });
    const ticket = await createRouted(requester, { subject: `Proyektor aula berkedip ${randomUUID().slice(0, 6)}` });
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, ticket.assignee);
    await page.goto(`${consoleUrl()}/agent/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: new RegExp(ticket.subject) }).waitFor();
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'] });
    expect((await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: lead, body: { priority: 'critical' } })).status).toBe(200);

    // Act
    await page.getByLabel('Status').selectOption('pending');
    await page.getByRole('button', { name: 'Simpan perubahan' }).click();

    // Assert: explained, the lead's priority shown, the agent's status kept; saving again succeeds
    await page.getByText(/baru saja diubah orang lain/).waitFor();
    await expect.poll(() => page.getByLabel('Prioritas').inputValue()).toBe('critical');
    expect(await page.getByLabel('Status').inputValue()).toBe('pending');
    await expectAccessible(page, 'stale edit');
    await screenshot(page, 'agent-stale-edit');
    await page.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.getByText('Tersimpan.', { exact: true }).waitFor();
    const saved = (await call(`/tickets/${ticket.id}`, { token: lead })).body;
    expect(saved).toMatchObject({ status: 'pending', priority: 'critical' });
    expect(problems.filter((problem) => !problem.includes('412'))).toEqual([]);
    await context.close();
  });

  it('says in plain words why the API refused, naming the field', { timeout: 60_000 }, async () => {
    // Arrange: a closed ticket cannot take a comment (409), which the console shows with the API's reason
    const requester = await tokenFor({ sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example' });
    const ticket = await createRouted(requester, { subject: `Kunci lemari lab hilang ${randomUUID().slice(0, 6)}` });
    const { page, context } = await openPage(browser, PHONE);
    await signIn(page, 'ani');
    await page.goto(`${consoleUrl()}/tickets/${ticket.id}`);
    await page.getByLabel('Balasan Anda').fill('Sudah ketemu.');
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'] });
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: lead, body: { status: 'resolved' } });
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: lead, body: { status: 'closed' } });

    // Act
    await page.getByRole('button', { name: 'Kirim balasan' }).click();

    // Assert
    await page
      .getByRole('alert')
      .getByText(/Tidak bisa dilakukan sekarang: A closed ticket takes no more comments/)
      .waitFor();
    expect(await page.getByLabel('Balasan Anda').inputValue()).toBe('Sudah ketemu.');
    await context.close();
  });
});
