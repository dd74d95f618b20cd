// Customer satisfaction: the "resolved" mail carries five links, `${publicUrl}/csat/<token>?rating=n`, each
// token signed (purpose `csat`), bound to one ticket and to the resolution it rates, and valid for 7 days
// after that resolution. Opening a link records nothing (mail scanners open every link in a mail): it shows
// the choice with that rating preselected, and the page's POST records it. One vote per ticket: a later vote
// with another rating replaces the earlier one (the last one wins), the same rating again changes nothing,
// and a forged or expired link finds nothing. A vote is a `CsatRated` history event and the ticket's `csat`
// field, written as one new version.

import type { Identity } from '#shared/domain/access/identity.ts';
import { signToken, verifyToken } from '#shared/domain/access/signed-token.ts';
import { callerOf, requirePermission, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { conflict } from '#shared/domain/errors.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import * as z from '#shared/domain/zod.ts';

export const CSAT_PURPOSE = 'csat';
/** How long after the resolution a rating link is accepted. */
export const CSAT_WINDOW_SECONDS = 7 * 86_400;
export const CSAT_RATINGS = [1, 2, 3, 4, 5] as const;
export const CSAT_COMMENT_MAX = 2000;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** `?rating=n` of a rating link: the rating its page preselects. */
export const csatQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    rating: z.coerce
      .number()
      .check(z.int('must be a whole number from 1 to 5'), z.gte(1, 'must be from 1 to 5'), z.lte(5, 'must be from 1 to 5')),
  }),
);

/** The comment page's submission (a form or JSON): the rating again, and optional words. */
export const csatBodySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    rating: z.coerce
      .number()
      .check(z.int('must be a whole number from 1 to 5'), z.gte(1, 'must be from 1 to 5'), z.lte(5, 'must be from 1 to 5')),
    comment: z.optional(
      z.string().check(
        z.trim(),
        z.maxLength(CSAT_COMMENT_MAX, `must be at most ${CSAT_COMMENT_MAX} characters`),
        z.refine((value) => !CONTROL.test(value), 'must not contain control characters'),
      ),
    ),
  }),
);
export type CsatInput = z.infer<typeof csatBodySchema>;

/** Raised for any link that does not lead to a rateable ticket; the caller counts it and answers 404. */
export class CsatLinkRefused extends Error {
  constructor() {
    super('csat link refused');
    this.name = 'CsatLinkRefused';
  }
}

/** The rating link's token for a resolution: expires 7 days after it. */
export const csatToken = (key: Buffer, ticketId: string, resolvedAt: string): string =>
  signToken(key, {
    purpose: CSAT_PURPOSE,
    ticketId,
    res: resolvedAt,
    exp: Math.floor(Date.parse(resolvedAt) / 1000) + CSAT_WINDOW_SECONDS,
  });

/** The five links of a resolved mail, rating 1 to 5: each opens the page with that rating preselected. */
export const csatLinks = (publicUrl: string, token: string): string[] =>
  CSAT_RATINGS.map((rating) => `${publicUrl.replace(/\/+$/, '')}/csat/${token}?rating=${rating}`);

export type CsatOutcome = {
  /** `recorded`: a first vote; `replaced`: another rating than before; `unchanged`: the same vote again. */
  outcome: 'recorded' | 'replaced' | 'unchanged';
  rating: number;
  number: number;
  language: Ticket['language'];
  commented: boolean;
};

/** What a rating link shows before anything is recorded: the ticket, and the rating the link preselects. */
export type CsatChoice = {
  number: number;
  language: Ticket['language'];
  /** The rating of the link that was opened, preselected on the page. */
  rating: number;
  /** Always false: opening a link records nothing; the page's POST does. */
  recorded: false;
  /** The vote already recorded for this ticket, if any. */
  current: number | null;
};

/**
 * A rating link opened (GET): the ticket it rates and the preselected rating, without recording anything;
 * refused like a vote would be (a forged or expired link, a ticket reopened since).
 */
export const previewRating = async (deps: TicketDeps, key: Buffer, token: string, rating: number): Promise<CsatChoice> => {
  const claims = verifyToken(key, token, CSAT_PURPOSE, deps.clock.now());
  const ticket = claims && (await deps.tickets.getTicket(claims.ticketId));
  if (!ticket || typeof claims.res !== 'string') throw new CsatLinkRefused();
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') throw notRateable();
  return { number: ticket.number, language: ticket.language, rating, recorded: false, current: ticket.csat?.rating ?? null };
};

