// POST /admin/requesters/{id}/erase — pseudonymises a requester everywhere; statistics stay (admins only).
import { deleteAttachments } from '#shared/adapters/mail-bucket.ts';
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { eraseRequester } from '#shared/domain/erase-requester.ts';
import { notFound } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => {
  let requesterId: string;
  try {
    requesterId = decodeURIComponent(pathParameters.id ?? '');
  } catch {
    throw notFound('No such requester.'); // a broken %-escape names nobody
  }
  if (requesterId.length === 0 || requesterId.length > 256) throw notFound('No such requester.');
  return { status: 200, body: await eraseRequester(ticketDeps(), identity, requesterId, { deleteAttachments }) };
});
