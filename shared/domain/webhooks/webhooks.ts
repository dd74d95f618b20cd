// Outgoing webhooks: each ticket event a subscription asks for is POSTed to its URL, signed, once. The
// signature follows Standard Webhooks (https://www.standardwebhooks.com): headers `webhook-id`,
// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, with a
// `whsec_<base64>` key, so a receiver can verify with that project's libraries or ten lines of its own
// (docs/integrations.md). Each delivery is claimed before it is sent and given back when it fails, so a
// retried message sends only what did not arrive; a receiver answering 410 Gone switches its subscription off.
import { createHmac } from 'node:crypto';
import type { HelpdeskConfig, WebhookSubscription } from '#shared/config/config-schema.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import type { Clock } from '#shared/domain/tickets/ports.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Standard Webhooks asks for 24 to 64 random bytes. */
const MIN_KEY_BYTES = 24;

/** A subscription switched off because its receiver answered 410 Gone (for that URL). */
export type DisabledWebhook = { url: string; at: string; status: number };

/** The state kept per subscription: whether its receiver said it is gone. */
export interface WebhookStates {
  disabled(id: string): Promise<DisabledWebhook | undefined>;
  disable(id: string, state: DisabledWebhook): Promise<void>;
}

export type WebhookRequest = { url: string; headers: Record<string, string>; body: string; timeoutMs: number };

export type WebhookDeps = {
  /** One claim per subscription and event (`<subscription>#<event id>`). */
  claims: ClaimStore;
  states: WebhookStates;
  /** The secret's value by its name (Secrets Manager in AWS, a file in the sandbox). */
  secret: (name: string) => Promise<string>;
  /** POSTs the request; resolves with the receiver's status, rejects when it cannot be reached in time. */
  post: (request: WebhookRequest) => Promise<{ status: number }>;
  clock: Clock;
  config: Pick<HelpdeskConfig, 'webhooks'>;
};

export class WebhookSecretError extends Error {
  constructor(readonly secretName: string) {
    super(`webhook secret ${secretName} is not a ${WEBHOOK_SECRET_PREFIX}<base64 of at least ${MIN_KEY_BYTES} bytes> key`);
    this.name = 'WebhookSecretError';
  }
}

