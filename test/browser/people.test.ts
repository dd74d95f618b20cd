// People in Chromium, on a sandbox of its own (it changes who takes tickets, which must not disturb the shared
// sandbox's routing): an administrator invites an agent, who signs in on the local page and sees their team's
// queue; an address in use and disabling the last administrator are refused in plain words; a lead takes the
// agent out of routing by keyboard, and the next tickets go to someone else; every change is in the history.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clientFor } from '../integration/api-client.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from '../integration/sandbox-process.ts';
import { expectAccessible, findInQueue, LAPTOP, launch, openPage, screenshot, tabTo } from './browser.ts';

let browser: Browser;
let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-people-');
  // The suite's built console, served by this sandbox with its own config.json (its API, its people).
  [sandbox, browser] = await Promise.all([
    startSandboxProcess(dir, { POWERTOOLS_LOG_LEVEL: 'SILENT', CONSOLE_DIST: inject('consoleDist') }),
    launch(),
  ]);
  api = clientFor(sandbox.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Signs in on this sandbox's local page as one of its people. */
const signInHere = async (page: Page, person: string) => {
  await page.goto(sandbox.consoleUrl);
  const heading = page.getByRole('heading', { name: 'Masuk ke Helpdesk' });
  await heading.waitFor();
  await page.getByLabel('Orang').selectOption(person);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await heading.waitFor({ state: 'detached' });
};

const fileAdministration = async (subject: string) => {
  const requester = await api.tokenFor({ name: 'Pak Wali', email: 'wali@example.org' });
  const created = await api.call('/tickets', { method: 'POST', token: requester, body: { subject, category: 'administration' } });
  expect(created.status).toBe(201);
  return created.body.id as string;
};

describe('people, administered from the console', () => {
  it('invites an agent who signs in and sees their team’s queue; a lead takes them out of routing; refusals in plain words', {
    timeout: 180_000,
  }, async () => {
    // Arrange
    const admin = await openPage(browser, LAPTOP);
    admin.page.on('dialog', (dialog) => void dialog.accept());
    await signInHere(admin.page, 'admin');
    await admin.page.getByRole('link', { name: 'Orang' }).click();
    await admin.page.getByRole('heading', { name: 'Orang', level: 1 }).waitFor();
    await expectAccessible(admin.page, 'people');

    // Act 1: the administrator invites Rudi into Tata Usaha, then tries his address again
    const invite = async (name: string, email: string) => {
      await admin.page.getByLabel('Email').fill(email);
      await admin.page.getByLabel('Nama').fill(name);
      await admin.page.getByLabel('Peran').selectOption('agent');
      const team = admin.page.getByRole('group', { name: 'Tim' }).first().getByLabel('Tata Usaha');
      if (!(await team.isChecked())) await team.check();
      await admin.page.getByRole('button', { name: 'Kirim undangan' }).click();
    };
    await invite('Rudi Hartono', 'rudi@sekolah.example');
    await admin.page.getByText('Rudi Hartono diundang sebagai Agen.').waitFor();
    await admin.page.getByRole('row', { name: /Rudi Hartono.*Agen.*Tata Usaha/ }).waitFor();
    await invite('Rudi Kedua', 'RUDI@sekolah.example');
    await admin.page.getByText('Tidak bisa dilakukan sekarang: RUDI@sekolah.example is already in use by Rudi Hartono.').waitFor();
    await admin.page.locator('#invite-email-error').getByText('is already in use by Rudi Hartono').waitFor();
    await expectAccessible(admin.page, 'people, address in use');
    await screenshot(admin.page, 'admin-people');

    // Act 2: a request for Tata Usaha comes in; Rudi, in routing with nothing in hand, gets it, and finds it in his team's queue
    const first = await fileAdministration('Legalisir rapor kelas 9');
    const routed = await api.waitForTicket(
      first,
      await api.tokenFor({ sub: 'admin', groups: ['admin'] }),
      (ticket) => ticket.assignee !== null,
    );
    const rudi = await openPage(browser, LAPTOP);
    await signInHere(rudi.page, 'rudi');
    await rudi.page.getByRole('heading', { name: 'Antrean: Tim saya' }).waitFor();
    await findInQueue(rudi.page, 'Legalisir rapor kelas 9');
    await expectAccessible(rudi.page, 'invited agent, team queue');

    // Act 3: Siti, Tata Usaha's lead, takes Rudi out of routing with the keyboard; two more requests come in
    const siti = await openPage(browser, LAPTOP);
    await signInHere(siti.page, 'siti');
    await siti.page.getByRole('link', { name: 'Orang' }).click();
    await siti.page.getByRole('heading', { name: 'Orang', level: 1 }).waitFor();
    expect(await siti.page.getByRole('button', { name: /Andi Pratama/ }).count()).toBe(0);
    await tabTo(siti.page, /^Ya: keluarkan Rudi Hartono dari pembagian tiket$/);
    await siti.page.keyboard.press('Enter');
    await siti.page.getByRole('button', { name: 'Tidak: masukkan Rudi Hartono lagi ke pembagian tiket' }).waitFor();
    await expectAccessible(siti.page, 'people, for a lead');
    const later = [await fileAdministration('Surat keterangan aktif'), await fileAdministration('Mutasi siswa')];
    const assignees = await Promise.all(
      later.map(
        async (id) =>
          (await api.waitForTicket(id, await api.tokenFor({ sub: 'admin', groups: ['admin'] }), (ticket) => ticket.assignee !== null))
            .assignee,
      ),
    );

    // Act 4: the administrator tries to disable the last administrator (herself), then reads Rudi's history
    await admin.page.getByRole('button', { name: 'Ubah Admin Sekolah' }).click();
    await admin.page.getByRole('button', { name: 'Nonaktifkan akun' }).click();
    await admin.page.getByText(/Admin Sekolah is the last administrator: make someone else an administrator first/).waitFor();
    const lastAdmin = await admin.page.getByRole('alert').last().textContent();
    await expectAccessible(admin.page, 'people, last administrator');
    await admin.page.getByRole('button', { name: 'Ubah Rudi Hartono' }).click();
    await admin.page.getByRole('heading', { name: 'Ubah Rudi Hartono' }).waitFor();
    // The form opened under the list has the focus, so the next Tab is in it (once its render has settled: the
    // heading is on screen a moment before the focus moves to it). Read by page.evaluate, which the console's CSP
    // allows: waitForFunction's polling calls the page's own eval, which that CSP refuses (an EvalError in a full run).
    await expect.poll(() => admin.page.evaluate('document.activeElement?.textContent'), { timeout: 5_000 }).toBe('Ubah Rudi Hartono');
    const history = admin.page.locator('ol.audit');
    await history.getByText('Menerima tiket: Ya → Tidak').waitFor();

    // Assert
    expect(routed.assignee).toBe('rudi');
    expect(await admin.page.getByRole('row', { name: /Rudi Kedua/ }).count()).toBe(0);
    expect(assignees).toEqual(['siti', 'siti']);
    expect(lastAdmin).toContain('Akun: cannot take the administrator role from Admin Sekolah');
    expect((await api.call('/staff', { token: await api.tokenFor({ sub: 'admin', groups: ['admin'] }) })).body.items).toContainEqual(
      expect.objectContaining({ id: 'admin', role: 'admin', active: true }),
    );
    expect(await history.locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^Diundang sebagai Agen, tim Tata Usaha .* oleh admin$/),
      expect.stringMatching(/^Menerima tiket: Ya → Tidak .* oleh siti$/),
    ]);
    for (const one of [admin, rudi, siti]) {
      expect(one.problems.filter((problem) => !/40[39]/.test(problem))).toEqual([]);
      await one.context.close();
    }
  });
});
