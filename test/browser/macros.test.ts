// Macros in the console, on a laptop: an agent writes a personal macro (a refusal explained field by field
// first), applies it on a ticket from the ticket page's macro panel, changes it and deletes it; a lead writes a
// shared one that an agent may use but not change. Each screen is checked with axe-core and saved.
import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../integration/api-client.ts';
import { consoleUrl, expectAccessible, LAPTOP, launch, openPage, screenshot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('macros for staff', () => {
  it('writes a personal macro, applies it on a ticket, changes it and deletes it', { timeout: 120_000 }, async () => {
    // Arrange: a ticket of the agent's team
    const word = `${randomInt(10_000_000, 99_999_999)}`;
    const requester = await tokenFor({ sub: `guru-${word}`, name: 'Bu Wati', email: `wati.${word}@sekolah.example` });
    const ticket = (
      await call('/tickets', { method: 'POST', token: requester, body: { subject: `Kunci loker hilang ${word}`, category: 'other' } })
    ).body as { id: string };
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'andi');

    // Act: the list, then a new macro sent empty
    await page.getByRole('link', { name: 'Makro', exact: true }).click();
    await page.getByRole('heading', { name: 'Makro dan balasan siap pakai' }).waitFor();
    await page.getByText('Minta informasi tambahan').waitFor();
    await expectAccessible(page, 'macros list');
    await screenshot(page, 'staff-macros');
    await page.getByRole('link', { name: 'Makro baru' }).click();
    await page.getByRole('heading', { name: 'Makro baru' }).waitFor();
    await page.getByRole('button', { name: 'Simpan' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText(/^Nama \(Bahasa Indonesia\):/).waitFor();
    await refusal.getByText(/^Nama \(English\):/).waitFor();

    // ...then written: a reply in both languages that resolves the ticket and tags it
    await page.getByLabel('Nama (Bahasa Indonesia)').fill(`Kunci cadangan ${word}`);
    await page.getByLabel('Nama (English)').fill(`Spare key ${word}`);
    await page.getByLabel('Balasan (Bahasa Indonesia, tidak wajib)').fill('Halo {{requester.name}}, kunci cadangan ada di Tata Usaha.');
    await page.getByLabel('Balasan (English, tidak wajib)').fill('Hello {{requester.name}}, the spare key is at the office.');
    await page.getByLabel('Status').selectOption('resolved');
    // A word that cannot be a tag is said beside the box as it is typed, and the API's refusal names the box
    await page.getByLabel('Tambah tag').fill('loker!');
    await page.locator('#macro-addTags-error').getByText('Bukan tag yang sah: loker!.').waitFor();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Tambah tag:/)
      .waitFor();
    await page.getByLabel('Tambah tag').fill('loker');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Tersimpan sebagai versi 1.').waitFor();
    const macroId = new URL(page.url()).pathname.split('/').pop()!;
    await expectAccessible(page, 'macro saved');
    await screenshot(page, 'staff-macro-editor');

    // ...applied from the ticket page, where the panel already knows it
    await page.goto(`${consoleUrl()}/agent/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: new RegExp(`Kunci loker hilang ${word}`) }).waitFor();
    await page.getByLabel('Makro', { exact: true }).selectOption(macroId);
    await page.getByText('Balasan ini TERKIRIM ke pemohon:').waitFor();
    await page.getByRole('button', { name: 'Terapkan dan kirim ke pemohon' }).click();
    await page.getByText(`Makro “Kunci cadangan ${word}” diterapkan.`).waitFor();

    // ...changed, then deleted after saying what that does
    await page.goto(`${consoleUrl()}/macros/${macroId}`);
    await page.getByLabel('Tambah tag').fill('loker, kunci');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Tersimpan sebagai versi 2.').waitFor();
    await page.getByRole('button', { name: 'Hapus makro' }).click();
    await page.getByText(`Hapus makro “Kunci cadangan ${word}”?`, { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Ya, hapus' }).click();
    await page.getByText(`Makro “Kunci cadangan ${word}” dihapus.`, { exact: false }).waitFor();

    // Assert: the ticket got the reply and the changes; the macro is gone for the API too
    const applied = (
      await call(`/tickets/${ticket.id}`, { token: await tokenFor({ sub: 'andi', groups: ['agent'], teams: ['helpdesk'] }) })
    ).body;
    expect(applied.status).toBe('resolved');
    expect(applied.tags).toContain('loker');
    const events = (await call(`/tickets/${ticket.id}/events`, { token: requester })).body.items as {
      type: string;
      data: { body?: string };
    }[];
    expect(
      events.some((event) => event.type === 'CommentAdded' && event.data.body === 'Halo Bu Wati, kunci cadangan ada di Tata Usaha.'),
    ).toBe(true);
    const left = (await call('/macros', { token: await tokenFor({ sub: 'andi', groups: ['agent'], teams: ['helpdesk'] }) })).body.items as {
      id: string;
    }[];
    expect(left.map((macro) => macro.id)).not.toContain(macroId);
    expect(await page.getByText(`Kunci cadangan ${word}`, { exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets a lead write a shared macro, which an agent sees but cannot change', async () => {
    // Arrange
    const word = `${randomInt(10_000_000, 99_999_999)}`;
    const lead = await openPage(browser, LAPTOP);
    await signIn(lead.page, 'rina');

    // Act
    await lead.page.goto(`${consoleUrl()}/macros/new`);
    await lead.page.getByLabel('Semua staf').check();
    await lead.page.getByLabel('Nama (Bahasa Indonesia)').fill(`Eskalasi ke sarpras ${word}`);
    await lead.page.getByLabel('Nama (English)').fill(`Escalate to facilities ${word}`);
    await lead.page.getByLabel('Tim').selectOption('sarpras');
    await lead.page.getByRole('button', { name: 'Simpan' }).click();
    await lead.page.getByText('Tersimpan sebagai versi 1.').waitFor();
    const agent = await openPage(browser, LAPTOP);
    await signIn(agent.page, 'andi');
    await agent.page.goto(`${consoleUrl()}/macros`);

    // Assert: listed as shared, read-only, with its change in words
    const shared = agent.page.locator('.ticket-card', { hasText: `Eskalasi ke sarpras ${word}` });
    await shared.getByText('(hanya dibaca)').waitFor();
    await shared.getByText('Tim → Sarana Prasarana').waitFor();
    expect(await agent.page.getByRole('link', { name: new RegExp(`Eskalasi ke sarpras ${word}`) }).count()).toBe(0);
    expect([...lead.problems, ...agent.problems]).toEqual([]);
    await lead.context.close();
    await agent.context.close();
  });
});
