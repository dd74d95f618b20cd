// The knowledge base in the console: a requester on a phone is offered articles while writing a request, reads
// one and withdraws the request, which the desk's figures count; an agent on a laptop writes an article (a
// refusal explained field by field first), publishes it, meets a colleague's edit made meanwhile, and deletes
// it; and anyone, without an account, asks the answer bot, gets an article's answer, and has a ticket opened
// when the bot cannot help. Each screen is checked with axe-core and saved as a screenshot.
import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, tokenFor } from '../integration/api-client.ts';
import { waitForMail } from '../integration/mail-viewer.ts';
import { recentDays } from '../integration/report-range.ts';
import { waitFor } from '../integration/wait-for.ts';
import { consoleUrl, expectAccessible, LAPTOP, launch, openPage, PHONE, screenshot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

type Deflection = { suggestionsShown: number; articlesOpened: number; requestsWithdrawn: number };
const deflection = async (): Promise<Deflection> => {
  const admin = await tokenFor({ sub: 'root', name: 'Root', groups: ['admin'] });
  return (await call(`/reports/summary?${recentDays(Date.now())}`, { token: admin })).body.knowledgeBase.deflection;
};

/** Every subject of the caller's own tickets, page by page. */
const subjectsOf = async (token: string) => {
  const subjects: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await call(`/tickets?requester=me&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })).body;
    subjects.push(...(page.items as { subject: string }[]).map((ticket) => ticket.subject));
    cursor = page.cursor;
  } while (cursor);
  return subjects;
};

describe('articles suggested on the new-request form', () => {
  it('offers an article for what the requester writes, shows it, and withdraws the request when it answered', async () => {
    // Arrange
    const before = await deflection();
    const word = `${randomInt(10_000_000, 99_999_999)}`;
    const { page, context, problems } = await openPage(browser, PHONE);
    await signIn(page, 'ani');
    await page.getByRole('link', { name: 'Permintaan baru' }).first().click();
    await page.getByRole('heading', { name: 'Permintaan baru' }).waitFor();

    // Act: write the subject and move on to the details
    await page.getByLabel('Judul singkat').fill(`Lupa kata sandi email sekolah ${word}`);
    await page.getByLabel('Keterangan').focus();
    const suggestions = page.getByRole('region', { name: 'Mungkin ini menjawab pertanyaan Anda' });
    const article = suggestions.getByRole('button', { name: 'Lupa kata sandi email sekolah' });
    await article.waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^\d artikel mungkin menjawab pertanyaan Anda, di bawah keterangan\.$/ })
      .waitFor({ state: 'attached' });
    await expectAccessible(page, 'new request with suggestions');
    await article.click();
    const text = suggestions.getByRole('article', { name: 'Lupa kata sandi email sekolah' });
    await text.getByText(/hanya dapat direset oleh tim IT Support/).waitFor();
    await screenshot(page, 'requester-suggested-article-phone');
    await expectAccessible(page, 'suggested article open');
    await suggestions.getByRole('button', { name: 'Ini menjawab pertanyaan saya, tidak perlu dikirim' }).click();

    // Assert: nothing filed, the form let go, and the desk's figures count the article read and the request withdrawn
    await page.getByText('Senang bisa membantu. Permintaan Anda tidak dikirim').waitFor();
    expect(await suggestions.count()).toBe(0);
    await screenshot(page, 'requester-withdrawn-phone');
    const after = await deflection();
    expect(after.suggestionsShown).toBeGreaterThan(before.suggestionsShown);
    expect(after.articlesOpened).toBeGreaterThan(before.articlesOpened);
    expect(after.requestsWithdrawn).toBeGreaterThan(before.requestsWithdrawn);
    const mine = await tokenFor({ sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example', groups: ['requester'] });
    expect((await subjectsOf(mine)).filter((subject) => subject.includes(word))).toEqual([]);
    await page.getByRole('button', { name: 'Tetap buat permintaan baru' }).click();
    expect(await page.getByLabel('Judul singkat').inputValue()).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the knowledge base for staff', () => {
  it('writes and publishes an article, keeps a colleague’s edit made meanwhile, and deletes it', { timeout: 120_000 }, async () => {
    // Arrange
    const word = `${randomInt(10_000_000, 99_999_999)}`;
    const title = `Mencetak rapor dari e-Rapor ${word}`;
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'rina');

    // Act: the list, then a new article sent empty
    await page.getByRole('link', { name: 'Pengetahuan' }).click();
    await page.getByRole('heading', { name: 'Basis pengetahuan' }).waitFor();
    await page.getByRole('link', { name: /Lupa kata sandi email sekolah/ }).waitFor();
    await expectAccessible(page, 'knowledge base list');
    await screenshot(page, 'staff-knowledge-base');
    await page.getByLabel('Saring menurut judul, kata kunci atau kategori').fill('wifi');
    await page.getByRole('link', { name: /Menghubungkan perangkat ke Wi-Fi sekolah/ }).waitFor();
    expect(await page.getByRole('link', { name: /Lupa kata sandi email sekolah/ }).count()).toBe(0);
    await page.getByLabel('Saring menurut judul, kata kunci atau kategori').fill('');
    await page.getByRole('link', { name: /Lupa kata sandi email sekolah/ }).click();
    await page
      .getByRole('region', { name: 'Seperti yang dilihat pemohon' })
      .getByText(/hanya dapat direset oleh tim IT Support/)
      .waitFor();
    await page.getByRole('link', { name: 'Kembali ke basis pengetahuan' }).click();
    await page.getByRole('link', { name: 'Artikel baru' }).click();
    await page.getByRole('heading', { name: 'Artikel baru' }).waitFor();
    await page.getByRole('button', { name: 'Simpan' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText(/^Judul:/).waitFor();
    await refusal.getByText(/^Kategori:/).waitFor();
    await refusal.getByText(/^Isi:/).waitFor();
    await expectAccessible(page, 'article refused');

    // ...then written and published
    await page.getByLabel('Judul', { exact: true }).fill(title);
    await page.getByLabel('Kategori').selectOption('accounts');
    await page.getByLabel('Kata kunci (tidak wajib)').fill('rapor, cetak');
    await page.getByLabel('Isi').fill('1. Buka e-Rapor.\n2. Pilih **Cetak rapor**.\n\nEnglish: Open e-Rapor and choose Print.');
    await page.getByLabel('Terbit: pemohon dan bot melihatnya').check();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Tersimpan sebagai versi 1.').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const preview = page.getByRole('region', { name: 'Seperti yang dilihat pemohon' });
    await preview.locator('strong', { hasText: 'Cetak rapor' }).waitFor();
    await page
      .getByRole('region', { name: 'Riwayat' })
      .getByText(/Versi 1 · dibuat/)
      .waitFor();
    await expectAccessible(page, 'article saved');
    await screenshot(page, 'staff-article-editor');
    const published = await call(`/kb/articles/${id}`);

    // ...a colleague changes it meanwhile, and this edit, made on version 1, is saved on the second try
    const colleague = await tokenFor({ sub: 'andi', groups: ['agent'], teams: ['helpdesk'] });
    const theirs = await call(`/kb/articles/${id}`, {
      method: 'PUT',
      token: colleague,
      headers: { 'if-match': '"1"' },
      body: {
        title,
        category: 'accounts',
        tags: ['rapor'],
        language: 'id',
        status: 'published',
        body: 'Langkahnya berubah: minta operator mencetak rapor.',
      },
    });
    await page.getByLabel('Judul', { exact: true }).fill(`${title} (semester 1)`);
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Artikel ini diubah orang lain sejak Anda membukanya.').waitFor();
    await page.getByRole('button', { name: 'Muat versi terbaru' }).click();
    await waitFor(
      () => page.getByLabel('Isi').inputValue(),
      (text) => text === 'Langkahnya berubah: minta operator mencetak rapor.',
    );
    await page.getByLabel('Judul', { exact: true }).fill(`${title} (semester 1)`);
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Tersimpan sebagai versi 3.').waitFor();
    const history = page.getByRole('region', { name: 'Riwayat' });
    await history.getByText(/Versi 2 · diubah · .* oleh andi \(Agen\)/).waitFor();

    // ...an edit left unsaved survives a reload
    await page.getByLabel('Kata kunci (tidak wajib)').fill('rapor, semester');
    await page.reload();
    await page.getByText('Perubahan yang belum Anda simpan dikembalikan.').waitFor();
    expect(await page.getByLabel('Kata kunci (tidak wajib)').inputValue()).toBe('rapor, semester');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Tersimpan sebagai versi 4.').waitFor();

    // ...and deleted, after saying what that does
    await page.getByRole('button', { name: 'Hapus artikel' }).click();
    await page.getByText(`Hapus “${title} (semester 1)”? Pemohon dan bot tidak lagi melihatnya.`, { exact: false }).waitFor();
    await expectAccessible(page, 'delete confirmation');
    await page.getByRole('button', { name: 'Ya, hapus' }).click();
    await page.getByText(`Artikel ${id} dihapus. Riwayatnya tetap tersimpan.`).waitFor();

    // Assert: requesters read what was published, then nothing once it is gone
    expect(theirs.status).toBe(200);
    expect(published.status).toBe(200);
    expect(published.body.html).toContain('<strong>Cetak rapor</strong>');
    expect(published.body.tags).toEqual(['rapor', 'cetak']);
    const versions = (await call(`/kb/articles/${id}/history`, { token: await tokenFor({ sub: 'andi', groups: ['agent'] }) })).body.items;
    expect(versions.map((event: { type: string; article: { tags: string[] } }) => [event.type, event.article.tags])).toEqual([
      ['ArticleDeleted', ['rapor', 'semester']],
      ['ArticleUpdated', ['rapor', 'semester']],
      ['ArticleUpdated', ['rapor']],
      ['ArticleUpdated', ['rapor']],
      ['ArticleCreated', ['rapor', 'cetak']],
    ]);
    expect((await call(`/kb/articles/${id}`)).status).toBe(404);
    expect(await page.getByRole('link', { name: new RegExp(word) }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps requesters out: the page is not theirs, and the header has no link to it', async () => {
    // Arrange
    const { page, context, problems } = await openPage(browser, PHONE);
    await signIn(page, 'ani');

    // Act
    await page.goto(`${new URL(page.url()).origin}/kb/new`);

    // Assert
    await page.getByRole('heading', { name: 'Halaman ini tidak ada.' }).waitFor();
    expect(await page.getByRole('link', { name: 'Pengetahuan' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the answer bot on the web', () => {
  it('answers from an article without an account, and opens a ticket for a person when it cannot help', async () => {
    // Arrange
    const word = `${randomInt(10_000_000, 99_999_999)}`;
    const email = `wali.${word}@example.org`;
    const { page, context, problems } = await openPage(browser, PHONE);
    await page.goto(consoleUrl());
    await page.getByRole('link', { name: 'Punya pertanyaan? Tanya asisten helpdesk tanpa masuk' }).click();
    await page.getByRole('heading', { name: 'Tanya Helpdesk' }).waitFor();
    const log = page.getByRole('log', { name: 'Percakapan dengan asisten' });

    // Act: a question an article answers
    await page.getByLabel('Pertanyaan Anda').fill('lupa password email sekolah');
    await page.getByRole('button', { name: 'Kirim' }).click();
    await log.getByText(/hanya dapat direset oleh tim IT Support/).waitFor();
    await expectAccessible(page, 'bot answered');

    // ...and one it hands to a person, who will reply by mail
    await page.getByLabel('Pertanyaan Anda').fill(`Saya mau komplain tentang perilaku guru kelas 7 ${word}`);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Ya, buatkan tiket' }).click();
    await page.getByLabel('Alamat email Anda').fill(email);
    await page.getByRole('button', { name: 'Kirim' }).click();
    const opened = log.getByText(/^Tiket #\d+ dibuat\./);
    await opened.waitFor();
    const number = Number(/#(\d+)/.exec((await opened.textContent()) ?? '')?.[1]);
    await expectAccessible(page, 'bot opened a ticket');
    await screenshot(page, 'answer-bot-phone');
    await page.reload();
    await log.getByText(/^Tiket #\d+ dibuat\./).waitFor();

    // Assert: the ticket is the conversation's, for that address, which gets the acknowledgement
    const mail = await waitForMail(inject('sesEndpoint'), (sent) => sent.destination.to.includes(email));
    expect(mail.subject).toContain(`#${number}`);
    expect(mail.body.text).toContain('/track/');
    expect(await log.getByText('lupa password email sekolah').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
