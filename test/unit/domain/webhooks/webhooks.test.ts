import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { WebhookSubscription } from '#shared/config/config-schema.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import {
  deliverWebhooks,
  retryDelaySeconds,
  WebhookDeliveryError,
  type WebhookDeps,
  wantsEvent,
  webhookBody,
  webhookKey,
} from '#shared/domain/webhooks/webhooks.ts';
import { fakeClock } from '#test/fixtures/clock.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';
import { InMemoryWebhookStates, scriptedReceiver } from '#test/fixtures/in-memory-webhooks.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

const subscription = (overrides: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  id: 'erp',
  url: 'https://erp.example/hook',
  events: ['TicketCreated', 'CommentAdded', 'StatusChanged'],
  filter: {},
  internalNotes: false,
  secret: 'helpdesk/webhooks/erp',
  timeoutSeconds: 5,
  ...overrides,
});

const anEvent = (overrides: Partial<TicketEvent> = {}): TicketEvent =>
  ({
    id: '01JEVENT00000000000000001',
    type: 'TicketCreated',
    ticketId: '01JTICKET0000000000000001',
    number: 42,
    version: 1,
    at: '2026-03-02T02:00:00.000Z',
    actor: { id: 'budi', role: 'agent', ip: '10.1.2.3' },
    data: { subject: 'Wi-Fi mati', channel: 'web', category: 'network', team: 'it-support', priority: 'high', classifiedBy: 'keywords' },
    ticket: { status: 'new', priority: 'high', category: 'network', team: 'it-support', assignee: null, channel: 'web' },
    retainUntil: '2028-03-02T02:00:00.000Z',
    ...overrides,
  }) as TicketEvent;

const depsWith = (subscriptions: WebhookSubscription[], script: Record<string, (number | 'unreachable')[]> = {}) => {
  const receiver = scriptedReceiver(script);
  const states = new InMemoryWebhookStates();
  const claims = new InMemoryClaimStore({ lockSeconds: 180, ttlSeconds: 35 * 86_400 });
  const secrets: Record<string, string> = { 'helpdesk/webhooks/erp': SECRET, 'helpdesk/webhooks/chat': SECRET };
  const deps: WebhookDeps = {
    claims,
    states,
    secret: async (name) => {
      const value = secrets[name];
      if (!value) throw new Error(`no secret ${name}`);
      return value;
    },
    post: receiver.post,
    // Real time: the Standard Webhooks library checks the timestamp against its own clock.
    clock: fakeClock(new Date().toISOString()),
    config: { webhooks: subscriptions },
  };
  return { deps, receiver, states, secrets };
};

describe('which events a subscription wants', () => {
  it('takes the listed types only, filtered by team, category and priority', () => {
    // Arrange
    const filtered = subscription({ filter: { teams: ['it-support'], categories: ['network'], priorities: ['high', 'critical'] } });

    // Act / Assert
    expect(wantsEvent(filtered, anEvent())).toBe(true);
    expect(wantsEvent(filtered, anEvent({ type: 'PriorityChanged' } as Partial<TicketEvent>))).toBe(false);
    expect(wantsEvent(filtered, anEvent({ ticket: { ...anEvent().ticket, team: 'sarpras' } }))).toBe(false);
    expect(wantsEvent(filtered, anEvent({ ticket: { ...anEvent().ticket, category: 'hardware' } }))).toBe(false);
    expect(wantsEvent(filtered, anEvent({ ticket: { ...anEvent().ticket, priority: 'low' } }))).toBe(false);
  });

  it('leaves internal notes out unless the subscription asks for them', () => {
    // Arrange
    const note = anEvent({ type: 'CommentAdded', data: { body: 'AP rusak', visibility: 'internal' } } as Partial<TicketEvent>);
    const reply = anEvent({ type: 'CommentAdded', data: { body: 'Sudah diganti', visibility: 'public' } } as Partial<TicketEvent>);

    // Act / Assert
    expect(wantsEvent(subscription(), note)).toBe(false);
    expect(wantsEvent(subscription(), reply)).toBe(true);
    expect(wantsEvent(subscription({ internalNotes: true }), note)).toBe(true);
  });
});

