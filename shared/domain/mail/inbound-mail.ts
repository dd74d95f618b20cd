// Inbound mail: a new mail becomes a ticket, a reply becomes a public comment on its ticket, junk and
// loops become nothing, and a bounce of our own mail (to its signed bounce address, naming its recipient)
// becomes an internal note on the ticket it was about.
//
// Order of decisions (each one tested with a fixture in test/fixtures/emails/):
// 1. `screenMail`: SES spam/virus verdict FAIL, mail from our own address, a delivery status report
//    (bounce), mailer-daemon/postmaster, an empty return path, `Auto-Submitted` other than `no`,
//    `Precedence: bulk|junk|list`, `X-Autoreply`/`X-Autorespond`, a mailing list (`List-Id`).
// 2. The Message-ID is claimed (`MAIL#<sha-256>`, conditional put with a TTL) so that the same mail
//    delivered again makes nothing twice; the claim is given back when acting fails, so a retry acts.
// 3. Is the sender who the `From:` says (`senderAuthenticated`: SES's DMARC verdict, else an aligned SPF or
//    DKIM pass)? Mail from a staff address that is not authenticated is held (dropped, counted; the raw
//    mail stays in the bucket for 30 days): anyone can type a lead's address.
// 4. `ticketReferences`: the signed reply address, then `In-Reply-To`/`References`
//    (`<ticket.<id>@<domain>>`), then the subject token `[#<number>]`, each only when the sender is the
//    ticket's requester or a member of staff; the header and subject matches only for an authenticated
//    sender (the signed reply address is itself the proof: only the requester was sent it). Staff then pass
//    the same permission table as the API. Nothing matched (or the ticket no longer takes comments): a new
//    ticket, from the sender as they gave themselves (unverified unless authenticated), counted against
//    the hourly creation limit whoever they are.
import { createHash } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { findByEmail, type StaffMember } from '#shared/domain/staff/staff.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents } from '#shared/domain/tickets/record-change.ts';
import { type AttachmentRef, SUBJECT_MAX, TEXT_MAX, type Ticket } from '#shared/domain/tickets/ticket.ts';
import { NO_REPLY_LOCAL, readBounceAddress, readReplyAddress } from './reply-address.ts';
import { tidy, visibleReplyText } from './reply-text.ts';

/** A received mail, parsed (shared/adapters/parse-mail.ts); the domain never sees MIME. */
export type InboundMail = {
  /** The Message-ID header without angle brackets, if the mail had one. */
  messageId?: string | undefined;
  from?: { address: string; name?: string | undefined } | undefined;
  /** The envelope sender (SMTP MAIL FROM, SES `mail.source`); '' for the null return path `<>`. */
  returnPath?: string | undefined;
  /** Envelope recipients and the To/Cc addresses. */
  recipients: string[];
  subject: string;
  inReplyTo: string[];
  references: string[];
  /** Header values by lower-cased name (first occurrence). */
  headers: Record<string, string>;
  /** The `d=` domain of every DKIM-Signature header, lower-cased (alignment needs all of them). */
  dkimDomains?: string[] | undefined;
  /** `multipart/report; report-type=delivery-status`: a delivery status notification. */
  deliveryStatus?: { text: string } | undefined;
  /** The plain text, or the HTML converted to text. */
  text: string;
  attachments: { name?: string | undefined; contentType: string; content: Buffer }[];
};

/** SES's verdicts on the mail (receipt.spamVerdict, virusVerdict, spfVerdict, dkimVerdict, dmarcVerdict):
 *  `PASS`, `FAIL`, `GRAY` or `PROCESSING_FAILED`; absent means nothing is known. */
export type Verdicts = {
  spam?: string | undefined;
  virus?: string | undefined;
  spf?: string | undefined;
  dkim?: string | undefined;
  dmarc?: string | undefined;
};

