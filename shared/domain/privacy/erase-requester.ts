// Erasure on request (the right to be forgotten): every ticket a requester filed keeps its facts for the
// statistics (category, team, priority, channel, times, status history) but loses what identifies the
// person: their name, address and number, the words they wrote, the custom field values that are not a
// choice from a list (a NISN, a class), and their id, which becomes a pseudonym that cannot be turned back. Staff comments stay (they are the organisation's record); an erasure event is
// added to each ticket. Running it twice changes nothing more.
import { createHash } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { forbidden } from '#shared/domain/errors.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { AttachmentRef, FieldValue, Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { wholeHistory } from '#shared/domain/tickets/ticket-history.ts';

export const ERASED = '[erased]';

/** A stable pseudonym: the same person maps to the same one, and it does not lead back to them. */
export const pseudonymFor = (requesterId: string) =>
  `erased:${createHash('sha256').update(`helpdesk-erasure:${requesterId}`).digest('hex').slice(0, 20)}`;

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

export type ErasureResult = { pseudonym: string; tickets: number; events: number };

/** Where attachments are kept; erasure deletes the requester's. */
export type AttachmentEraser = { deleteAttachments(keys: string[]): Promise<void> };

export const eraseRequester = async (
  deps: TicketDeps,
  identity: Identity,
  requesterId: string,
  files?: AttachmentEraser,
): Promise<ErasureResult> => {
  const caller = callerOf(identity);
  if (!can(caller, 'requester:erase')) throw forbidden('Only an administrator can erase a requester.');
  const pseudonym = pseudonymFor(requesterId);
  const keep = listFields(deps.config);
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
    for (const found of page.items) {
      if (seen.has(found.id)) continue;
      seen.add(found.id);
      const history = await wholeHistory(deps.tickets, found.id);
      const theirFiles = history
        .filter((event) => event.actor.id === requesterId)
        .flatMap(attachmentsOf)
        .map((attachment) => attachment.key)
        .filter((key) => key !== ERASED);
      // Files first: if deleting fails, the history still names them and a second run finds them again.
      if (theirFiles.length > 0) {
        if (!files) throw new Error('erasure needs the attachment store to delete a requester’s files');
        await files.deleteAttachments(theirFiles);
      }
      const rewritten = history.flatMap((event) => scrubEvent(event, requesterId, pseudonym, keep) ?? []);
      await deps.tickets.replaceEvents(rewritten);
      events += rewritten.length;
      const saved = await retryOnConflict(async () => {
        const current = await deps.tickets.getTicket(found.id);
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
  return { pseudonym, tickets, events };
};
