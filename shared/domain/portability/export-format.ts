// The helpdesk's own export format (JSON Lines, UTF-8, one object a line): what GET /admin/export writes and
// what `npm run import -- --from helpdesk` reads, so that a desk can be moved or backed up and nothing is lost
// on the way. docs/integrations.md describes it with an example.
//   {"kind":"helpdesk-export","version":1,"exportId":…,"startedAt":…}    first line
//   {"kind":"ticket","ticket":{…}}                                        a ticket as GET /tickets/{id} shows it to an admin
//   {"kind":"event","event":{…}}                                          one history item (comments are CommentAdded events)
//   {"kind":"file","ticketId":…,"eventId":…,"name":…,"size":…,"contentType":…,"key":…}
//                                                                         a file a history item refers to (in the mail bucket)
//   {"kind":"end","tickets":n,"events":n,"files":n}                       last line: an export without it is incomplete
// Lines come in the table's order (a ticket's history items may come before or after the ticket).

import { type AttachmentRef, type Ticket, type TicketEvent, ticketEventSchema, ticketSchema } from '#shared/domain/tickets/ticket.ts';
import * as z from '#shared/domain/zod.ts';

export const EXPORT_FORMAT = 'helpdesk-export';
export const EXPORT_VERSION = 1;

export const exportLineSchema = /* @__PURE__ */ z.schema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal(EXPORT_FORMAT),
      version: z.literal(EXPORT_VERSION),
      exportId: z.string(),
      startedAt: z.iso.datetime(),
    }),
    // Loose: a field a later version adds to tickets or events travels through an older reader unchanged.
    z.strictObject({ kind: z.literal('ticket'), ticket: z.catchall(ticketSchema, z.unknown()) }),
    z.strictObject({ kind: z.literal('event'), event: z.catchall(ticketEventSchema, z.unknown()) }),
    z.strictObject({
      kind: z.literal('file'),
      ticketId: z.string(),
      eventId: z.string(),
      name: z.string(),
      size: z.number().check(z.int(), z.gte(0)),
      contentType: z.string(),
      key: z.string(),
    }),
    z.strictObject({
      kind: z.literal('end'),
      tickets: z.number().check(z.int(), z.gte(0)),
      events: z.number().check(z.int(), z.gte(0)),
      files: z.number().check(z.int(), z.gte(0)),
    }),
  ]),
);
export type ExportLine = z.infer<typeof exportLineSchema>;

export type ExportCounts = { tickets: number; events: number; files: number };

const attachmentsOf = (event: TicketEvent): AttachmentRef[] =>
  (event.type === 'TicketCreated' || event.type === 'CommentAdded' ? event.data.attachments : undefined) ?? [];

export const headerLine = (exportId: string, startedAt: string) =>
  JSON.stringify({ kind: EXPORT_FORMAT, version: EXPORT_VERSION, exportId, startedAt });

export const ticketLine = (ticket: Ticket) => JSON.stringify({ kind: 'ticket', ticket });

/** The event's line, then one line per file it refers to. */
export const eventLines = (event: TicketEvent): string[] => [
  JSON.stringify({ kind: 'event', event }),
  ...attachmentsOf(event).map((file) => JSON.stringify({ kind: 'file', ticketId: event.ticketId, eventId: event.id, ...file })),
];

export const endLine = (counts: ExportCounts) => JSON.stringify({ kind: 'end', ...counts });

/** Files a batch of events refers to. */
export const fileCount = (events: TicketEvent[]) => events.reduce((sum, event) => sum + attachmentsOf(event).length, 0);
