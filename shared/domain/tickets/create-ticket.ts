// Records a new request: who, when, through which channel, what it is about, how urgent, and where it goes.
import { createHash } from 'node:crypto';
import { actorOf, type Identity, isMachineClient, isStaff } from '#shared/domain/access/identity.ts';
import { PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { ClaimLostError, type HeldClaim } from '#shared/domain/claims.ts';
import { conflict, DomainError, forbidden, validationError } from '#shared/domain/errors.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { startSla } from '#shared/domain/sla/sla.ts';
import { classifyTicket } from './classify-ticket.ts';
import { planFields, planTags, requireFields } from './custom-fields.ts';
import type { TicketCreationDeps } from './deps.ts';
import { RateLimitedError, type RateLimitUse } from './ports.ts';
import { priorityFor } from './priority.ts';
import { buildEvents } from './record-change.ts';
import type { AttachmentRef, CreateTicketInput, Ticket } from './ticket.ts';

/** Channels a requester may claim for themselves; the others are set by staff or by channel adapters. */
const REQUESTER_CHANNELS = ['web', 'api'];

export type CreateTicketResult = { ticket: Ticket; created: boolean };

/** What a channel adapter (inbound mail, the chat bot's handoff) adds: it may file on its own channel for a requester. */
export type ChannelIntake = { channel: 'email' | 'chat'; attachments?: AttachmentRef[] };

/** The requester id of someone known only by their address (mail, chat, staff filing for them). */
export const emailRequesterId = (address: string) => `email:${address.trim().toLowerCase()}`;

const requesterOf = async (identity: Identity, input: CreateTicketInput, country: string): Promise<Ticket['requester']> => {
  if (!input.requester) return { id: identity.id, name: identity.name, email: identity.email };
  const contact = input.requester;
  if (!contact.email && !contact.phone)
    throw validationError([{ path: 'requester', message: 'needs an email or a phone number so the requester can be reached' }]);
  // The phone parser is a lazy module (infra/constructs/function-bundling.ts): read when a number is filed.
  const id = contact.email
    ? emailRequesterId(contact.email)
    : (await import('#shared/domain/tickets/phone-number.ts')).phoneRequesterId(contact.phone!, country);
  return { id, name: contact.name, email: contact.email, phone: contact.phone };
};

const checkInput = (deps: TicketCreationDeps, identity: Identity, input: CreateTicketInput, intake?: ChannelIntake) => {
  if (input.category && !deps.config.categories.some((category) => category.id === input.category))
    throw validationError([
      { path: 'category', message: `must be one of ${deps.config.categories.map((category) => category.id).join(', ')}` },
    ]);
  // Staff file for callers and walk-ins; another system (an ERP, a school information system) files with its
  // machine client for the person it names: the administrator gave that system its client and secret.
  if (input.requester && !can(callerOf(identity), 'ticket:create-for-other') && !isMachineClient(identity))
    throw forbidden('Only staff, or a system with a machine client, can file a ticket on behalf of someone else.');
  if (input.tags?.length && PERMISSIONS[identity.role]['ticket:set-tags'] === 'none') throw forbidden('Only staff tag tickets.');
  if (!isStaff(identity)) {
    if (!REQUESTER_CHANNELS.includes(input.channel) && input.channel !== intake?.channel)
      throw validationError([{ path: 'channel', message: `must be one of ${REQUESTER_CHANNELS.join(', ')} for a requester` }]);
  }
  if (input.channel === 'phone' && !input.requester?.phone)
    throw validationError([{ path: 'requester.phone', message: "is required for a phone ticket: the caller's number" }]);
};

/** Canonical hash of what was asked, so a reused key with a different body is caught. */
const canonical = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      )
    : value;

const hashRequest = (input: CreateTicketInput): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex');

/**
 * A requester files at most `limits.ticketsPerRequesterPerHour` tickets an hour; replays are free. The use is
 * counted in the ticket's own transaction (TicketStore.createTicket), so a refusal writes nothing but leaves a
 * gap in the ticket numbers, as any failed create does.
 */
const creationLimit = (deps: TicketCreationDeps, requesterId: string): RateLimitUse => ({
  // Counted per person: a system filing for many people is limited per person it files for.
  key: `create#${requesterId}`,
  limit: deps.config.limits.ticketsPerRequesterPerHour,
  windowSeconds: 3600,
  now: deps.clock.now(),
});

