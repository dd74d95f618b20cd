// Erasure on request (the right to be forgotten): every ticket a person filed keeps its facts for the
// statistics (category, team, priority, channel, times, status history) but loses what identifies the
// person: their name, address and number, the words they wrote, the custom field values that are not a
// choice from a list (a NISN, a class), and their id, which becomes a pseudonym that cannot be turned back. Staff comments stay (they are the organisation's record); an erasure event is
// added to each ticket. Their Telegram and WhatsApp accounts linked to them go too (the platform ids, names and
// conversations are theirs). Running it twice changes nothing more; erasing a pseudonym changes nothing.
//
// One person has several requester ids: their sign-in id (web), `email:<address>` (mail, chat, staff filing
// for them) and `phone:<number>` (a call). Erasure follows every link it can see, to a bound: the contacts
// the desk recorded on the person's tickets (the address on a web ticket, the address and number staff wrote
// down for a caller), and the links an identity directory knows (the user pool: a sign-in account's verified
// address and number, and the accounts with a verified address or number). Each id found is erased under the
// same pseudonym, and reported.
import { createHash } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { forbidden } from '#shared/domain/errors.ts';
import { emailRequesterId } from '#shared/domain/tickets/create-ticket.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { AttachmentRef, FieldValue, Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { historyPages } from '#shared/domain/tickets/ticket-history.ts';

export const ERASED = '[erased]';
const PSEUDONYM_PREFIX = 'erased:';
/** At most this many ids of one person per run; the others are reported (`notYetErased`) for a second run. */
export const MAX_IDENTITIES = 50;

/** A stable pseudonym: the same person maps to the same one, and it does not lead back to them. */
export const pseudonymFor = (requesterId: string) =>
  `${PSEUDONYM_PREFIX}${createHash('sha256').update(`helpdesk-erasure:${requesterId}`).digest('hex').slice(0, 20)}`;

/** Attachments a requester sent (by mail): the files go, and their names, which may name the person. */
const attachmentsOf = (event: TicketEvent): AttachmentRef[] =>
  (event.type === 'TicketCreated' || event.type === 'CommentAdded' ? event.data.attachments : undefined) ?? [];

const scrubAttachments = (attachments: AttachmentRef[]): AttachmentRef[] =>
  attachments.map((attachment) => ({ ...attachment, name: ERASED, key: ERASED }));

/** Custom field values that may identify the person (free text, numbers, dates: a NISN, a class) go; list values stay for the reports. */
const listFields = (config: HelpdeskConfig) =>
  new Set(config.customFields.filter((field) => field.type === 'list').map((field) => field.id));

const scrubFields = (fields: Record<string, FieldValue>, keep: Set<string>): Record<string, FieldValue> =>
  Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, keep.has(field) ? value : ERASED]));

const scrubEvent = (event: TicketEvent, requesterId: string, pseudonym: string, keep: Set<string>): TicketEvent | undefined => {
  const byThem = event.actor.id === requesterId;
  let scrubbed: TicketEvent = event;
  if (scrubbed.type === 'TicketCreated' && scrubbed.data.fields)
    scrubbed = { ...scrubbed, data: { ...scrubbed.data, fields: scrubFields(scrubbed.data.fields, keep) } };
  if (scrubbed.type === 'FieldsChanged') {
    const erase = (field: string, value: FieldValue | null) => (value === null || keep.has(field) ? value : ERASED);
    scrubbed = {
      ...scrubbed,
      data: {
        changes: scrubbed.data.changes.map((change) => ({
          ...change,
          from: erase(change.field, change.from),
          to: erase(change.field, change.to),
        })),
      },
    };
  }
  if (byThem && (scrubbed.type === 'TicketCreated' || scrubbed.type === 'CommentAdded') && scrubbed.data.attachments?.length)
    scrubbed = { ...scrubbed, data: { ...scrubbed.data, attachments: scrubAttachments(scrubbed.data.attachments) } } as TicketEvent;
  if (byThem) scrubbed = { ...scrubbed, actor: { id: pseudonym, role: event.actor.role } };
  if (scrubbed.type === 'TicketCreated') scrubbed = { ...scrubbed, data: { ...scrubbed.data, subject: ERASED } };
  if (scrubbed.type === 'CommentAdded' && byThem) scrubbed = { ...scrubbed, data: { ...scrubbed.data, body: ERASED } };
  if (scrubbed.type === 'CsatRated' && scrubbed.data.comment !== undefined)
    scrubbed = { ...scrubbed, data: { ...scrubbed.data, comment: ERASED } };
  return JSON.stringify(scrubbed) === JSON.stringify(event) ? undefined : scrubbed;
};

/** One requester id erased: how many of its tickets and history items changed. */
export type ErasedIdentity = { id: string; tickets: number; events: number };

export type ErasureResult = {
  /** The pseudonym every ticket of the person now carries. */
  pseudonym: string;
  tickets: number;
  events: number;
  /** Every id of the person that was looked at, in the order found: the one asked for first. */
  identities: ErasedIdentity[];
  /** Telegram and WhatsApp accounts that were linked to any of those ids, now forgotten. */
  chatAccounts: number;
  /** Ids found past MAX_IDENTITIES: erase them with another request. */
  notYetErased?: string[];
};

/** Where attachments are kept; erasure deletes the requester's. */
export type AttachmentEraser = { deleteAttachments(keys: string[]): Promise<void> };

/** Ids an identity directory knows to be the same person's (the user pool's verified address and number). */
export type IdentityLinks = { linkedTo(requesterId: string): Promise<string[]> };