/** The HMAC key of a `whsec_<base64>` secret. */
export const webhookKey = (secretName: string, value: string): Buffer => {
  const trimmed = value.trim();
  const encoded = trimmed.startsWith(WEBHOOK_SECRET_PREFIX) ? trimmed.slice(WEBHOOK_SECRET_PREFIX.length) : '';
  const key = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length < MIN_KEY_BYTES) throw new WebhookSecretError(secretName);
  return key;
};

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. */
export const webhookSignature = (key: Buffer, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/** Whether the subscription wants this event: its types, its filter, and internal notes only when asked. */
export const wantsEvent = (subscription: WebhookSubscription, event: TicketEvent): boolean => {
  if (!subscription.events.includes(event.type)) return false;
  const { teams, categories, priorities } = subscription.filter;
  if (teams && !teams.includes(event.ticket.team)) return false;
  if (categories && !categories.includes(event.ticket.category)) return false;
  if (priorities && !(priorities as readonly string[]).includes(event.ticket.priority)) return false;
  return !(event.type === 'CommentAdded' && event.data.visibility === 'internal' && !subscription.internalNotes);
};

/** What the receiver gets: the event as docs/events.md describes `detail`, without staff addresses or the TTL. */
export const webhookBody = (subscription: WebhookSubscription, event: TicketEvent): string => {
  const { retainUntil: _retainUntil, actor, ...rest } = event;
  const { ip: _ip, ...who } = actor;
  return JSON.stringify({ subscription: subscription.id, id: event.id, type: event.type, event: { ...rest, actor: who } });
};

/** What became of one subscription's delivery. */
export type WebhookOutcome =
  | { subscription: string; outcome: 'delivered'; status: number; recorded: boolean }
  /** Already delivered (or gone) for this event: a redelivered message. */
  | { subscription: string; outcome: 'duplicate' }
  /** Switched off earlier by a 410 for this URL: not sent. */
  | { subscription: string; outcome: 'disabled' }
  /** The receiver answered 410 Gone: the subscription is switched off now. */
  | { subscription: string; outcome: 'gone'; status: number }
  /** Not delivered: retried with the message. `status` when the receiver answered, else why not. */
  | { subscription: string; outcome: 'failed'; status?: number; reason?: 'unreachable' | 'secret' };

export class WebhookDeliveryError extends Error {
  constructor(readonly outcomes: WebhookOutcome[]) {
    const failed = outcomes.filter((outcome) => outcome.outcome === 'failed').map((outcome) => outcome.subscription);
    super(`webhook delivery failed for ${failed.join(', ')}; the message is retried for them`);
    this.name = 'WebhookDeliveryError';
  }
}

const deliverOne = async (deps: WebhookDeps, subscription: WebhookSubscription, event: TicketEvent): Promise<WebhookOutcome> => {
  const id = subscription.id;
  const off = await deps.states.disabled(id);
  if (off && off.url === subscription.url) return { subscription: id, outcome: 'disabled' };
  const now = deps.clock.now();
  const claimKey = `${id}#${event.id}`;
  const holder = await deps.claims.claim(claimKey, now);
  if (!holder) return { subscription: id, outcome: 'duplicate' };
  let status: number;
  try {
    const key = webhookKey(subscription.secret, await deps.secret(subscription.secret));
    const body = webhookBody(subscription, event);
    const timestamp = Math.floor(now.getTime() / 1000);
    ({ status } = await deps.post({
      url: subscription.url,
      body,
      timeoutMs: subscription.timeoutSeconds * 1000,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'helpdesk-webhooks/1',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': webhookSignature(key, event.id, timestamp, body),
      },
    }));
  } catch (error) {
    await deps.claims.release(claimKey, holder).catch(() => undefined);
    return { subscription: id, outcome: 'failed', reason: error instanceof WebhookSecretError ? 'secret' : 'unreachable' };
  }
  if (status === 410) {
    // The receiver says the URL is gone for good: stop sending there until the configuration names another.
    await deps.states.disable(id, { url: subscription.url, at: now.toISOString(), status });
    await deps.claims.complete(claimKey, holder, { outcome: 'gone' }).catch(() => undefined);
    return { subscription: id, outcome: 'gone', status };
  }
  if (status < 200 || status > 299) {
    await deps.claims.release(claimKey, holder).catch(() => undefined);
    return { subscription: id, outcome: 'failed', status };
  }
  // Delivered. Failing to record it must not fail the message: the retry would deliver it again.
  const recorded = await deps.claims.complete(claimKey, holder, { outcome: 'delivered', status: String(status) }).then(
    () => true,
    () => false,
  );
  return { subscription: id, outcome: 'delivered', status, recorded };
};

/**
 * Delivers the event to every subscription that wants it, side by side (a slow receiver holds back no other).
 * Throws WebhookDeliveryError, after trying all, when any delivery failed: the message is retried for those.
 */
export const deliverWebhooks = async (deps: WebhookDeps, event: TicketEvent): Promise<WebhookOutcome[]> => {
  const subscriptions = deps.config.webhooks.filter((subscription) => wantsEvent(subscription, event));
  const outcomes = await Promise.all(subscriptions.map((subscription) => deliverOne(deps, subscription, event)));
  if (outcomes.some((outcome) => outcome.outcome === 'failed')) throw new WebhookDeliveryError(outcomes);
  return outcomes;
};

/** How long a failed message waits before its next try: 30 s doubling per receive, at most 15 minutes. */
export const retryDelaySeconds = (receiveCount: number): number => Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1));
