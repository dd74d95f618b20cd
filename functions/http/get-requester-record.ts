// GET /admin/requesters/{id}?cursor= — a requester's contact details and tickets, within the caller's reach (staff).
import { requesterRecord, requesterRecordQuerySchema } from '#shared/domain/people/requester-record.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { personIdFrom } from '#shared/http/people-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ query: requesterRecordQuerySchema }, async ({ identity, query, pathParameters }) => ({
  status: 200,
  body: await requesterRecord(ticketDeps(), identity, personIdFrom(pathParameters), query),
}));