describe('the request', () => {
  it('is signed so that the Standard Webhooks library verifies it, and carries no staff address or retention', async () => {
    // Arrange
    const { deps, receiver } = depsWith([subscription()]);

    // Act
    const outcomes = await deliverWebhooks(deps, anEvent());

    // Assert
    expect(outcomes).toEqual([{ subscription: 'erp', outcome: 'delivered', status: 200, recorded: true }]);
    const [request] = receiver.received;
    expect(request!.url).toBe('https://erp.example/hook');
    expect(request!.timeoutMs).toBe(5000);
    const verified = new Webhook(SECRET).verify(request!.body, request!.headers) as { event: TicketEvent; subscription: string };
    expect(verified.subscription).toBe('erp');
    expect(verified.event).toMatchObject({ id: anEvent().id, number: 42, actor: { id: 'budi', role: 'agent' } });
    expect(request!.body).not.toContain('10.1.2.3');
    expect(request!.body).not.toContain('retainUntil');
    expect(request!.headers['webhook-id']).toBe(anEvent().id);
  });

  it('fails verification when the body was changed on the way', async () => {
    // Arrange
    const { deps, receiver } = depsWith([subscription()]);
    await deliverWebhooks(deps, anEvent());
    const [request] = receiver.received;

    // Act / Assert
    expect(() => new Webhook(SECRET).verify(request!.body.replace('"number":42', '"number":43'), request!.headers)).toThrow();
  });

  it('is the body docs/integrations.md shows', () => {
    // Arrange: the example under "What the receiver gets".
    const doc = readFileSync(new URL('../../../../docs/integrations.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### What the receiver gets'));
    const example = JSON.parse(section.slice(section.indexOf('```json') + 7, section.indexOf('```', section.indexOf('```json') + 7)));

    // Act
    const body = JSON.parse(webhookBody(subscription(), anEvent()));

    // Assert
    expect(Object.keys(body)).toEqual(Object.keys(example));
    expect(Object.keys(body.event)).toEqual(Object.keys(example.event));
    expect(Object.keys(body.event.actor)).toEqual(Object.keys(example.event.actor));
  });
});

