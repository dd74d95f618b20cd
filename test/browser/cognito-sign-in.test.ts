// Signing in as on AWS: the console sends the browser to the hosted sign-in page with a PKCE challenge and a
// state, comes back to /auth/callback with a code, exchanges it with the verifier at the token endpoint, and
// uses the ID token; signing out goes to the hosted /logout. Cognito is played by a small local server that
// checks what Cognito checks (client, redirect URI, S256 verifier) and issues a sandbox token.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ConsoleServer, startConsoleServer } from '#sandbox/console-server.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { consoleConfig } from '#shared/console/console-config.ts';
import { apiUrl, tokenFor } from '../integration/api-client.ts';
import { launch, openPage, PHONE } from './browser.ts';

const CLIENT_ID = 'web-client-under-test';
let browser: Browser;
let cognito: Server;
let cognitoUrl: string;
let site: ConsoleServer;
const seen: { authorize?: URLSearchParams; token?: URLSearchParams; logout?: URLSearchParams } = {};

beforeAll(async () => {
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  cognito = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cors = { 'access-control-allow-origin': site?.url ?? '*', 'access-control-allow-headers': 'content-type' };
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    if (url.pathname === '/oauth2/authorize') {
      seen.authorize = url.searchParams;
      const code = randomUUID();
      codes.set(code, { challenge: url.searchParams.get('code_challenge')!, redirectUri: url.searchParams.get('redirect_uri')! });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      return void response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/oauth2/token' && request.method === 'POST') {
      let body = '';
      for await (const chunk of request) body += chunk;
      const form = new URLSearchParams(body);
      seen.token = form;
      const grant = codes.get(form.get('code') ?? '');
      const verified =
        grant &&
        form.get('client_id') === CLIENT_ID &&
        form.get('redirect_uri') === grant.redirectUri &&
        createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url') === grant.challenge;
      if (!verified) return void response.writeHead(400, { ...cors, 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      const idToken = await tokenFor({ sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example', groups: ['requester'] });
      return void response
        .writeHead(200, { ...cors, 'content-type': 'application/json' })
        .end(
          JSON.stringify({ id_token: idToken, access_token: 'unused', refresh_token: 'refresh', expires_in: 3600, token_type: 'Bearer' }),
        );
    }
    if (url.pathname === '/logout') {
      seen.logout = url.searchParams;
      return void response.writeHead(200, { 'content-type': 'text/plain' }).end('signed out');
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
  cognitoUrl = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`;
  site = await startConsoleServer({
    port: 0,
    distDir: inject('consoleDist'),
    config: () =>
      consoleConfig(loadConfig(), apiUrl(), {
        mode: 'cognito',
        domain: cognitoUrl,
        clientId: CLIENT_ID,
        redirectUri: `${site.url}/auth/callback`,
        logoutUri: `${site.url}/`,
      }),
    connect: () => [apiUrl(), cognitoUrl],
  });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await new Promise((resolve) => cognito?.close(resolve));
});

describe('signing in with the hosted sign-in (authorization code + PKCE)', () => {
  it('goes to the sign-in page with an S256 challenge, exchanges the code with its verifier, and signs out there', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const { page, context } = await openPage(browser, PHONE);
    await page.goto(`${site.url}/tickets/new`);
    await page.getByRole('heading', { name: 'Masuk ke Helpdesk' }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Masuk' }).click();

    // Assert: back on the page asked for, signed in as the token says
    await page.getByRole('heading', { name: 'Permintaan baru' }).waitFor();
    await page.getByText('Ani Wijaya · Pemohon').waitFor();
    expect(Object.fromEntries(seen.authorize!)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: `${site.url}/auth/callback`,
      code_challenge_method: 'S256',
    });
    expect(seen.token!.get('grant_type')).toBe('authorization_code');
    expect(seen.token!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate("sessionStorage.getItem('helpdesk.pkce')")).toBeNull();

    // Signing out clears the tab and ends the hosted session
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByText('signed out').waitFor();
    expect(Object.fromEntries(seen.logout!)).toEqual({ client_id: CLIENT_ID, logout_uri: `${site.url}/` });
    await context.close();
  });

  it('refuses an answer that does not carry this tab’s state', { timeout: 30_000 }, async () => {
    const { page, context } = await openPage(browser, PHONE);
    await page.goto(`${site.url}/auth/callback?code=stolen&state=forged`);
    await page.getByText(/Masuk tidak selesai: the answer does not belong to this tab\./).waitFor();
    await context.close();
  });
});
