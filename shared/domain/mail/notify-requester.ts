// Mail to the requester, decided from one ticket event: the acknowledgement of a new ticket, a public staff
// reply, "waiting on you" and "resolved". Exactly one mail per event however often the event is delivered:
// the event id is claimed (a conditional write) before the mail is sent, and given back if sending fails,
// so that the retry sends it. See docs/outbound-mail.md for the guarantees and their one gap.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { signToken } from '#shared/domain/access/signed-token.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import { csatLinks, csatToken } from '#shared/domain/csat/csat.ts';
import type { Clock } from '#shared/domain/tickets/ports.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { type MailModel, type NotificationKind, renderMail } from './mail-templates.ts';
import { replyAddress } from './reply-address.ts';

export type MailHeader = { name: string; value: string };

/** One mail, ready for the mailer: addresses, the two bodies and the extra headers. */
export type OutgoingMail = {
  /** A requester notification, or the leads' weekly digest (shared/domain/reports/trends.ts). */
  kind: NotificationKind | 'trend-digest';
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  headers: MailHeader[];
};

export interface Mailer {
  /** Hands the mail to the mail service; resolves with the service's message id once it has accepted it. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The notify consumer's view of the table: the ticket, its recent history and the acknowledgement counters. */
export interface NotificationStore {
  getTicket(id: string): Promise<Ticket | undefined>;
  /** The ticket's latest history events, newest first. */
  recentEvents(ticketId: string, limit: number): Promise<TicketEvent[]>;
  /** Counts one acknowledgement to this address in the current hour; false when the hour's limit is reached. */
  takeAcknowledgement(address: string, now: Date, limit: number): Promise<boolean>;
  /** Undoes takeAcknowledgement after a failed send (the retry will take it again). */
  returnAcknowledgement(address: string, now: Date): Promise<void>;
}

export type NotifyDeps = {
  store: NotificationStore;
  /**
   * The mail of each event, claimed by the attempt that sends it; done when sent or suppressed, kept for the
   * dedup window; given back when sending fails, so the next delivery sends.
   */
  sendClaims: ClaimStore;
  mailer: Mailer;
  clock: Clock;
  config: HelpdeskConfig;
  signingKey: () => Promise<Buffer>;
};

export type SkipReason =
  | 'not-for-requester'
  | 'internal-note'
  | 'own-comment'
  | 'own-change'
  | 'status-moved-on'
  | 'no-email'
  | 'own-address'
  | 'no-ticket'
  | 'rate-limited';

export type Decision = { send: true; kind: NotificationKind; to: string } | { send: false; reason: SkipReason };

export type NotifyOutcome =
  /** `recorded`: false when the mail went out but its claim could not be marked sent (worth a warning). */
  | { outcome: 'sent'; kind: NotificationKind; messageId: string; recorded: boolean }
  | { outcome: 'skipped'; reason: SkipReason; kind?: NotificationKind }
  | { outcome: 'duplicate'; kind: NotificationKind };

/** A tracking link stays usable for about half a year: the life of nearly every ticket. */
export const TRACK_TOKEN_SECONDS = 180 * 86_400;
/** A reply address is accepted for 90 days after its mail; older mails' replies are treated as new mail. */
export const REPLY_ADDRESS_SECONDS = 90 * 86_400;
/** How far back a "waiting on you" mail looks for the agent's request. */
export const PENDING_LOOKBACK_EVENTS = 25;

const normalise = (address: string) => address.trim().toLowerCase();
export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** The decision table: which event mails the requester, and which does not. Pure. */
export const decideNotification = (event: TicketEvent, ticket: Ticket, config: HelpdeskConfig): Decision => {
  let kind: NotificationKind;
  switch (event.type) {
    case 'TicketCreated':
      kind = 'received';
      break;
    case 'CommentAdded':
      // Internal notes are for staff only; a requester's own comment needs no echo.
      if (event.data.visibility !== 'public') return { send: false, reason: 'internal-note' };
      if (event.actor.role === 'requester') return { send: false, reason: 'own-comment' };
      // Only people answer requesters; a system comment (a record such as a bounce) is not a reply.
      if (event.actor.role === 'system') return { send: false, reason: 'not-for-requester' };
      kind = 'reply';
      break;
    case 'StatusChanged':
      if (event.data.to !== 'pending' && event.data.to !== 'resolved') return { send: false, reason: 'not-for-requester' };
      // The requester resolved their own ticket: they know.
      if (event.actor.role === 'requester') return { send: false, reason: 'own-change' };
      // Delivered late, after the ticket moved on (reopened, answered): an outdated status mail only confuses.
      if (ticket.status !== event.data.to) return { send: false, reason: 'status-moved-on' };
      kind = event.data.to;
      break;
    default:
      return { send: false, reason: 'not-for-requester' };
  }
  const to = ticket.requester.email?.trim();
  if (!to) return { send: false, reason: 'no-email' };
  // Never mail the helpdesk itself: that is how mail loops start.
  if (normalise(to) === normalise(config.organisation.senderAddress)) return { send: false, reason: 'own-address' };
  return { send: true, kind, to };
};

/**
 * What a pending ticket waits for: the latest public staff comment, unless the requester has written since
 * (then their answer is in, and the mail asks in general terms). `events` are newest first.
 */
export const latestStaffRequest = (events: TicketEvent[]): string | undefined => {
  for (const event of events) {
    if (event.type !== 'CommentAdded' || event.data.visibility !== 'public') continue;
    return event.actor.role === 'requester' || event.actor.role === 'system' ? undefined : event.data.body;
  }
  return undefined;
};

/** The thread every mail of a ticket belongs to (References / In-Reply-To). */
export const threadId = (ticketId: string, domain: string) => `<ticket.${ticketId.toLowerCase()}@${domain}>`;

/** `"Name" <address>`; a name outside printable ASCII as an RFC 2047 encoded word. */
export const formatAddress = (name: string, address: string): string =>
  /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)
    ? `"${name}" <${address}>`
    : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;

