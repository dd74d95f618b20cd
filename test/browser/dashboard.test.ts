// The lead's dashboard, the organisation view and a requester's record in Chromium, on the suite's shared
// sandbox: a lead sees the counts change after tickets of their team are resolved and rated (with the
// comment), the figures as a table and as CSV, the range and team kept in the URL; a range over the maximum
// and a team the lead does not lead are refused in plain words; the organisation as configured; an
// administrator erases a requester after a confirmation that says what goes and what stays. Tata Usaha is
// the team here: no other test of the shared sandbox files its tickets.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor, waitForTicket } from '../integration/api-client.ts';
import { consoleUrl, expectAccessible, JS_BUDGET, LAPTOP, launch, openPage, screenshot, signIn, tabTo } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const summaryOf = async (page: Page, panel: string) =>
  (await page.getByRole('figure', { name: panel }).locator('figcaption p').textContent())?.trim() ?? '';

/** The numbers of a panel's summary sentence ("5 tiket baru, 3 selesai dalam rentang ini."). */
const numbersIn = (text: string) => [...text.matchAll(/\d+/g)].map((match) => Number(match[0]));
/** The ratings in the satisfaction panel's sentence ("Rata-rata 4,5 dari 5, 2 penilaian (…)"). */
const ratingsIn = (text: string) => Number(/(\d+) penilaian/.exec(text)?.[1]);

