// Debian's Chromium driven by playwright-core (no browser is downloaded), against the integration suite's
// sandbox and its console. One browser per test file; each test gets its own contexts (its own session
// storage), so files and tests can run side by side.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const consoleUrl = () => inject('consoleUrl');

/** First-load budget of any screen: 100 KB of JavaScript, compressed (gzip). */
export const JS_BUDGET = 100 * 1024;

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 } as const;
export const LAPTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 } as const;

/** A page that fails the test on any script error or CSP violation. */
export const openPage = async (
  browser: Browser,
  device: typeof PHONE | typeof LAPTOP,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> => {
  const context = await browser.newContext({ ...device, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  // Playwright's 30 s for a screen to show was too little once in a whole suite on a shared 2-core machine; a wait
  // ends as soon as the screen is there.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused fetch while offline is logged by Chromium itself; everything else is a fault.
    if (message.type() === 'error' && !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(message.text()))
      problems.push(message.text());
  });
  return { context, page, problems };
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core (WCAG 2.1 A and AA rules) on what the page shows now: no serious or critical violation. */
export const expectAccessible = async (page: Page, screen: string) => {
  // Evaluated through the DevTools protocol: the console's CSP (no inline script) stays in force.
  await page.evaluate(axeSource);
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  )) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const serious = result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${screen}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(serious).toEqual([]);
};

const SCRATCH = join(import.meta.dirname, 'screenshots', 'scratch');
const README_SHOTS = join(import.meta.dirname, 'screenshots');
/** The screenshots the README shows: written beside the scratch copies only when asked (UPDATE_SCREENSHOTS=1). */
const README_SCREENS = new Set(['requester-ticket-phone', 'agent-queue', 'agent-ticket', 'lead-dashboard', 'admin-people']);

/** Every screen is saved (test/browser/screenshots/scratch/, not committed); the README's three on request. */
export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCRATCH, { recursive: true });
  await page.screenshot({ path: join(SCRATCH, `${name}.png`), fullPage: true, animations: 'disabled' });
  if (process.env.UPDATE_SCREENSHOTS === '1' && README_SCREENS.has(name))
    await page.screenshot({ path: join(README_SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
};

/** Signs in on the sandbox's local page as one of its people, with the mouse (or by keyboard alone), and waits to be in. */
export const signIn = async (page: Page, person: string, options: { keyboard?: boolean } = {}) => {
  await page.goto(consoleUrl());
  const heading = page.getByRole('heading', { name: 'Masuk ke Helpdesk' });
  await heading.waitFor();
  const select = page.getByLabel('Orang');
  if (options.keyboard) {
    // Type-ahead on the focused list, as a person would: the first letters of the name.
    await tabTo(page, /^Orang$/);
    const label = await select.locator(`option[value="${person}"]`).textContent();
    await page.keyboard.type(label!.slice(0, 4));
    expect(await select.inputValue()).toBe(person);
    await tabTo(page, /^Masuk$/);
    await page.keyboard.press('Enter');
  } else {
    await select.selectOption(person);
    await page.getByRole('button', { name: 'Masuk' }).click();
  }
  await heading.waitFor({ state: 'detached' });
};

/** Presses Tab until the focused element's accessible name matches, as a keyboard user would (at most 40 times). */
export const tabTo = async (page: Page, name: RegExp) => {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    // The focused element's name: its aria-label, its <label>, or its own text (evaluated in the page).
    const focused = (await page.evaluate(`(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return '';
      const byFor = element.id ? document.querySelector('label[for="' + element.id + '"]') : null;
      const text = element.getAttribute('aria-label') || (byFor && byFor.textContent) || (element.closest('label') && element.closest('label').textContent) || element.textContent || '';
      return text.replace(/\\s+/g, ' ').trim();
    })()`)) as string;
    if (name.test(focused)) return;
  }
  await screenshot(page, 'tab-to-failed');
  throw new Error(`no focusable element named ${name} within 40 presses of Tab`);
};

/** Opens the queue and shows more until the ticket is listed (the shared sandbox holds other tests' tickets). */
export const findInQueue = async (page: Page, subject: string) => {
  const link = page.getByRole('link', { name: new RegExp(subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  for (let pages = 0; pages < 10; pages++) {
    // In either language the console speaks.
    await page
      .getByRole('status')
      .filter({ hasText: /tiket|tickets/ })
      .first()
      .waitFor();
    if (await link.count()) return link;
    const more = page.getByRole('button', { name: /^(Tampilkan lebih banyak|Show more)$/ });
    if (!(await more.count())) break;
    await more.click();
  }
  throw new Error(`"${subject}" is not in the queue`);
};
