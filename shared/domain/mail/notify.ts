// The notify consumer's work for one ticket event: decide who hears of it (the requester, staff), then for
// each recipient claim, send, record. Exactly one mail per event and recipient however often the event is
// delivered: the claim (a conditional write keyed on the event and the recipient) comes before the send and
// is given back if sending fails, so that the retry sends it. One recipient's failed send does not hold back
// the others; the message fails afterwards so that only the unsent mail is retried. See
// docs/outbound-mail.md for the guarantees and their one gap.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import type { StaffDirectory, StaffNotificationKind } from '#shared/domain/staff/staff.ts';
import type { Clock } from '#shared/domain/tickets/ports.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import type { NotificationKind } from './mail-templates.ts';
import {
  askedInReply,
  composeNotification,
  decideNotification,
  latestStaffRequest,
  type Mailer,
  type OutgoingMail,
  PENDING_LOOKBACK_EVENTS,
  type SkipReason,
} from './notify-requester.ts';
import { composeStaffMail, decideStaffNotifications, type StaffSkipReason } from './notify-staff.ts';

/** The notify consumer's view of the table: the ticket, its recent history and the acknowledgement counters. */
export interface NotificationStore {
  getTicket(id: string): Promise<Ticket | undefined>;
  /** The tickets of these ids that exist, in any order (a batch's tickets in one read). */
  getTickets(ids: string[]): Promise<Ticket[]>;
  /** The ticket's latest history events, newest first. */
  recentEvents(ticketId: string, limit: number): Promise<TicketEvent[]>;
  /**
   * Claims the acknowledgement `key` (in the send claims' space, as `sendClaims.claim` would) and counts it against
   * this address's current hour, in one write. The holder's token; 'duplicate' when the claim is held or done;
   * 'rate-limited' when the hour's limit is reached: the claim is then written done (suppressed, rate-limited) and
   * nothing is counted, so no redelivery of the event sends it later in the hour.
   */
  claimAcknowledgement(key: string, address: string, now: Date, limit: number): Promise<{ holder: string } | 'duplicate' | 'rate-limited'>;
  /** Undoes the count of claimAcknowledgement after a failed send (the retry will count it again). */
  returnAcknowledgement(address: string, now: Date): Promise<void>;
}

export type NotifyDeps = {
  store: NotificationStore;
  /**
   * Each mail (an event's, to one recipient), claimed by the attempt that sends it; done when sent or
   * suppressed, kept for the dedup window; given back when sending fails, so the next delivery sends.
   */
  sendClaims: ClaimStore;
  staff: StaffDirectory;
  mailer: Mailer;
  clock: Clock;
  config: HelpdeskConfig;
  signingKey: () => Promise<Buffer>;
  /** Where links point: the API's public base URL (tracking, rating) and the console (staff mail). */
  links: { publicUrl: string; consoleUrl: string };
};

type Kind = NotificationKind | StaffNotificationKind;

/** What became of one recipient's mail. `to` names the audience, never an address. */
export type MailOutcome =
  /** `recorded`: false when the mail went out but its claim could not be marked sent (worth a warning). */
  | { outcome: 'sent'; to: Audience; kind: Kind; messageId: string; recorded: boolean; staffId?: string }
  | { outcome: 'skipped'; to: Audience; reason: SkipReason | StaffSkipReason; kind?: Kind; staffId?: string }
  | { outcome: 'duplicate'; to: Audience; kind: Kind; staffId?: string }
  | { outcome: 'failed'; to: Audience; kind: Kind; staffId?: string };

/** `follower`: the requester of a duplicate merged into the ticket (shared/domain/tickets/relate-tickets.ts). */
type Audience = 'requester' | 'follower' | 'staff';

/** The claim key of one mail: the event id for the requester's (as before staff mail existed), else event, kind and person. */
const staffMailKey = (event: TicketEvent, kind: StaffNotificationKind, staffId: string) => `${event.id}#${kind}#${staffId}`;

/** An acknowledgement's hourly count per address: taken with its claim, given back with it. */
type Acknowledgement = { to: string; now: Date; limit: number };

/**
 * Another attempt holds the mail's claim and may still send it, or fail and give it back: this delivery of the event
 * must come back later (it would be lost if dropped as a duplicate and the other attempt then failed). By then the
 * mail is sent (a duplicate), given back (sent by the retry) or its lock has run out (taken over).
 */