export type DropReason =
  | 'spam'
  | 'virus'
  | 'own-address'
  | 'no-sender'
  | 'mailer-daemon'
  | 'empty-return-path'
  | 'auto-submitted'
  | 'precedence'
  | 'auto-reply-header'
  | 'mailing-list'
  | 'no-reply-address'
  | 'rate-limited'
  | 'not-permitted'
  | 'unauthenticated-staff';

export type InboundOutcome =
  | { outcome: 'created'; ticketId: string; number: number; attachments: number }
  | { outcome: 'commented'; ticketId: string; matchedBy: MatchMethod; reopened: boolean; attachments: number }
  | { outcome: 'bounce-recorded'; ticketId: string }
  | { outcome: 'bounce-unmatched' }
  | { outcome: 'dropped'; reason: DropReason }
  | { outcome: 'duplicate' };

export type MatchMethod = 'reply-address' | 'thread' | 'subject';

export interface AttachmentStore {
  putAttachment(key: string, content: Buffer, contentType: string): Promise<void>;
}

export type InboundDeps = TicketDeps & {
  /** One mail acts once: the claim of its Message-ID (`dedupKey`). */
  messageClaims: ClaimStore;
  attachments: AttachmentStore;
  signingKey: () => Promise<Buffer>;
};

const lower = (value: string | undefined) => (value ?? '').trim().toLowerCase();
const domainOf = (address: string) => lower(address.slice(address.lastIndexOf('@') + 1));
const localOf = (address: string) => lower(address.slice(0, address.lastIndexOf('@')));
export const senderDomain = (config: HelpdeskConfig) => domainOf(config.organisation.senderAddress);

/**
 * Mail the helpdesk itself sent: its address (and `helpdesk+anything@`), a reply or bounce address, or the no-reply
 * address. Taking any of them in would start a loop.
 */
const isOwnAddress = (config: HelpdeskConfig, from: string) => {
  const own = lower(config.organisation.senderAddress);
  if (domainOf(from) !== domainOf(own)) return false;
  const local = localOf(from);
  return (
    local === localOf(own) ||
    local.startsWith(`${localOf(own)}+`) ||
    local.startsWith('reply+') ||
    local.startsWith('bounce+') ||
    local === NO_REPLY_LOCAL
  );
};