const notRateable = () => conflict('The ticket is not resolved (it was reopened), so there is nothing to rate until its next resolution.');

/**
 * Records a vote through a rating link's page (POST). `input.comment` undefined keeps an earlier comment;
 * a string replaces it (the page's comment box).
 */
export const rateTicket = async (deps: TicketDeps, key: Buffer, token: string, input: CsatInput): Promise<CsatOutcome> => {
  const claims = verifyToken(key, token, CSAT_PURPOSE, deps.clock.now());
  if (!claims || typeof claims.res !== 'string' || Number.isNaN(Date.parse(claims.res))) throw new CsatLinkRefused();
  const resolution = claims.res;
  return recordVote(deps, claims.ticketId, input, (current) => {
    if (!current) throw new CsatLinkRefused();
    return { ticket: current, resolution };
  });
};

/**
 * A signed-in requester rates their own resolved ticket (the web console): the same vote as through the
 * mail's link, accepted for as long as the link would be (7 days after the resolution).
 */
export const rateOwnTicket = async (deps: TicketDeps, identity: Identity, id: string, input: CsatInput): Promise<CsatOutcome> => {
  const caller = callerOf(identity);
  return recordVote(deps, id, input, (found) => {
    const ticket = requireVisibleTicket(caller, found, id);
    requirePermission(caller, 'ticket:rate', ticket, 'Only the person this ticket was for can rate it.');
    const resolution = ticket.resolvedAt;
    if (resolution && deps.clock.now().getTime() > Date.parse(resolution) + CSAT_WINDOW_SECONDS * 1000)
      throw conflict('Ratings are taken for 7 days after the resolution; this one is past that.');
    return { ticket, resolution: resolution ?? ticket.updatedAt };
  });
};

/** One vote on the ticket as it is now: `admit` refuses what may not be rated and names the resolution rated. */
const recordVote = (
  deps: TicketDeps,
  ticketId: string,
  input: CsatInput,
  admit: (current: Ticket | undefined) => { ticket: Ticket; resolution: string },
): Promise<CsatOutcome> =>
  retryOnConflict(async () => {
    const { ticket: current, resolution } = admit(await deps.tickets.getTicket(ticketId));
    if (current.status !== 'resolved' && current.status !== 'closed') throw notRateable();
    const previous = current.csat;
    const comment = input.comment === undefined ? previous?.comment : input.comment || undefined;
    const summary = { rating: input.rating, number: current.number, language: current.language, commented: !!comment };
    if (previous && previous.rating === input.rating && previous.comment === comment) return { outcome: 'unchanged' as const, ...summary };
    const now = deps.clock.now().toISOString();
    // A replacement keeps the resolution the first vote rated: statistics count the vote on that date.
    const ratedResolution = previous?.resolvedAt ?? resolution;
    const next: Ticket = {
      ...current,
      csat: { rating: input.rating, at: now, resolvedAt: ratedResolution, ...(comment ? { comment } : {}) },
      updatedAt: now,
      version: current.version + 1,
    };
    const actor = { id: current.requester.id, role: 'requester' as const };
    const events = buildEvents(deps, next, actor, [
      {
        type: 'CsatRated',
        data: { rating: input.rating, previous: previous?.rating ?? null, resolvedAt: ratedResolution, ...(comment ? { comment } : {}) },
      },
    ]);
    await deps.tickets.saveTicket(next, current.version, events);
    return { outcome: previous ? ('replaced' as const) : ('recorded' as const), ...summary };
  }, undefined);

/**
 * The counter increments of one vote, on the local date of the resolution it rates: a first vote adds one
 * response and its rating; a replacement adds no response and moves the sum and the histogram from the old
 * rating to the new one. Counter updates commute, so the order the votes arrive in does not matter.
 */
export const csatCounters = (rating: number, previous: number | null): Record<string, number> => {
  const counters: Record<string, number> = { csatSum: rating - (previous ?? 0), csatResponses: previous === null ? 1 : 0 };
  counters[`csat_${rating}`] = 1;
  if (previous !== null) counters[`csat_${previous}`] = (counters[`csat_${previous}`] ?? 0) - 1;
  return counters;
};