export class MailInProgressError extends Error {
  constructor() {
    super('another attempt is sending this mail; the message is retried');
    this.name = 'MailInProgressError';
  }
}

/** A claim that was refused: done (a duplicate), or held by another attempt whose lock still runs (retried). */
const refused = async (deps: NotifyDeps, key: string): Promise<'duplicate'> => {
  if ((await deps.sendClaims.read(key))?.state === 'in_progress') throw new MailInProgressError();
  return 'duplicate';
};

/** Claims, sends and records one mail; gives the claim (and the acknowledgement's count) back when sending fails. */
const sendOnce = async (
  deps: NotifyDeps,
  key: string,
  mail: () => Promise<OutgoingMail>,
  acknowledgement?: Acknowledgement,
): Promise<'duplicate' | 'rate-limited' | { messageId: string; recorded: boolean }> => {
  const { sendClaims } = deps;
  let claim: string | undefined;
  if (acknowledgement) {
    const taken = await deps.store.claimAcknowledgement(key, acknowledgement.to, acknowledgement.now, acknowledgement.limit);
    if (taken === 'rate-limited') return taken;
    if (taken === 'duplicate') return refused(deps, key);
    claim = taken.holder;
  } else {
    claim = await sendClaims.claim(key, deps.clock.now());
    if (!claim) return refused(deps, key);
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(await mail()));
  } catch (error) {
    // Not sent: give the claim (and the acknowledgement) back so that the retry of this message sends it.
    // If giving back fails too, the claim's lock runs out and a later retry takes it over.
    await Promise.allSettled([
      sendClaims.release(key, claim),
      ...(acknowledgement ? [deps.store.returnAcknowledgement(acknowledgement.to, acknowledgement.now)] : []),
    ]);
    throw error;
  }
  // The mail is out. Failing to record it must not fail the message: a retry would send it again.
  const recorded = await sendClaims.complete(key, claim, { outcome: 'sent', messageId }).then(
    () => true,
    () => false,
  );
  return { messageId, recorded };
};

/** A merged duplicate's requester, when they have an address of their own (not the primary's, not the desk's). */
const followerOf = async (deps: NotifyDeps, ticket: Ticket, duplicateId: string) => {
  const duplicate = await deps.store.getTicket(duplicateId);
  const to = duplicate?.requester.email?.trim();
  if (!duplicate || !to) return undefined;
  const same = (a: string | undefined) => a?.trim().toLowerCase() === to.toLowerCase();
  if (same(ticket.requester.email) || same(deps.config.organisation.senderAddress)) return undefined;
  return { to, requester: duplicate.requester };
};

export class NotificationsFailedError extends Error {
  constructor(
    readonly outcomes: MailOutcome[],
    readonly causes: unknown[],
  ) {
    // The causes' names only: an SES error message can echo a recipient's address.
    super(
      `${causes.length} mail(s) of the event could not be sent (${causes.map((cause) => (cause instanceof Error ? cause.name : typeof cause)).join(', ')}); the message is retried for them`,
    );
    this.name = 'NotificationsFailedError';
  }
}

