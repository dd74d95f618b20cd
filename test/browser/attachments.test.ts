// Files in the console, in Chromium: a teacher on a phone attaches a photo to a new request (sent as its first
// comment) and another to a reply, after an oversized file is refused in words before anything is uploaded; the
// agent sees both in the history and downloads one, byte for byte, through its signed link.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import { tokenFor, waitForTicket } from '../integration/api-client.ts';
import { consoleUrl, expectAccessible, JS_BUDGET, LAPTOP, launch, openPage, PHONE, screenshot, signIn } from './browser.ts';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The JavaScript (gzip) a full load of `path` fetches: the screen's first load (each script read again afterwards). */
const firstLoad = async (page: Page, path: string, ready: () => Promise<unknown>) => {
  const scripts = new Set<string>();
  const onResponse = (response: Response) => {
    if (response.request().resourceType() === 'script') scripts.add(response.url());
  };
  page.on('response', onResponse);
  await page.goto(new URL(path, consoleUrl()).toString());
  await ready();
  page.off('response', onResponse);
  const sizes = await Promise.all([...scripts].map(async (url) => gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length));
  return sizes.reduce((sum, size) => sum + size, 0);
};

describe('files in the console', () => {
  it('attaches files to a new request and a reply, refuses an oversized one before uploading, and the agent downloads them', {
    timeout: 60_000,
  }, async () => {
    // Arrange: the teacher on a phone, counting what reaches POST /attachments
    const tag = randomUUID().slice(0, 6);
    const subject = `Layar proyektor bergaris ${tag}`;
    const teacher = await openPage(browser, PHONE);
    const uploadsAsked: string[] = [];
    teacher.page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/attachments') uploadsAsked.push(request.url());
    });
    await signIn(teacher.page, 'ani');
    const newRequestLoad = await firstLoad(teacher.page, '/tickets/new', () =>
      teacher.page.getByRole('heading', { name: 'Permintaan baru' }).waitFor(),
    );
    const picker = teacher.page.getByLabel('Lampiran (tidak wajib)');

    // Act 1: an oversized file, then the photo
    await teacher.page.getByLabel('Judul singkat').fill(subject);
    await teacher.page.getByLabel('Keterangan').fill('Garis hijau di tengah layar, foto terlampir.');
    await picker.setInputFiles({
      name: 'video-kelas.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(loadConfig().attachments.maxBytes + 1024 * 1024, 0x20),
    });

    // Assert 1: refused in words beside the file, nothing uploaded
    await teacher.page.getByText(/Tidak dilampirkan: berkas ini 11 MB, batasnya 10 MB\. Perkecil dulu/).waitFor();
    expect(uploadsAsked).toEqual([]);
    await expectAccessible(teacher.page, 'new request, a file refused');
    await screenshot(teacher.page, 'requester-file-refused-phone');

    // Act 2: remove it, attach the photo, send
    await teacher.page.getByRole('button', { name: 'Hapus video-kelas.png' }).click();
    await picker.setInputFiles({ name: 'layar.png', mimeType: 'image/png', buffer: PNG });
    await teacher.page.locator('.file-ready').getByText('Siap dikirim').waitFor();
    await screenshot(teacher.page, 'requester-new-request-file-phone');
    await teacher.page.getByRole('button', { name: 'Kirim permintaan' }).click();

    // Assert 2: the request is filed and the photo is its first comment
    await teacher.page.getByText(/Permintaan #\d+ terkirim/).waitFor();
    await teacher.page.locator('.conversation').getByRole('button', { name: 'layar.png' }).waitFor();
    const ticketId = new URL(teacher.page.url()).pathname.split('/').pop()!;

    // Act 3: a reply with another photo, the page reloaded before it is sent (the draft keeps the text and the file)
    await teacher.page.getByLabel('Balasan Anda').fill('Ini foto dari sisi lain.');
    await picker.setInputFiles({ name: 'sisi-lain.png', mimeType: 'image/png', buffer: PNG });
    await teacher.page.locator('.file-ready').getByText('Siap dikirim').waitFor();
    await teacher.page.reload();
    await teacher.page.locator('.file-list .file-name', { hasText: 'sisi-lain.png' }).waitFor();
    await teacher.page.locator('.file-ready').getByText('Siap dikirim').waitFor();
    expect(await teacher.page.getByLabel('Balasan Anda').inputValue()).toBe('Ini foto dari sisi lain.');
    await teacher.page.getByRole('button', { name: 'Kirim balasan' }).click();

    // Assert 3
    await teacher.page.getByText('Balasan terkirim.').waitFor();
    await teacher.page.locator('.conversation').getByRole('button', { name: 'sisi-lain.png' }).waitFor();
    expect(uploadsAsked).toHaveLength(2);
    expect(await teacher.page.locator('.file-list').count()).toBe(0);
    await expectAccessible(teacher.page, 'requester ticket with files');
    await screenshot(teacher.page, 'requester-ticket-files-phone');

    // Act 4: the agent it was routed to opens the ticket and downloads the first photo
    const lead = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    const routed = await waitForTicket(ticketId, lead, (ticket) => ticket.assignee !== null);
    const agent = await openPage(browser, LAPTOP);
    await signIn(agent.page, routed.assignee);
    const agentLoad = await firstLoad(agent.page, `/agent/tickets/${ticketId}`, () =>
      agent.page.getByRole('heading', { name: new RegExp(subject) }).waitFor(),
    );
    const history = agent.page.locator('.history');
    await history.getByRole('button', { name: 'sisi-lain.png' }).waitFor();
    const [download] = await Promise.all([agent.page.waitForEvent('download'), history.getByRole('button', { name: 'layar.png' }).click()]);

    // Assert 4: the same bytes, under the file's name; both screens clean and within the budget
    expect(download.suggestedFilename()).toBe('layar.png');
    expect(await readFile((await download.path())!)).toEqual(PNG);
    await agent.page.getByText('Catatan internal', { exact: true }).first().click();
    await agent.page.getByText('Berkas pada catatan internal hanya terlihat oleh petugas.').waitFor();
    await expectAccessible(agent.page, 'agent ticket with files');
    await screenshot(agent.page, 'agent-ticket-files');
    expect(teacher.problems).toEqual([]);
    expect(agent.problems).toEqual([]);
    expect(newRequestLoad).toBeGreaterThan(0);
    expect(newRequestLoad).toBeLessThanOrEqual(JS_BUDGET);
    expect(agentLoad).toBeLessThanOrEqual(JS_BUDGET);
    await teacher.context.close();
    await agent.context.close();
  });

  it('keeps a new request’s files when sending them fails after the request is filed, and sends them again', {
    timeout: 30_000,
  }, async () => {
    // Arrange: the comment that carries the files fails once (the API's 500), after the ticket is created
    const tag = randomUUID().slice(0, 6);
    const { page, context, problems } = await openPage(browser, PHONE);
    await signIn(page, 'ani');
    await page.goto(new URL('/tickets/new', consoleUrl()).toString());
    let failures = 0;
    await page.route(/\/tickets\/[^/]+\/comments$/, async (route) => {
      if (failures++ > 0) return route.continue();
      await route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Internal Server Error', detail: 'Something failed; request id abc123.' }),
      });
    });

    // Act
    await page.getByLabel('Judul singkat').fill(`Printer lab bahasa macet ${tag}`);
    await page.getByLabel('Lampiran (tidak wajib)').setInputFiles({ name: 'printer.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.file-ready').waitFor();
    await page.getByRole('button', { name: 'Kirim permintaan' }).click();

    // Assert: the request exists and says so; the file is still there, to send again
    await page.getByText(/Permintaan #\d+ sudah terkirim, tetapi lampirannya belum\. Terjadi kesalahan di server/).waitFor();
    await page.locator('.file-list .file-name').getByText('printer.png').waitFor();
    await expectAccessible(page, 'new request filed, its files not sent');
    await screenshot(page, 'requester-files-not-sent-phone');
    await page.getByRole('button', { name: 'Kirim lampiran lagi' }).click();
    await page.locator('.conversation').getByRole('button', { name: 'printer.png' }).waitFor();
    await page.getByText(`Printer lab bahasa macet ${tag}`).first().waitFor();

    // Act + Assert: a "photo" that is not one passes the console's check, and the API's refusal is said beside it
    await page.getByLabel('Balasan Anda').fill('Satu foto lagi.');
    await page
      .getByLabel('Lampiran (tidak wajib)')
      .setInputFiles({ name: 'bukan-foto.png', mimeType: 'image/png', buffer: Buffer.from('hello') });
    await page.locator('.file-ready').waitFor();
    await page.getByRole('button', { name: 'Kirim balasan' }).click();
    await page.locator('.file-refused').getByText('Ditolak: isi berkas tidak sesuai jenisnya').waitFor();
    await page.getByText('Ada berkas yang ditolak; keterangannya ada di samping berkas itu.').waitFor();
    await expectAccessible(page, 'reply with a refused file');
    await screenshot(page, 'requester-file-refused-by-api-phone');
    expect(failures).toBe(3);
    // Chromium logs the failed call itself ("Failed to load resource"); nothing else went wrong.
    expect(problems).toEqual([]);
    await context.close();
  });
});
