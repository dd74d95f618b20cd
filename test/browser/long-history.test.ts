// A ticket with a long conversation and many staff reads, in the console: the requester sees the newest
// messages (the latest reply included) and is told that older ones are not shown; the agent's history has
// no reads in it until asked for, and then shows them by time.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../integration/api-client.ts';
import { expectAccessible, LAPTOP, launch, openPage, PHONE, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a long ticket in the console', () => {
  it('shows the newest messages, says older ones are not shown, and keeps staff reads out of the history', {
    timeout: 90_000,
  }, async () => {
    // Arrange: Joko's ticket, 101 replies from Rina, and Rina reading it a few times
    const tag = randomUUID().slice(0, 6);
    const joko = await tokenFor({ sub: 'joko', name: 'Joko Susilo', email: 'joko.ortu@example.org' });
    const rina = await tokenFor({ sub: 'rina', name: 'Rina Wulandari', groups: ['lead'], teams: ['helpdesk'] });
    const ticket = (await call('/tickets', { method: 'POST', token: joko, body: { subject: `Rapor anak belum terbit ${tag}` } })).body;
    for (let reply = 1; reply <= 101; reply++)
      await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: rina, body: { body: `Balasan ${reply} ${tag}` } });
    for (let read = 0; read < 3; read++) await call(`/tickets/${ticket.id}`, { token: rina });

    // Act + Assert: the requester, on a phone
    const parent = await openPage(browser, PHONE);
    await signIn(parent.page, 'joko');
    await parent.page.goto(new URL(`/tickets/${ticket.id}`, parent.page.url()).toString());
    await parent.page.getByText(`Balasan 101 ${tag}`).waitFor();
    await parent.page.getByText('Pesan yang lebih lama tidak ditampilkan').waitFor();
    expect(await parent.page.getByText(`Balasan 1 ${tag}`, { exact: true }).count()).toBe(0);
    await expectAccessible(parent.page, 'requester ticket, older messages not shown');

    // Act + Assert: the lead, on a laptop: no reads in the history until asked for
    const lead = await openPage(browser, LAPTOP);
    await signIn(lead.page, 'rina');
    await lead.page.goto(new URL(`/agent/tickets/${ticket.id}`, lead.page.url()).toString());
    await lead.page.getByText(`Balasan 101 ${tag}`).waitFor();
    expect(await lead.page.locator('.event-TicketViewed').count()).toBe(0);
    await lead.page.getByLabel(/Tampilkan catatan akses/).check();
    await lead.page.locator('.event-TicketViewed').first().waitFor();
    expect(await lead.page.locator('.event-TicketViewed').count()).toBeGreaterThanOrEqual(3);
    await expectAccessible(lead.page, 'agent ticket with access records');
    expect([...parent.problems, ...lead.problems]).toEqual([]);
  });
});