/** Every mail one event causes, each once. Throws NotificationsFailedError (after trying all) when any send failed. */
export const notify = async (deps: NotifyDeps, event: TicketEvent): Promise<MailOutcome[]> => {
  const { store, config } = deps;
  const ticket = await store.getTicket(event.ticketId);
  if (!ticket) return [{ outcome: 'skipped', to: 'requester', reason: 'no-ticket' }];
  const outcomes: MailOutcome[] = [];
  const causes: unknown[] = [];
  const staff = await deps.staff.list();
  const now = deps.clock.now();

  const requester = decideNotification(event, ticket, config);
  // What a pending ticket waits for is in its recent history (read only for a "waiting on you" mail).
  const recent = requester.send && requester.kind === 'pending' ? await store.recentEvents(ticket.id, PENDING_LOOKBACK_EVENTS) : undefined;
  if (!requester.send) {
    if (requester.reason !== 'not-for-requester') outcomes.push({ outcome: 'skipped', to: 'requester', reason: requester.reason });
  } else if (recent && askedInReply(event, recent)) {
    outcomes.push({ outcome: 'skipped', to: 'requester', reason: 'asked-in-reply', kind: requester.kind });
  } else {
    const { kind, to } = requester;
    try {
      const result = await sendOnce(
        deps,
        event.id,
        async () =>
          composeNotification({
            kind,
            to,
            event,
            ticket,
            config,
            key: await deps.signingKey(),
            now,
            needed: recent ? latestStaffRequest(recent) : undefined,
            publicUrl: deps.links.publicUrl,
            consoleUrl: deps.links.consoleUrl,
            staff,
          }),
        kind === 'received' ? { to, now, limit: config.limits.acknowledgementsPerSenderPerHour } : undefined,
      );
      if (result === 'duplicate') outcomes.push({ outcome: 'duplicate', to: 'requester', kind });
      else if (result === 'rate-limited') outcomes.push({ outcome: 'skipped', to: 'requester', reason: 'rate-limited', kind });
      else outcomes.push({ outcome: 'sent', to: 'requester', kind, ...result });
    } catch (error) {
      outcomes.push({ outcome: 'failed', to: 'requester', kind });
      causes.push(error);
    }
  }

  // The requesters of merged duplicates follow this ticket: its public replies reach them too, each once.
  if (requester.send && requester.kind === 'reply')
    for (const ref of ticket.mergedFrom ?? []) {
      const follower = await followerOf(deps, ticket, ref.id);
      if (!follower) continue;
      try {
        const result = await sendOnce(deps, `${event.id}#follower#${ref.id}`, async () =>
          composeNotification({
            kind: 'reply',
            to: follower.to,
            event,
            // Greeted by their own name; the links are the primary's, which now carries their report.
            ticket: { ...ticket, requester: follower.requester },
            config,
            key: await deps.signingKey(),
            now,
            publicUrl: deps.links.publicUrl,
            consoleUrl: deps.links.consoleUrl,
            staff,
          }),
        );
        outcomes.push(
          result === 'duplicate' || result === 'rate-limited'
            ? { outcome: 'duplicate', to: 'follower', kind: 'reply' }
            : { outcome: 'sent', to: 'follower', kind: 'reply', ...result },
        );
      } catch (error) {
        outcomes.push({ outcome: 'failed', to: 'follower', kind: 'reply' });
        causes.push(error);
      }
    }

  for (const decision of decideStaffNotifications(event, ticket, staff)) {
    if (!decision.send) {
      outcomes.push({ outcome: 'skipped', to: 'staff', reason: decision.reason, kind: decision.kind, staffId: decision.id });
      continue;
    }
    const { kind, member } = decision;
    try {
      const result = await sendOnce(deps, staffMailKey(event, kind, member.id), async () =>
        composeStaffMail({ kind, member, event, ticket, config, consoleUrl: deps.links.consoleUrl, staff }),
      );
      outcomes.push(
        result === 'duplicate' || result === 'rate-limited'
          ? { outcome: 'duplicate', to: 'staff', kind, staffId: member.id }
          : { outcome: 'sent', to: 'staff', kind, staffId: member.id, ...result },
      );
    } catch (error) {
      outcomes.push({ outcome: 'failed', to: 'staff', kind, staffId: member.id });
      causes.push(error);
    }
  }
  if (causes.length > 0) throw new NotificationsFailedError(outcomes, causes);
  return outcomes;
};

/**
 * A batch's events, one after the other, each settling on its own: the staff directory is read once for the
 * batch and the events' tickets in one read (a merged duplicate's ticket is still read on its own).
 */
export const notifyBatch = async (deps: NotifyDeps, events: TicketEvent[]): Promise<PromiseSettledResult<MailOutcome[]>[]> => {
  const ids = new Set(events.map((event) => event.ticketId));
  const [staff, tickets] = await Promise.all([deps.staff.list(), deps.store.getTickets([...ids])]);
  const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  const batchDeps: NotifyDeps = {
    ...deps,
    staff: { ...deps.staff, list: async () => staff },
    store: { ...deps.store, getTicket: async (id) => (ids.has(id) ? byId.get(id) : deps.store.getTicket(id)) },
  };
  const results: PromiseSettledResult<MailOutcome[]>[] = [];
  for (const event of events)
    results.push(
      await notify(batchDeps, event).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      ),
    );
  return results;
};