const authorName = (event: TicketEvent, config: HelpdeskConfig, ticket: Ticket): string => {
  const agent = config.agents.find((candidate) => candidate.id === event.actor.id);
  if (agent) return agent.name;
  const team = config.teams.find((candidate) => candidate.id === ticket.team);
  return team ? team.name[ticket.language] : config.organisation.name;
};

/** The mail for a decided notification. Pure: the key and the time come in. */
export const composeNotification = (input: {
  kind: NotificationKind;
  to: string;
  event: TicketEvent;
  ticket: Ticket;
  config: HelpdeskConfig;
  key: Buffer;
  now: Date;
  needed?: string | undefined;
}): OutgoingMail => {
  const { kind, event, ticket, config, key, now } = input;
  const sender = config.organisation.senderAddress;
  const domain = domainOf(sender);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const track = signToken(key, { purpose: 'track', ticketId: ticket.id, exp: nowSeconds + TRACK_TOKEN_SECONDS });
  const language = ticket.language;
  const category = config.categories.find((candidate) => candidate.id === ticket.category);
  let model: MailModel;
  switch (kind) {
    case 'received':
      model = { kind, category: category ? category.name[language] : ticket.category, description: ticket.description };
      break;
    case 'reply':
      model = { kind, author: authorName(event, config, ticket), body: event.type === 'CommentAdded' ? event.data.body : '' };
      break;
    case 'pending':
      model = { kind, needed: input.needed };
      break;
    case 'resolved':
      // One-click ratings, valid for 7 days after this resolution (shared/domain/csat/csat.ts).
      model = {
        kind,
        reopenWindowDays: config.reopenWindowDays,
        ratingUrls: csatLinks(config.publicUrl, csatToken(key, ticket.id, ticket.resolvedAt ?? now.toISOString())),
      };
      break;
  }
  const content = renderMail(
    language,
    {
      organisation: config.organisation.name,
      requesterName: ticket.requester.name,
      number: ticket.number,
      subject: ticket.subject,
      trackUrl: `${config.publicUrl.replace(/\/+$/, '')}/track/${track}`,
    },
    model,
  );
  const thread = threadId(ticket.id, domain);
  return {
    kind,
    from: formatAddress(`Helpdesk ${config.organisation.name}`, sender),
    to: input.to,
    replyTo: replyAddress(key, ticket.id, nowSeconds + REPLY_ADDRESS_SECONDS, domain),
    ...content,
    headers: [
      // RFC 3834: automatic mail. Well-behaved auto-responders (out-of-office, vacation) stay silent.
      { name: 'Auto-Submitted', value: 'auto-replied' },
      // The same for Exchange and Outlook, which read their own header rather than RFC 3834's.
      { name: 'X-Auto-Response-Suppress', value: 'All' },
      // Every mail of a ticket points at one thread id, so mail clients that thread by headers keep them
      // together, and a reply carries the thread id back (clients copy References into their reply).
      { name: 'In-Reply-To', value: thread },
      { name: 'References', value: thread },
    ],
  };
};

/** Decides, claims, sends, records: the whole notification for one event. */
export const notifyRequester = async (deps: NotifyDeps, event: TicketEvent): Promise<NotifyOutcome> => {
  const { store, config } = deps;
  const ticket = await store.getTicket(event.ticketId);
  if (!ticket) return { outcome: 'skipped', reason: 'no-ticket' };
  const decision = decideNotification(event, ticket, config);
  if (!decision.send) return { outcome: 'skipped', reason: decision.reason };
  const { kind, to } = decision;
  const needed = kind === 'pending' ? latestStaffRequest(await store.recentEvents(ticket.id, PENDING_LOOKBACK_EVENTS)) : undefined;

  const now = deps.clock.now();
  const claim = await deps.sendClaims.claim(event.id, now);
  if (!claim) return { outcome: 'duplicate', kind };

  let acknowledgementTaken = false;
  let messageId: string;
  try {
    if (kind === 'received') {
      acknowledgementTaken = await store.takeAcknowledgement(to, now, config.limits.acknowledgementsPerSenderPerHour);
      if (!acknowledgementTaken) {
        // Kept as done: a redelivery of this event must not send it later in the hour either.
        await deps.sendClaims.complete(event.id, claim, { outcome: 'suppressed', reason: 'rate-limited' });
        return { outcome: 'skipped', reason: 'rate-limited', kind };
      }
    }
    const mail = composeNotification({ kind, to, event, ticket, config, key: await deps.signingKey(), now, needed });
    ({ messageId } = await deps.mailer.send(mail));
  } catch (error) {
    // Not sent: give the claim (and the acknowledgement) back so that the retry of this message sends it.
    // If giving back fails too, the claim's lock runs out and a later retry takes it over.
    await Promise.allSettled([
      deps.sendClaims.release(event.id, claim),
      ...(acknowledgementTaken ? [store.returnAcknowledgement(to, now)] : []),
    ]);
    throw error;
  }
  // The mail is out. Failing to record it must not fail the message: a retry would send it again.
  const recorded = await deps.sendClaims.complete(event.id, claim, { outcome: 'sent', messageId }).then(
    () => true,
    () => false,
  );
  return { outcome: 'sent', kind, messageId, recorded };
};