/** The chat accounts linked to requesters (shared/domain/channels/chat-account.ts); erasure forgets the requester's. */
export type ChatLinks = { forgetRequester(requesterId: string): Promise<number> };

/** Where erasure finds what is kept of a person besides their tickets. */
export type ErasurePorts = { files?: AttachmentEraser | undefined; chats?: ChatLinks | undefined; links?: IdentityLinks | undefined };

/** The ids the desk recorded for reaching the person on this ticket: its address and its number. */
const contactIdsOf = async (ticket: Pick<Ticket, 'requester'>, country: string): Promise<string[]> => [
  ...(ticket.requester.email ? [emailRequesterId(ticket.requester.email)] : []),
  // The phone parser is a lazy module (infra/constructs/function-bundling.ts).
  ...(ticket.requester.phone
    ? [(await import('#shared/domain/tickets/phone-number.ts')).phoneRequesterId(ticket.requester.phone, country)]
    : []),
];

/** Erases the tickets filed under one id; `found` hears of the contacts recorded on each. */
const eraseIdentity = async (
  deps: TicketDeps,
  caller: ReturnType<typeof callerOf>,
  requesterId: string,
  pseudonym: string,
  keep: Set<string>,
  files: AttachmentEraser | undefined,
  found: (ids: string[]) => void,
): Promise<ErasedIdentity> => {
  let tickets = 0;
  let events = 0;
  // Their tickets under their id, paged with the cursor (an erased ticket moves to the pseudonym's list, and
  // the index may show it a moment longer: re-reading from the start would meet it again). A second run
  // finds none.
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.listTickets({ requester: requesterId }, { limit: 25, cursor });
    cursor = page.cursor;
    for (const ticket of page.items) {
      if (seen.has(ticket.id)) continue;
      seen.add(ticket.id);
      found(await contactIdsOf(ticket, deps.config.organisation.country));
      // Page by page to the end of the history, however long: files first (if deleting fails, the history
      // still names them and a second run finds them again), then that page's items rewritten.
      for await (const history of historyPages(deps.tickets, ticket.id)) {
        const theirFiles = history
          .filter((event) => event.actor.id === requesterId)
          .flatMap(attachmentsOf)
          .map((attachment) => attachment.key)
          .filter((key) => key !== ERASED);
        if (theirFiles.length > 0) {
          if (!files) throw new Error('erasure needs the attachment store to delete a requester’s files');
          await files.deleteAttachments(theirFiles);
        }
        const rewritten = history.flatMap((event) => scrubEvent(event, requesterId, pseudonym, keep) ?? []);
        await deps.tickets.replaceEvents(rewritten);
        events += rewritten.length;
      }
      const saved = await retryOnConflict(async () => {
        const current = await deps.tickets.getTicket(ticket.id);
        if (!current || current.requester.id !== requesterId) return false;
        const kept = Object.entries(current.fields ?? {}).filter(([field]) => keep.has(field));
        const { fields: _fields, ...rest } = current;
        const next: Ticket = {
          ...rest,
          ...(kept.length > 0 ? { fields: Object.fromEntries(kept) } : {}),
          subject: ERASED,
          description: ERASED,
          requester: { id: pseudonym },
          // The rating stays for the statistics; the words that came with it go.
          ...(current.csat?.comment !== undefined ? { csat: { ...current.csat, comment: ERASED } } : {}),
          version: current.version + 1,
          updatedAt: deps.clock.now().toISOString(),
        };
        await deps.tickets.saveTicket(
          next,
          current.version,
          buildEvents(deps, next, actorOf(caller), [{ type: 'RequesterErased', data: {} }]),
        );
        return true;
      }, undefined);
      if (saved) tickets++;
    }
  } while (cursor);
  return { id: requesterId, tickets, events };
};

export const eraseRequester = async (
  deps: TicketDeps,
  identity: Identity,
  requesterId: string,
  { files, chats, links }: ErasurePorts = {},
): Promise<ErasureResult> => {
  const caller = callerOf(identity);
  if (!can(caller, 'requester:erase')) throw forbidden('Only an administrator can erase a requester.');
  // A pseudonym is what erasure leaves behind: erasing it again finds nobody to erase.
  if (requesterId.startsWith(PSEUDONYM_PREFIX)) return { pseudonym: requesterId, tickets: 0, events: 0, identities: [], chatAccounts: 0 };
  const pseudonym = pseudonymFor(requesterId);
  const keep = listFields(deps.config);
  const identities: ErasedIdentity[] = [];
  const notYetErased = new Set<string>();
  const done = new Set<string>();
  const queue = [requesterId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (done.has(id) || id.startsWith(PSEUDONYM_PREFIX)) continue;
    if (done.size >= MAX_IDENTITIES) {
      notYetErased.add(id);
      continue;
    }
    done.add(id);
    const erased = await eraseIdentity(deps, caller, id, pseudonym, keep, files, (ids) => queue.push(...ids));
    identities.push(erased);
    queue.push(...((await links?.linkedTo(id)) ?? []));
  }
  // Last, so that a failure above leaves the chats linked and a second run finds everything again.
  if (!chats) throw new Error('erasure needs the chat account store to forget a requester’s chats');
  let chatAccounts = 0;
  for (const erased of identities) chatAccounts += await chats.forgetRequester(erased.id);
  return {
    pseudonym,
    chatAccounts,
    tickets: identities.reduce((sum, erased) => sum + erased.tickets, 0),
    events: identities.reduce((sum, erased) => sum + erased.events, 0),
    identities,
    ...(notYetErased.size > 0 ? { notYetErased: [...notYetErased] } : {}),
  };
};