/** Why this mail must make no ticket and no reply; 'bounce' for a delivery report; undefined to accept. */
export const screenMail = (mail: InboundMail, config: HelpdeskConfig, verdicts: Verdicts = {}): DropReason | 'bounce' | undefined => {
  if (lower(verdicts.virus) === 'fail') return 'virus';
  if (lower(verdicts.spam) === 'fail') return 'spam';
  const from = lower(mail.from?.address);
  if (isOwnAddress(config, from)) return 'own-address';
  if (mail.deliveryStatus) return 'bounce';
  if (!from?.includes('@')) return 'no-sender';
  if (/^(mailer-daemon|postmaster)$/.test(localOf(from))) return 'mailer-daemon';
  if (mail.returnPath !== undefined && mail.returnPath.replace(/[<>\s]/g, '') === '') return 'empty-return-path';
  const autoSubmitted = lower(mail.headers['auto-submitted']).split(/[\s;(]/)[0];
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-submitted';
  if (/^(bulk|junk|list)$/.test(lower(mail.headers.precedence))) return 'precedence';
  if ('x-autoreply' in mail.headers || 'x-autorespond' in mail.headers) return 'auto-reply-header';
  if ('list-id' in mail.headers) return 'mailing-list';
  // An answer to a staff notification (noreply@): not a request, and never a comment on the ticket.
  const ours = mail.recipients.filter((address) => domainOf(address) === senderDomain(config));
  if (ours.length > 0 && ours.every((address) => localOf(address) === NO_REPLY_LOCAL)) return 'no-reply-address';
  return undefined;
};

/** One domain is the other or under it (relaxed alignment, without the public suffix list: a parent that is a
 *  public suffix, such as `sch.id`, sends no mail that passes SPF or DKIM). */
export const domainsAligned = (domain: string, fromDomain: string) =>
  domain !== '' && (domain === fromDomain || domain.endsWith(`.${fromDomain}`) || fromDomain.endsWith(`.${domain}`));

/**
 * The `From:` is the sender's, as far as the receiving side can tell: SES's DMARC verdict when the domain
 * publishes a policy (PASS yes, FAIL no); otherwise SPF passed for an envelope sender aligned with `From:`,
 * or DKIM passed and every signature is by a domain aligned with it (a valid signature of the attacker's
 * own domain next to a copied one of the victim's must not count).
 */
export const senderAuthenticated = (mail: InboundMail, verdicts: Verdicts): boolean => {
  const verdict = (value: string | undefined) => (value ?? '').trim().toUpperCase();
  const dmarc = verdict(verdicts.dmarc);
  if (dmarc === 'FAIL') return false;
  if (dmarc === 'PASS') return true;
  const fromDomain = domainOf(mail.from?.address ?? '');
  if (!fromDomain) return false;
  const spf = verdict(verdicts.spf) === 'PASS' && domainsAligned(domainOf(mail.returnPath ?? ''), fromDomain);
  const signers = mail.dkimDomains ?? [];
  const dkim = verdict(verdicts.dkim) === 'PASS' && signers.length > 0 && signers.every((domain) => domainsAligned(domain, fromDomain));
  return spf || dkim;
};

/** The dedup key: the Message-ID's hash, or the content's hash when a mail has no Message-ID. */
export const dedupKey = (mail: InboundMail, raw: Buffer): string =>
  createHash('sha256')
    .update(mail.messageId ? `id:${lower(mail.messageId)}` : raw)
    .digest('hex');

const THREAD_ID = /^<?ticket\.([0-9a-hjkmnp-tv-z]{26})@([^>\s]+)>?$/i;

/** Ticket ids the mail names, best evidence first. */
export const ticketReferences = async (
  deps: Pick<InboundDeps, 'config' | 'clock' | 'signingKey' | 'tickets'>,
  mail: InboundMail,
): Promise<{ ticketId: string; by: MatchMethod }[]> => {
  const domain = senderDomain(deps.config);
  const found: { ticketId: string; by: MatchMethod }[] = [];
  const replyAddresses = mail.recipients.filter((address) => domainOf(address) === domain && localOf(address).startsWith('reply+'));
  if (replyAddresses.length > 0) {
    const key = await deps.signingKey();
    for (const address of replyAddresses) {
      const read = readReplyAddress(key, address, deps.clock.now());
      if (read) found.push({ ticketId: read.ticketId, by: 'reply-address' });
    }
  }
  for (const id of [...mail.inReplyTo, ...mail.references]) {
    const match = THREAD_ID.exec(id.trim());
    if (match && lower(match[2]) === domain) found.push({ ticketId: match[1]!.toUpperCase(), by: 'thread' });
  }
  const number = /\[#(\d{1,12})\]/.exec(mail.subject)?.[1];
  if (number) {
    const ticketId = await deps.tickets.getTicketIdByNumber(Number(number));
    if (ticketId) found.push({ ticketId, by: 'subject' });
  }
  return found;
};

/** Who wrote: a member of staff (by the directory's address), else a requester known by their address. */
export const senderIdentity = (staff: readonly StaffMember[], from: { address: string; name?: string | undefined }): Identity => {
  const address = lower(from.address);
  const member = findByEmail(staff, address);
  if (member) return { id: member.id, role: member.role, email: member.email, name: member.name, teams: member.teams };
  return { id: `email:${address}`, role: 'requester', email: address, name: from.name?.trim() || undefined, teams: [] };
};

/** The sender may write on this ticket by mail: its requester, or a member of staff. */
const mayReplyTo = (ticket: Ticket, address: string, identity: Identity): boolean =>
  lower(ticket.requester.email) === address || identity.role !== 'requester';

// C0/C1 controls other than tab and line breaks are refused by the ticket schema: drop them from mail text.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const cleanText = (text: string) => text.replace(CONTROL, '').slice(0, TEXT_MAX);
const cleanSubject = (subject: string) => {
  const line = subject
    .replace(CONTROL, ' ')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, SUBJECT_MAX)
    .trim();
  return line === '' ? '(tanpa subjek / no subject)' : line;
};

const safeName = (name: string | undefined, index: number) => {
  const cleaned = (name ?? '')
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-100);
  return cleaned === '' ? `attachment-${index + 1}` : cleaned;
};

