// Mail to the requester, decided from one ticket event: the acknowledgement of a new ticket, a public staff
// reply, "waiting on you" and "resolved". Pure: whether to mail, and what the mail says. Sending it once
// per event is notify.ts's work.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { signToken } from '#shared/domain/access/signed-token.ts';
import { csatLinks, csatToken } from '#shared/domain/csat/csat.ts';
import type { StaffMember, StaffNotificationKind } from '#shared/domain/staff/staff.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { type MailModel, type NotificationKind, renderMail } from './mail-templates.ts';
import { bounceAddress, replyAddress } from './reply-address.ts';

export type MailHeader = { name: string; value: string };

/** One mail, ready for the mailer: addresses, the two bodies and the extra headers. */
export type OutgoingMail = {
  /** A requester notification, a staff notification, the leads' weekly digest (shared/domain/reports/trends.ts), or
   *  the code that links a chat to an address (shared/domain/channels/link-account.ts). */
  kind: NotificationKind | StaffNotificationKind | 'trend-digest' | 'chat-link-code';
  from: string;
  to: string;
  replyTo: string;
  /** Where the mail service sends a delivery report about this mail (the signed bounce address); unset: its default. */
  bounceTo?: string | undefined;
  subject: string;
  text: string;
  html: string;
  headers: MailHeader[];
};

export interface Mailer {
  /** Hands the mail to the mail service; resolves with the service's message id once it has accepted it. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export type SkipReason =
  | 'not-for-requester'
  | 'internal-note'
  | 'own-comment'
  | 'own-change'
  | 'status-moved-on'
  | 'no-email'
  | 'own-address'
  | 'no-ticket'
  | 'rate-limited'
  | 'asked-in-reply';

export type Decision = { send: true; kind: NotificationKind; to: string } | { send: false; reason: SkipReason };

/** A tracking link stays usable for about half a year: the life of nearly every ticket. */
export const TRACK_TOKEN_SECONDS = 180 * 86_400;
/** A reply address is accepted for 90 days after its mail; older mails' replies are treated as new mail. */
export const REPLY_ADDRESS_SECONDS = 90 * 86_400;
/** A delivery report comes within days (SES retries a soft bounce for hours); later ones are not believed. */
const BOUNCE_ADDRESS_SECONDS = 14 * 86_400;
/** How far back a "waiting on you" mail looks for the agent's request. */
export const PENDING_LOOKBACK_EVENTS = 25;

const normalise = (address: string) => address.trim().toLowerCase();
export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * The decision table: which events the requester hears of (by mail here; in their chat too, through
 * shared/domain/channels/notify-chat.ts), whatever the way they are reached. Pure.
 */
export const requesterNotice = (
  event: TicketEvent,
  ticket: Ticket,
):
  | { kind: NotificationKind }
  | { kind?: undefined; reason: Exclude<SkipReason, 'no-email' | 'own-address' | 'no-ticket' | 'rate-limited' | 'asked-in-reply'> } => {
  switch (event.type) {
    case 'TicketCreated':
      return { kind: 'received' };
    case 'CommentAdded':
      // Internal notes are for staff only; a requester's own comment needs no echo.
      if (event.data.visibility !== 'public') return { reason: 'internal-note' };
      if (event.actor.role === 'requester') return { reason: 'own-comment' };
      // Only people answer requesters; a system comment (a record such as a bounce) is not a reply.
      if (event.actor.role === 'system') return { reason: 'not-for-requester' };
      return { kind: 'reply' };
    case 'StatusChanged':
      if (event.data.to !== 'pending' && event.data.to !== 'resolved') return { reason: 'not-for-requester' };
      // The requester resolved their own ticket: they know.
      if (event.actor.role === 'requester') return { reason: 'own-change' };
      // Delivered late, after the ticket moved on (reopened, answered): an outdated status mail only confuses.
      if (ticket.status !== event.data.to) return { reason: 'status-moved-on' };
      return { kind: event.data.to };
    default:
      return { reason: 'not-for-requester' };
  }
};

/** Whether the event mails the requester: the decision table, and an address to write to that is not the desk's. */
export const decideNotification = (event: TicketEvent, ticket: Ticket, config: HelpdeskConfig): Decision => {
  const notice = requesterNotice(event, ticket);
  if (!notice.kind) return { send: false, reason: notice.reason };
  const { kind } = notice;
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

/** How soon after a person's public reply their setting the ticket to pending is one act with it. */
export const PENDING_AFTER_REPLY_MS = 10 * 60_000;

/**
 * Whether a "waiting on you" mail would only repeat the reply the requester was just mailed: the latest public
 * comment before the status change is by the person who changed it, at most PENDING_AFTER_REPLY_MS earlier.
 * (An agent answers and sets pending as one act; Zendesk and Freshdesk send that as the one reply mail.) The
 * reply mail was decided on its own event, so the requester hears it whatever the order of delivery. `events`
 * newest first, as recentEvents gives them.
 */
export const askedInReply = (event: TicketEvent, events: readonly TicketEvent[]): boolean => {
  const reply = events.find(
    (candidate) =>
      candidate.type === 'CommentAdded' && candidate.data.visibility === 'public' && candidate.id !== event.id && candidate.at <= event.at,
  );
  return reply !== undefined && reply.actor.id === event.actor.id && Date.parse(event.at) - Date.parse(reply.at) <= PENDING_AFTER_REPLY_MS;
};

/** The thread every mail of a ticket belongs to (References / In-Reply-To). */
export const threadId = (ticketId: string, domain: string) => `<ticket.${ticketId.toLowerCase()}@${domain}>`;

/** `"Name" <address>`; a name outside printable ASCII as an RFC 2047 encoded word. */
export const formatAddress = (name: string, address: string): string =>
  /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)
    ? `"${name}" <${address}>`
    : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;

const authorName = (event: TicketEvent, config: HelpdeskConfig, ticket: Ticket, staff: readonly StaffMember[]): string => {
  const member = staff.find((candidate) => candidate.id === event.actor.id);
  if (member) return member.name;
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
  /** Where the rating links point: the API's public base URL (its pages need no script). */
  publicUrl: string;
  /** Where the tracking link points: the console's page, which shows the conversation and takes a reply with files. */
  consoleUrl: string;
  /** The directory, for the name of the person who replied. */
  staff: readonly StaffMember[];
}): OutgoingMail => {
  const { kind, event, ticket, config, key, now, publicUrl, consoleUrl } = input;
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
      model = { kind, author: authorName(event, config, ticket, input.staff), body: event.type === 'CommentAdded' ? event.data.body : '' };
      break;
    case 'pending':
      model = { kind, needed: input.needed };
      break;
    case 'resolved':
      // Rating links, valid for 7 days after this resolution; each opens its page preselected (shared/domain/csat/csat.ts).
      model = {
        kind,
        reopenWindowDays: config.reopenWindowDays,
        ratingUrls: csatLinks(publicUrl, csatToken(key, ticket.id, ticket.resolvedAt ?? now.toISOString())),
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
      trackUrl: `${consoleUrl.replace(/\/+$/, '')}/track/${track}`,
    },
    model,
  );
  const thread = threadId(ticket.id, domain);
  return {
    kind,
    from: formatAddress(`Helpdesk ${config.organisation.name}`, sender),
    to: input.to,
    replyTo: replyAddress(key, ticket.id, nowSeconds + REPLY_ADDRESS_SECONDS, domain),
    bounceTo: bounceAddress(key, ticket.id, nowSeconds + BOUNCE_ADDRESS_SECONDS, input.to, domain),
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