const tooManyTickets = (limit: number, retryAfterSeconds: number) =>
  new DomainError(
    'too-many-requests',
    `You can file ${limit} tickets an hour; please try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    {
      headers: { 'retry-after': String(retryAfterSeconds) },
    },
  );

const WAIT_FOR_FIRST_MS = 100;
/** What a caller whose key is still held is told to wait before sending the same request again. */
const RETRY_IN_PROGRESS_SECONDS = 2;
const WAIT_ROUNDS = 50;

/** Another request holds the key: wait for its ticket (or its failure) rather than create a second one. */
const replay = async (deps: TicketCreationDeps, key: string, requestHash: string): Promise<CreateTicketResult | undefined> => {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let round = 0; round < WAIT_ROUNDS; round++) {
    const record = await deps.idempotencyKeys.read(key);
    if (!record) return undefined; // the first request failed and gave the key back: go ahead
    if (record.fields.requestHash !== requestHash)
      throw new DomainError(
        'idempotency-mismatch',
        'This Idempotency-Key was already used with a different request body; use a new key for a new ticket.',
      );
    if (record.state === 'completed' && record.fields.ticketId) {
      const ticket = await deps.tickets.getTicket(record.fields.ticketId);
      if (ticket) return { ticket, created: false };
    }
    await sleep(WAIT_FOR_FIRST_MS);
  }
  // The first request may still be running, or may have died holding the key (its lock expires): either way the
  // same request, sent again in a moment, gets the ticket or creates it.
  throw new DomainError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.', {
    headers: { 'retry-after': String(RETRY_IN_PROGRESS_SECONDS) },
  });
};

export const createTicket = async (
  deps: TicketCreationDeps,
  identity: Identity,
  input: CreateTicketInput,
  idempotencyKey?: string,
  intake?: ChannelIntake,
): Promise<CreateTicketResult> => {
  checkInput(deps, identity, input, intake);
  let claim: HeldClaim | undefined;
  if (idempotencyKey) {
    // Keys are the caller's own: two callers may use the same key for different tickets.
    const key = `${identity.id}#${idempotencyKey}`;
    const requestHash = hashRequest(input);
    const holder = await deps.idempotencyKeys.claim(key, deps.clock.now(), { requestHash });
    if (!holder) {
      const replayed = await replay(deps, key, requestHash);
      if (replayed) return replayed;
      return createTicket(deps, identity, input, idempotencyKey, intake);
    }
    claim = { key, holder };
  }
  try {
    // Classified and its tags and fields checked before anything is counted or numbered: a refusal costs nothing.
    const prepared = prepare(deps, identity, input, intake);
    const { ticket, classification } = await buildTicket(deps, identity, input, prepared);
    // Staff are not limited on the API (their token is the proof); through a channel adapter (mail, chat) the
    // sender's word is all there is, so everyone counts against the limit there.
    const limit = !isStaff(identity) || intake ? creationLimit(deps, ticket.requester.id) : undefined;
    const events = buildEvents(deps, ticket, actorOf(identity), [
      {
        type: 'TicketCreated',
        data: {
          subject: ticket.subject,
          channel: ticket.channel,
          category: ticket.category,
          team: ticket.team,
          priority: ticket.priority,
          classifiedBy: classification.reason,
          ...(intake?.attachments?.length ? { attachments: intake.attachments } : {}),
          ...(ticket.tags ? { tags: ticket.tags } : {}),
          ...(ticket.fields ? { fields: ticket.fields } : {}),
        },
      },
    ]);
    await deps.tickets.createTicket(ticket, events, claim, limit);
    return { ticket, created: true };
  } catch (error) {
    if (claim) await deps.idempotencyKeys.release(claim.key, claim.holder);
    if (error instanceof RateLimitedError) throw tooManyTickets(deps.config.limits.ticketsPerRequesterPerHour, error.retryAfterSeconds);
    // This request's claim was taken over (its lock ran out while it worked): the other request creates.
    if (error instanceof ClaimLostError) throw conflict('Another request with this Idempotency-Key took over; retry to get its ticket.');
    throw error;
  }
};

/** Where the ticket goes, and its tags and fields as the desk accepts them. A channel (mail, chat) asks for no fields. */
const prepare = (deps: TicketCreationDeps, identity: Identity, input: CreateTicketInput, intake?: ChannelIntake) => {
  const { config } = deps;
  const classification = classifyTicket(config, input);
  const { fields } = planFields(config, identity.role, classification.category, undefined, input.fields ?? {});
  if (!intake) requireFields(config, identity.role, classification.category, fields);
  const { tags } = planTags(config, undefined, input.tags ?? []);
  return { classification, fields, tags };
};

const buildTicket = async (
  deps: TicketCreationDeps,
  identity: Identity,
  input: CreateTicketInput,
  prepared: ReturnType<typeof prepare>,
) => {
  const { config } = deps;
  const { classification, fields, tags } = prepared;
  const urgency = input.urgency ?? config.defaults.urgency;
  const impact = input.impact ?? config.defaults.impact;
  const clock = deps.clock.now();
  const now = clock.toISOString();
  const priority = priorityFor(config, urgency, impact);
  const ticket: Ticket = {
    id: deps.ids.next(),
    number: await deps.numbers.next(),
    subject: input.subject,
    description: input.description,
    status: 'new',
    priority,
    priorityOverridden: false,
    urgency,
    impact,
    category: classification.category,
    team: classification.team,
    tier: classification.tier,
    assignee: null,
    requester: await requesterOf(identity, input, deps.config.organisation.country),
    ...(input.requester ? { filedBy: identity.id } : {}),
    channel: input.channel,
    language: input.language ?? config.organisation.defaultLanguage,
    createdAt: now,
    updatedAt: now,
    version: 1,
    sla: startSla(config, organisationCalendars(config), priority, clock),
    ...(tags ? { tags } : {}),
    ...(fields ? { fields } : {}),
  };
  return { ticket, classification };
};
