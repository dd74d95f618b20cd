// The knowledge base through a sandbox of its own (its chat tickets and counters would disturb the shared
// one's figures): the default articles loaded at start, search, the bot's answer and its handoff to a
// ticket, staff editing under If-Match, a restart that keeps the edits, and deflection in the report.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { recentDays } from './report-range.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-kb-');
  sandbox = await startSandboxProcess(dir);
  api = clientFor(sandbox.url);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const chat = (message: string, sessionId?: string) =>
  api.call('/chat', { method: 'POST', body: { message, ...(sessionId ? { sessionId } : {}) } });

describe('the knowledge base through the sandbox', () => {
  it('serves the fourteen default articles without an account, each with safe HTML and its version', async () => {
    // Act
    const list = await api.call('/kb/articles');
    const one = await api.call('/kb/articles/reset-password-erapor');

    // Assert
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(14);
    expect(one.headers.get('etag')).toBe('"1"');
    expect(one.body).toMatchObject({ title: 'Reset kata sandi e-Rapor', status: 'published' });
    expect(one.body.html).toContain('<strong>Lupa kata sandi</strong>');
  });

  it('finds articles from informal Indonesian with typos', async () => {
    // Act
    const result = await api.call(`/kb/search?q=${encodeURIComponent('gmn reset pasword erpor')}`);

    // Assert
    expect(result.body.articles[0]).toMatchObject({ id: 'reset-password-erapor' });
  });

  it('answers in chat from the article, and hands a complaint over as a ticket with the conversation', async () => {
    // Act
    const answer = await chat('printer nyangkut kertasnya gmn');
    const offer = await chat('Saya mau komplain, petugas tata usaha kasar sekali');
    const askAddress = await chat('ya', offer.body.sessionId);
    const opened = await chat('ani@example.org', offer.body.sessionId);

    // Assert
    expect(answer.body).toMatchObject({ handoff: false, articles: [expect.objectContaining({ id: 'printer-paper-jam' })] });
    expect(answer.body.answer).toContain('Matikan printer dan cabut kabel daya.');
    expect(offer.body).toMatchObject({ handoff: true, handoffReason: 'complaint', awaiting: 'confirmation' });
    expect(askAddress.body.awaiting).toBe('contact');
    expect(opened.body.answer).toContain(`Tiket #${opened.body.ticketNumber} sudah dibuat`);
    const lead = await api.tokenFor({ sub: 'rina', name: 'Rina', groups: ['lead'] });
    const ticket = (await api.call(`/tickets/${opened.body.ticketId}`, { token: lead })).body;
    expect(ticket).toMatchObject({
      channel: 'chat',
      subject: 'Saya mau komplain, petugas tata usaha kasar sekali',
      requester: { email: 'ani@example.org' },
    });
    expect(ticket.description).toContain('Penanya: ya');
  });

  it('lets staff edit an article under If-Match (412 when stale, 403 for a requester), and search sees the edit at once', async () => {
    // Arrange
    const budi = await api.tokenFor({ sub: 'budi', name: 'Budi', groups: ['agent'], teams: ['it-support'] });
    const ani = await api.tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org', groups: ['requester'] });
    const current = (await api.call('/kb/articles/printer-paper-jam')).body;
    const { title, title_en, category, tags, language, status, body } = current;
    const edited = {
      title,
      title_en,
      category,
      tags: [...tags, 'fotokopi'],
      language,
      status,
      body: `**Catatan:** fotokopi juga.\n\n${body}`,
    };

    // Act
    const refused = await api.call('/kb/articles/printer-paper-jam', {
      method: 'PUT',
      token: ani,
      body: edited,
      headers: { 'if-match': '"1"' },
    });
    const saved = await api.call('/kb/articles/printer-paper-jam', {
      method: 'PUT',
      token: budi,
      body: edited,
      headers: { 'if-match': '"1"' },
    });
    const stale = await api.call('/kb/articles/printer-paper-jam', {
      method: 'PUT',
      token: budi,
      body: edited,
      headers: { 'if-match': '"1"' },
    });
    const read = await api.call('/kb/articles/printer-paper-jam');
    const found = await api.call('/kb/search?q=fotokopi');
    const history = await api.call('/kb/articles/printer-paper-jam/history', { token: budi });
    const deleted = await api.call('/kb/articles/legalize-diploma', { method: 'DELETE', token: budi, headers: { 'if-match': '"1"' } });

    // Assert
    expect(refused.status).toBe(403);
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    // The public read serves the HTML of the version just written
    expect(read.body).toMatchObject({ version: 2, html: expect.stringContaining('<p><strong>Catatan:</strong> fotokopi juga.</p>') });
    expect(stale.status).toBe(412);
    expect(found.body.articles[0]).toMatchObject({ id: 'printer-paper-jam' });
    expect(history.body.items.map((event: { version: number; type: string }) => [event.version, event.type])).toEqual([
      [2, 'ArticleUpdated'],
      [1, 'ArticleCreated'],
    ]);
    expect(deleted.status).toBe(204);
  });

  it('counts suggestions shown, articles opened and requests withdrawn, and the report shows deflection and the chat', async () => {
    // Arrange
    const ani = await api.tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org', groups: ['requester'] });
    // The desk's figures (deflection belongs to no team) are an administrator's.
    const lead = await api.tokenFor({ sub: 'root', name: 'Root', groups: ['admin'] });

    // Act
    const suggested = await api.call(`/kb/suggest?subject=${encodeURIComponent('Proyektor tidak ada gambar')}&description=hdmi`, {
      token: ani,
    });
    const { suggestionId } = suggested.body;
    const articleId = suggested.body.articles[0].id;
    const opened = await api.call('/kb/deflections', { method: 'POST', token: ani, body: { suggestionId, articleId, outcome: 'opened' } });
    const withdrawn = await api.call('/kb/deflections', {
      method: 'POST',
      token: ani,
      body: { suggestionId, articleId, outcome: 'withdrawn' },
    });
    const report = await api.call(`/reports/summary?${recentDays(Date.now())}`, { token: lead });

    // Assert
    expect(articleId).toBe('projector-no-picture');
    expect([opened.body.counted, withdrawn.body.counted]).toEqual([true, true]);
    expect(report.body.knowledgeBase.deflection).toEqual({ suggestionsShown: 1, articlesOpened: 1, requestsWithdrawn: 1, rate: 1 });
    expect(report.body.knowledgeBase.chat).toMatchObject({ conversations: 2, answered: 1, handoffs: 1, tickets: 1 });
  });

  it('keeps the organisation’s edits and deletions when the sandbox starts again and seeds', async () => {
    // Act
    await sandbox.stop();
    sandbox = await startSandboxProcess(dir);
    api = clientFor(sandbox.url);
    const edited = await api.call('/kb/articles/printer-paper-jam');
    const deleted = await api.call('/kb/articles/legalize-diploma');

    // Assert
    expect(edited.body.tags).toContain('fotokopi');
    expect(edited.body.version).toBe(2);
    expect(deleted.status).toBe(404);
    expect((await api.call('/kb/articles')).body.items).toHaveLength(13);
    // A stop and a start: more than the default 30 s when the machine's cores are shared.
  }, 90_000);
});
