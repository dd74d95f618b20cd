// The knowledge base in the console: a requester on a phone is offered articles while writing a request, reads
// one and withdraws the request, which the desk's figures count. Each screen is checked with axe-core and saved.
import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../integration/api-client.ts';
import { recentDays } from '../integration/report-range.ts';
import { expectAccessible, launch, openPage, PHONE, screenshot, signIn } from './browser.ts';

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
