// The web console in Chromium (Debian's, through playwright-core): the JavaScript and CSS each screen loads
// on a cold first visit (raw and gzip-compressed, as CloudFront serves them), and the time from navigation
// until an agent's queue of 50 tickets is on screen and usable, against the bench's sandbox.
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import type { Sandbox } from '#sandbox/sandbox.ts';
import { median, percentile } from './stats.ts';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type ScreenWeight = { screen: string; jsFiles: number; jsBytes: number; jsGzip: number; cssBytes: number; cssGzip: number };
export type ConsoleFigures = { screens: ScreenWeight[]; queue: { tickets: number; runs: number[] }; chromium: string };

const post = async (url: string, body: unknown, token?: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
};

/** The session the console keeps in sessionStorage, put there before its scripts run (as after signing in). */
const sessionScript = (token: string) => {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const groups = claims['cognito:groups'] as string[];
  const session = {
    token,
    expiresAt: Number(claims.exp) * 1000,
    me: {
      id: claims.sub,
      name: claims.name,
      role: groups[0],
      teams: String(claims['custom:teams'] ?? '')
        .split(',')
        .filter(Boolean),
    },
  };
  return `sessionStorage.setItem('helpdesk.session', ${JSON.stringify(JSON.stringify(session))});`;
};

export const measureConsole = async (sandbox: Sandbox, options: { tickets: number; runs: number }): Promise<ConsoleFigures> => {
  const consoleUrl = sandbox.consoleUrl!;
  const token = (claims: Record<string, unknown>) => post(`${sandbox.apiUrl}/_local/token`, claims).then((reply) => String(reply.token));
  const requester = await token({ sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example', groups: ['requester'] });
  const agent = await token({ sub: 'dewi', name: 'Dewi Lestari', groups: ['agent'], teams: ['keuangan'] });
  // Staff file on behalf of callers without the requester's hourly limit: the finance team's queue of 50.
  const tickets: string[] = [];
  for (let index = 0; index < options.tickets; index++) {
    const ticket = await post(
      `${sandbox.apiUrl}/tickets`,
      {
        subject: `Pembayaran SPP bulan ${index + 1} belum tercatat`,
        requester: { name: `Orang tua ${index + 1}`, email: `ortu${index}@example.org` },
      },
      agent,
    );
    tickets.push(String(ticket.id));
  }
  const mine = await post(`${sandbox.apiUrl}/tickets`, { subject: 'Kuitansi SPP belum diterima', channel: 'web' }, requester);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  try {
    /** One cold visit (a new context: no cache, no service worker) with the session already in place. */
    const visit = async <T>(path: string, bearer: string | undefined, ready: (page: Page) => Promise<T>) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      if (bearer) await context.addInitScript(sessionScript(bearer));
      const page = await context.newPage();
      const files: { type: string; bytes: number; gzip: number }[] = [];
      page.on('response', async (response) => {
        const type = response.request().resourceType();
        if (type !== 'script' && type !== 'stylesheet') return;
        const body = await response.body();
        files.push({ type, bytes: body.length, gzip: gzipSync(body).length });
      });
      await page.goto(`${consoleUrl}${path}`);
      const result = await ready(page);
      await page.waitForLoadState('networkidle');
      await context.close();
      return { files, result };
    };
    const weigh = async (screen: string, path: string, bearer: string | undefined, heading: RegExp): Promise<ScreenWeight> => {
      const { files } = await visit(path, bearer, (page) => page.getByRole('heading', { name: heading }).first().waitFor());
      const sum = (type: string, key: 'bytes' | 'gzip') =>
        files.filter((file) => file.type === type).reduce((total, file) => total + file[key], 0);
      return {
        screen,
        jsFiles: files.filter((file) => file.type === 'script').length,
        jsBytes: sum('script', 'bytes'),
        jsGzip: sum('script', 'gzip'),
        cssBytes: sum('stylesheet', 'bytes'),
        cssGzip: sum('stylesheet', 'gzip'),
      };
    };
    const screens = [
      await weigh('sign-in', '/', undefined, /Masuk ke Helpdesk/),
      await weigh('requester: my tickets', '/tickets', requester, /Tiket saya/),
      await weigh('requester: new request', '/tickets/new', requester, /Permintaan baru/),
      await weigh('requester: ticket', `/tickets/${mine.id}`, requester, /Kuitansi SPP/),
      await weigh('agent: queue', '/queue/team', agent, /Antrean/),
      await weigh('agent: ticket', `/agent/tickets/${tickets[0]}`, agent, /Pembayaran SPP/),
      await weigh('agent: log a phone call', '/phone', agent, /Catat panggilan telepon/),
    ];

    // Time to a usable queue: from the start of navigation until 50 rows are on screen with their links.
    const runs: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const { result } = await visit('/queue/team', agent, async (page) => {
        // A locator waits in Playwright's own world: the console's CSP (no eval) stays in force.
        await page
          .locator('table.queue tbody tr a.row-link')
          .nth(options.tickets - 1)
          .waitFor({ timeout: 30_000 });
        return (await page.evaluate('performance.now()')) as number;
      });
      runs.push(result);
    }
    return { screens, queue: { tickets: options.tickets, runs }, chromium: browser.version() };
  } finally {
    await browser.close();
  }
};

export const queueSummary = (runs: number[]) => ({ median: median(runs), p95: percentile(runs, 95), max: Math.max(...runs) });