describe('the lead’s dashboard', () => {
  it('shows the counts change after the team’s tickets are resolved and rated, as charts, tables and CSV', {
    timeout: 120_000,
  }, async () => {
    // Arrange: Siti leads Tata Usaha; today in the sandbox's zone
    const tag = randomUUID().slice(0, 6);
    const siti = await tokenFor({ sub: 'siti', name: 'Siti Rahmawati', groups: ['lead'], teams: ['tata-usaha'] });
    const { page, context, problems } = await openPage(browser, LAPTOP);
    const scripts: number[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') scripts.push(gzipSync(await response.body()).length);
    });
    await signIn(page, 'siti');
    await page.getByRole('link', { name: 'Dasbor' }).click();
    await page.getByRole('heading', { name: 'Dasbor' }).waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('team')).toBe('tata-usaha');
    const to = url.searchParams.get('to')!;
    expect(url.searchParams.get('from')).toBe(new Date(Date.parse(`${to}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('figure', { name: 'Tiket per hari' }).waitFor();
    // Everything the lead's browser fetched to get here (the console, the dashboard, its charts) is within the budget.
    const firstLoad = scripts.reduce((sum, size) => sum + size, 0);
    const [createdBefore, resolvedBefore] = numbersIn(await summaryOf(page, 'Tiket per hari'));
    const ratingsBefore = ratingsIn(await summaryOf(page, 'Kepuasan pemohon'));
    await expectAccessible(page, 'dashboard');

    // Act: two requests for Tata Usaha, resolved, and rated by their requesters (one with a comment)
    for (const [index, rating] of [5, 3].entries()) {
      const requester = await tokenFor({ sub: `ortu-${tag}-${index}`, name: `Ortu ${index}`, email: `ortu-${tag}-${index}@example.org` });
      const created = await call('/tickets', {
        method: 'POST',
        token: requester,
        body: { subject: `Legalisir ijazah ${tag}-${index}`, category: 'administration', channel: 'web' },
      });
      await waitForTicket(created.body.id, siti, (ticket) => ticket.assignee !== null);
      expect((await call(`/tickets/${created.body.id}`, { method: 'PATCH', token: siti, body: { status: 'resolved' } })).status).toBe(200);
      const rated = await call(`/tickets/${created.body.id}/csat`, {
        method: 'PUT',
        token: requester,
        body: { rating, ...(index === 0 ? { comment: `Cepat sekali ${tag}` } : {}) },
      });
      expect(rated.status).toBe(200);
    }
    // The statistics are folded behind the API: show the figures again (one answer at a time, each shown
    // before the next is asked for) until they have caught up.
    for (let attempt = 0; attempt < 40; attempt++) {
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url().includes('/reports/summary')),
        page.getByRole('button', { name: 'Tampilkan' }).click(),
      ]);
      const shown = (await answer.json()) as { volume: { total: number }; resolution: { resolved: number }; csat: { responses: number } };
      const volumeText = `${shown.volume.total} tiket baru, ${shown.resolution.resolved} selesai`;
      await page.getByRole('figure', { name: 'Tiket per hari' }).getByText(volumeText).waitFor();
      await page.getByRole('figure', { name: 'Kepuasan pemohon' }).getByText(`${shown.csat.responses} penilaian`).waitFor();
      if (
        shown.volume.total === createdBefore! + 2 &&
        shown.resolution.resolved === resolvedBefore! + 2 &&
        shown.csat.responses === ratingsBefore + 2
      )
        break;
      await page.waitForTimeout(500);
    }

    // Assert: the counts moved by exactly what was done, the comment is there, the numbers are a table too
    expect(numbersIn(await summaryOf(page, 'Tiket per hari')).slice(0, 2)).toEqual([createdBefore! + 2, resolvedBefore! + 2]);
    expect(ratingsIn(await summaryOf(page, 'Kepuasan pemohon'))).toBe(ratingsBefore + 2);
    await page.getByText(`Cepat sekali ${tag}`).waitFor();
    const volume = page.getByRole('figure', { name: 'Tiket per hari' });
    await volume.getByText('Lihat angka sebagai tabel').click();
    const todayRow = volume.getByRole('row', { name: new RegExp(`^${to}`) });
    const cells = await todayRow.getByRole('cell').allTextContents();
    expect(cells.map(Number)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Number(cells[1])).toBeGreaterThanOrEqual(2);
    // The CSV of one chart and of everything shown, downloaded as a person would
    const [one] = await Promise.all([page.waitForEvent('download'), volume.getByRole('button', { name: /Unduh CSV/ }).click()]);
    const oneCsv = readFileSync((await one.path())!, 'utf8');
    expect(oneCsv).toContain('Tanggal,Tiket baru,Selesai');
    expect(oneCsv).toContain(`${to},${cells[0]},${cells[1]}`);
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh semua angka (CSV)' }).click()]);
    expect(all.suggestedFilename()).toBe(`helpdesk-${url.searchParams.get('from')}-${to}-tata-usaha.csv`);
    expect(readFileSync((await all.path())!, 'utf8')).toContain('Kepuasan pemohon');
    // Without colour: every chart names its series in words, with a pattern of its own
    expect(await volume.locator('.legend li').allTextContents()).toEqual(['Tiket baru', 'Selesai']);
    expect(await volume.locator('.swatch').evaluateAll((swatches) => swatches.map((swatch) => swatch.className))).toEqual([
      'swatch line-0',
      'swatch line-1',
    ]);
    // The URL keeps range and team: a reload shows the same
    await page.reload();
    await page.getByRole('figure', { name: 'Tiket per hari' }).waitFor();
    expect(await page.getByLabel('Tim').inputValue()).toBe('tata-usaha');
    expect(await page.getByLabel('Sampai tanggal').inputValue()).toBe(to);
    await expectAccessible(page, 'dashboard with figures');
    await screenshot(page, 'lead-dashboard');
    expect(problems).toEqual([]);
    expect(firstLoad).toBeGreaterThan(0);
    expect(firstLoad).toBeLessThanOrEqual(JS_BUDGET);
    await context.close();
  });

  it('refuses a range over the maximum and a team the lead does not lead, in plain words, by keyboard too', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'siti');

    // Act: a range of 396 days sent from the form with the keyboard, then a link to another team's figures
    await page.goto(`${consoleUrl()}/dashboard?from=2026-01-01&to=2026-01-31&team=tata-usaha`);
    await page.getByRole('figure', { name: 'Tiket per hari' }).waitFor();
    await page.getByLabel('Dari tanggal').fill('2025-01-01');
    await tabTo(page, /^Tampilkan$/);
    await page.keyboard.press('Enter');
    await page.getByText('Ada isian yang perlu diperbaiki.').waitFor();
    const range = await page.getByRole('alert').first().textContent();
    await expectAccessible(page, 'dashboard, range refused');
    await page.goto(`${consoleUrl()}/dashboard?from=2026-01-01&to=2026-01-31&team=keuangan`);
    await page
      .getByText(/Anda tidak berhak melakukan ini/)
      .first()
      .waitFor();
    const team = await page.getByRole('alert').first().textContent();

    // Assert: what is wrong and which field, and no figures
    expect(new URL(page.url()).searchParams.get('team')).toBe('keuangan');
    expect(range).toContain('Sampai tanggal: the range holds 396 days; at most 366 are allowed');
    expect(team).toContain('You do not lead keuangan; you lead tata-usaha.');
    expect(team).toContain('Tim: must be one of the teams you lead: tata-usaha');
    expect(await page.getByRole('figure', { name: 'Tiket per hari' }).count()).toBe(0);
    await screenshot(page, 'dashboard-refused');
    expect(problems.filter((problem) => !/40[03]/.test(problem))).toEqual([]);
    await context.close();
  });
});

describe('the organisation and a requester’s record', () => {
  it('lets an administrator export everything and download the file', { timeout: 90_000 }, async () => {
    // Arrange
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Organisasi' }).click();
    const card = page.getByRole('region', { name: 'Ekspor semua data' });

    // Act
    await card.getByRole('button', { name: 'Mulai ekspor' }).click();
    await card.getByText(/^Selesai: \d+ tiket, \d+ riwayat, \d+ berkas\.$/).waitFor();
    const link = card.getByRole('link', { name: /^Unduh berkas \(tautan berlaku sampai / });
    const file = await (await fetch((await link.getAttribute('href'))!)).text();

    // Assert: the file is the export the card counted, header first and its end last
    const lines = file
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; tickets?: number });
    const counted = Number(/Selesai: (\d+) tiket/.exec((await card.getByText(/^Selesai:/).textContent()) ?? '')?.[1]);
    expect(lines[0]?.kind).toBe('helpdesk-export');
    expect(lines.at(-1)).toMatchObject({ kind: 'end', tickets: counted });
    expect(lines.filter((line) => line.kind === 'ticket')).toHaveLength(counted);
    await expectAccessible(page, 'organisation, export done');
    await screenshot(page, 'admin-export');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the organisation as configured, with where each part is set and the coming year’s closed days', {
    timeout: 60_000,
  }, async () => {
    // Act
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'siti');
    await page.getByRole('link', { name: 'Organisasi' }).click();

    // Assert
    await page.getByRole('heading', { name: 'Organisasi', level: 1 }).waitFor();
    await page.getByText('shared/config/helpdesk.config.json').first().waitFor();
    const categories = page.getByRole('table', { name: 'Kategori' });
    await categories.getByRole('row', { name: /Keuangan.*categories\[5\]/ }).waitFor();
    const sla = page.getByRole('table', { name: 'Target SLA' });
    expect(await sla.getByRole('row', { name: /Kritis/ }).textContent()).toContain('30 mnt');
    expect(
      await page
        .getByRole('table', { name: /Hari libur setahun ke depan/ })
        .getByRole('row')
        .count(),
    ).toBeGreaterThan(10);
    // The custom fields with their rules and the default macros with what they change
    const fields = page.getByRole('table', { name: 'Kolom tambahan' });
    expect(await fields.getByRole('row', { name: /NISN siswa/ }).textContent()).toContain('^[0-9]{10}$');
    const macros = page.getByRole('table', { name: 'Makro bawaan' });
    expect(await macros.getByRole('row', { name: /Minta informasi tambahan/ }).textContent()).toContain('macros[0]');
    await page.getByText(/paling banyak \d+ per tiket/).waitFor();
    // The export of everything is the administrators' alone
    expect(await page.getByRole('heading', { name: 'Ekspor semua data' }).count()).toBe(0);
    await expectAccessible(page, 'organisation');
    await screenshot(page, 'organisation');
    // On a phone the page does not scroll sideways: wide tables scroll in their own box
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await expectAccessible(page, 'organisation on a phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an administrator erase a requester after a confirmation that says what is removed and what is kept', {
    timeout: 60_000,
  }, async () => {
    // Arrange: a parent's request
    const tag = randomUUID().slice(0, 6);
    const requester = await tokenFor({ sub: `wali-${tag}`, name: `Bu Wali ${tag}`, email: `wali-${tag}@example.org` });
    const created = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: `Surat pindah sekolah ${tag}`, category: 'administration' },
    });
    const { page, context, problems } = await openPage(browser, LAPTOP);
    await signIn(page, 'admin');

    // Act: from the ticket to the requester's record, then the erasure
    await page.goto(`${consoleUrl()}/agent/tickets/${created.body.id}`);
    await page.getByRole('link', { name: `Bu Wali ${tag}` }).click();
    await page.getByRole('heading', { name: `Pemohon: Bu Wali ${tag}` }).waitFor();
    await page.getByText(`wali-${tag}@example.org`).waitFor();
    await page.getByRole('link', { name: new RegExp(`Surat pindah sekolah ${tag}`) }).waitFor();
    await page.getByRole('button', { name: 'Hapus data pribadi pemohon…' }).click();
    const confirmation = page.getByRole('alertdialog', { name: `Hapus data pribadi Bu Wali ${tag}?` });
    await confirmation.waitFor();
    await expectAccessible(page, 'erasure confirmation');
    await screenshot(page, 'requester-erase');
    const text = await confirmation.textContent();
    await confirmation.getByRole('button', { name: 'Ya, hapus data pribadi' }).click();

    // Assert
    expect(text).toContain('Yang dihapus: nama, email dan nomor telepon');
    expect(text).toContain('Yang tetap: kategori, tim, prioritas, saluran');
    await page.getByText('Data pribadi dihapus dari 1 tiket.').waitFor();
    await page.getByText(/sudah dihapus/).waitFor();
    expect(await page.content()).not.toContain(`wali-${tag}@example.org`);
    expect((await call(`/tickets/${created.body.id}`, { token: await tokenFor({ sub: 'admin', groups: ['admin'] }) })).body.subject).toBe(
      '[erased]',
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});