describe('the verification snippet of docs/integrations.md', () => {
  it('accepts what the desk signs, and refuses a changed body, another key and an old timestamp', async () => {
    // Arrange: the Node snippet under "Verifying the signature", as a receiver would paste it.
    const doc = readFileSync(new URL('../../../../docs/integrations.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Verifying the signature'));
    const start = section.indexOf('```js') + 5;
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-verify-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, section.slice(start, section.indexOf('```', start)));
    const { verifyHelpdeskWebhook: verify } = (await import(pathToFileURL(file).href)) as {
      verifyHelpdeskWebhook: (secret: string, headers: Record<string, string>, body: string) => boolean;
    };
    const { deps, receiver } = depsWith([subscription()]);
    await deliverWebhooks(deps, anEvent());
    const [request] = receiver.received;
    const sentAt = Number(request!.headers['webhook-timestamp']) * 1000;
    const otherKey = `whsec_${randomBytes(32).toString('base64')}`;
    vi.useFakeTimers({ now: sentAt + 60_000, toFake: ['Date'] });

    try {
      // Act
      const genuine = verify(SECRET, request!.headers, request!.body);
      const changed = verify(SECRET, request!.headers, request!.body.replace('"number":42', '"number":43'));
      const wrongKey = verify(otherKey, request!.headers, request!.body);
      vi.setSystemTime(sentAt + 10 * 60_000);
      const tooOld = verify(SECRET, request!.headers, request!.body);

      // Assert
      expect([genuine, changed, wrongKey, tooOld]).toEqual([true, false, false, false]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('delivery, retries and 410', () => {
  it('reports a failed receiver after trying the others, and sends the retry only to it', async () => {
    // Arrange
    const erp = subscription();
    const chat = subscription({ id: 'chat', url: 'https://chat.example/hook', secret: 'helpdesk/webhooks/chat' });
    const { deps, receiver } = depsWith([erp, chat], { 'https://erp.example/hook': [500, 200] });

    // Act
    const first = await deliverWebhooks(deps, anEvent()).catch((error: unknown) => error);
    const second = await deliverWebhooks(deps, anEvent());

    // Assert
    expect(first).toBeInstanceOf(WebhookDeliveryError);
    expect((first as WebhookDeliveryError).outcomes).toEqual([
      { subscription: 'erp', outcome: 'failed', status: 500 },
      { subscription: 'chat', outcome: 'delivered', status: 200, recorded: true },
    ]);
    expect(second).toEqual([
      { subscription: 'erp', outcome: 'delivered', status: 200, recorded: true },
      { subscription: 'chat', outcome: 'duplicate' },
    ]);
    expect(receiver.received.map((request) => request.url)).toEqual([
      'https://erp.example/hook',
      'https://chat.example/hook',
      'https://erp.example/hook',
    ]);
  });

  it('counts an unreachable receiver, a redirect and a bad secret as failures to retry', async () => {
    // Arrange
    const { deps, secrets } = depsWith(
      [
        subscription(),
        subscription({ id: 'moved', url: 'https://moved.example/hook' }),
        subscription({ id: 'x', url: 'https://x.example/h', secret: 'helpdesk/webhooks/chat' }),
      ],
      { 'https://erp.example/hook': ['unreachable'], 'https://moved.example/hook': [301] },
    );
    secrets['helpdesk/webhooks/chat'] = 'not-a-whsec-key';

    // Act
    const error = (await deliverWebhooks(deps, anEvent()).catch((caught: unknown) => caught)) as WebhookDeliveryError;

    // Assert
    expect(error.outcomes).toEqual([
      { subscription: 'erp', outcome: 'failed', reason: 'unreachable' },
      { subscription: 'moved', outcome: 'failed', status: 301 },
      { subscription: 'x', outcome: 'failed', reason: 'secret' },
    ]);
    expect(error.message).toContain('erp, moved, x');
  });

  it('switches a subscription off when its receiver answers 410, until its URL changes', async () => {
    // Arrange
    const { deps, receiver, states } = depsWith([subscription()], { 'https://erp.example/hook': [410] });

    // Act
    const gone = await deliverWebhooks(deps, anEvent());
    const later = await deliverWebhooks(deps, anEvent({ id: '01JEVENT00000000000000002' }));
    deps.config = { webhooks: [subscription({ url: 'https://erp.example/new-hook' })] };
    const moved = await deliverWebhooks(deps, anEvent({ id: '01JEVENT00000000000000003' }));

    // Assert
    expect(gone).toEqual([{ subscription: 'erp', outcome: 'gone', status: 410 }]);
    expect(later).toEqual([{ subscription: 'erp', outcome: 'disabled' }]);
    expect(moved).toEqual([{ subscription: 'erp', outcome: 'delivered', status: 200, recorded: true }]);
    expect(await states.disabled('erp')).toMatchObject({ url: 'https://erp.example/hook', status: 410 });
    expect(receiver.received).toHaveLength(2);
  });

  it('still reports a delivery whose record could not be written, without failing the message', async () => {
    // Arrange
    const { deps } = depsWith([subscription()]);
    deps.claims.complete = async () => {
      throw new Error('throttled');
    };

    // Act
    const outcomes = await deliverWebhooks(deps, anEvent());

    // Assert
    expect(outcomes).toEqual([{ subscription: 'erp', outcome: 'delivered', status: 200, recorded: false }]);
  });

  it('backs off 30 s, doubling, at most 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });
});

describe('secrets', () => {
  it('takes a whsec_ key of at least 24 bytes and nothing else', () => {
    expect(webhookKey('s', SECRET)).toHaveLength(32);
    expect(() => webhookKey('s', `whsec_${randomBytes(8).toString('base64')}`)).toThrow('webhook secret s is not');
    expect(() => webhookKey('s', randomBytes(32).toString('base64'))).toThrow();
    expect(() => webhookKey('s', 'whsec_not base64!')).toThrow();
  });
});