/** Keeps each attachment in the mail bucket (idempotent: the same mail writes the same keys). */
const storeAttachments = async (deps: InboundDeps, mail: InboundMail, key: string): Promise<AttachmentRef[]> =>
  Promise.all(
    mail.attachments.map(async (attachment, index) => {
      const ref: AttachmentRef = {
        name: attachment.name?.trim() || safeName(undefined, index),
        size: attachment.content.length,
        contentType: attachment.contentType,
        key: `attachments/${key}/${index + 1}-${safeName(attachment.name, index)}`,
      };
      await deps.attachments.putAttachment(ref.key, attachment.content, ref.contentType);
      return ref;
    }),
  );

const replyBody = (mail: InboundMail, attachments: AttachmentRef[]) => {
  const body = cleanText(visibleReplyText(mail.text));
  if (body.trim() !== '') return body;
  return attachments.length > 0 ? '(lampiran / attachments)' : '(tanpa teks / no text)';
};

/** One recipient's block of a delivery status report (RFC 3464): who, what happened, the status code. */
type RecipientReport = { recipient: string; action: string; status: string };

const field = (block: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(block)?.[1]?.trim() ?? '';

/** The per-recipient blocks of a delivery report (`Final-Recipient`, `Action`, `Status`); nothing else is read. */
const recipientReports = (report: string): RecipientReport[] =>
  report
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((block) => /^Final-Recipient:/im.test(block))
    .map((block) => ({
      recipient: lower(
        field(block, 'Final-Recipient')
          .replace(/^[\w-]+\s*;/, '')
          .replace(/[<>\s]/g, ''),
      ),
      action: lower(field(block, 'Action')),
      status: field(block, 'Status').split(/\s/)[0] ?? '',
    }));

/** An RFC 3463 status code: class 4 or 5 (a temporary or permanent failure), subject and detail. */
const STATUS = /^[45]\.\d{1,3}\.\d{1,3}$/;

/**
 * A bounce of our own mail: believed only when it came back to the signed bounce address of a mail the desk
 * sent (notify-requester.ts) and reports as failed the very recipient that address was made for. Recorded as
 * an internal note built from the status code alone; the report's words (and any embedded headers naming a
 * ticket) are never used, so a stranger's report touches nothing.
 */
const recordBounce = async (deps: InboundDeps, mail: InboundMail): Promise<InboundOutcome> => {
  const domain = senderDomain(deps.config);
  const addresses = mail.recipients.filter((address) => domainOf(address) === domain && localOf(address).startsWith('bounce+'));
  if (addresses.length === 0) return { outcome: 'bounce-unmatched' };
  const key = await deps.signingKey();
  const now = deps.clock.now();
  // mailparser gives the machine-readable part as text (with the human part) or as a report part: read both,
  // by field name; only a recipient that matches the signed address and a status code of the right form count.
  for (const report of recipientReports(`${mail.deliveryStatus?.text ?? ''}\n\n${mail.text}`)) {
    if (report.action !== 'failed' || !STATUS.test(report.status) || !report.recipient.includes('@')) continue;
    const ticketId = addresses.map((address) => readBounceAddress(key, address, report.recipient, now)?.ticketId).find(Boolean);
    const ticket = ticketId ? await deps.tickets.getTicket(ticketId) : undefined;
    if (!ticket) continue;
    const body = `Surat ke pemohon tidak terkirim / Mail to the requester was not delivered (status ${report.status}).`;
    const [event] = buildEvents(deps, ticket, { id: 'mail', role: 'system' }, [
      { type: 'CommentAdded', data: { body, visibility: 'internal' } },
    ]);
    await deps.tickets.appendEvent({ ...event!, at: now.toISOString() });
    return { outcome: 'bounce-recorded', ticketId: ticket.id };
  }
  return { outcome: 'bounce-unmatched' };
};

const act = async (deps: InboundDeps, mail: InboundMail, key: string, verdicts: Verdicts): Promise<InboundOutcome> => {
  const from = { address: lower(mail.from!.address), name: mail.from!.name };
  const identity = senderIdentity(await deps.staff.list(), from);
  const authenticated = senderAuthenticated(mail, verdicts);
  // Staff act with their role: a forged staff address gets nothing at all, not even a ticket as a stranger.
  if (identity.role !== 'requester' && !authenticated) return { outcome: 'dropped', reason: 'unauthenticated-staff' };
  const attachments = await storeAttachments(deps, mail, key);
  for (const candidate of await ticketReferences(deps, mail)) {
    if (!authenticated && candidate.by !== 'reply-address') continue;
    const ticket = await deps.tickets.getTicket(candidate.ticketId);
    if (!ticket || !mayReplyTo(ticket, from.address, identity)) continue;
    // The requester writes as the ticket's requester (who may have filed it on the web as another id).
    const writer = identity.role === 'requester' ? { ...identity, id: ticket.requester.id, email: ticket.requester.email } : identity;
    try {
      const { ticket: after } = await addComment(
        deps,
        writer,
        ticket.id,
        { body: replyBody(mail, attachments), visibility: 'public' },
        attachments,
      );
      return {
        outcome: 'commented',
        ticketId: ticket.id,
        matchedBy: candidate.by,
        reopened: ticket.status !== after.status && after.status === 'open',
        attachments: attachments.length,
      };
    } catch (error) {
      // A closed ticket, or a resolved one past the reopen window, takes no reply: the mail starts a new ticket.
      if (error instanceof DomainError && error.kind === 'conflict') break;
      if (error instanceof DomainError && (error.kind === 'forbidden' || error.kind === 'not-found'))
        return { outcome: 'dropped', reason: 'not-permitted' };
      throw error;
    }
  }
  try {
    const { ticket } = await createTicket(
      deps,
      identity,
      { subject: cleanSubject(mail.subject), description: cleanText(tidy(mail.text)), channel: 'email' },
      `mail:${key}`,
      { channel: 'email', attachments },
    );
    return { outcome: 'created', ticketId: ticket.id, number: ticket.number, attachments: attachments.length };
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'too-many-requests') return { outcome: 'dropped', reason: 'rate-limited' };
    throw error;
  }
};

/** Handles one received mail. Throws only on a fault worth retrying (the claim is then given back). */
export const receiveMail = async (deps: InboundDeps, mail: InboundMail, raw: Buffer, verdicts: Verdicts = {}): Promise<InboundOutcome> => {
  const screened = screenMail(mail, deps.config, verdicts);
  if (screened && screened !== 'bounce') return { outcome: 'dropped', reason: screened };
  const key = dedupKey(mail, raw);
  const holder = await deps.messageClaims.claim(key, deps.clock.now());
  if (!holder) return { outcome: 'duplicate' };
  try {
    const outcome = screened === 'bounce' ? await recordBounce(deps, mail) : await act(deps, mail, key, verdicts);
    await deps.messageClaims.complete(key, holder, { outcome: outcome.outcome });
    return outcome;
  } catch (error) {
    await deps.messageClaims.release(key, holder).catch(() => undefined);
    throw error;
  }
};
