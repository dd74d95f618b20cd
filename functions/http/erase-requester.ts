// POST /admin/requesters/{id}/erase — pseudonymises a person everywhere (every requester id linked to the
// one asked for: their sign-in id, address, number) and forgets their linked chats, reporting each id erased;
// statistics stay (admins only).
import { createChatAccountStore } from '#shared/adapters/chat-account-store.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { deleteAttachments } from '#shared/adapters/mail-bucket.ts';
import { notFound } from '#shared/domain/errors.ts';
import { eraseRequester } from '#shared/domain/privacy/erase-requester.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { identityLinks } from '#shared/wiring/identity-links.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => {
  let requesterId: string;
  try {
    requesterId = decodeURIComponent(pathParameters.id ?? '');
  } catch {
    throw notFound('No such requester.'); // a broken %-escape names nobody
  }
  if (requesterId.length === 0 || requesterId.length > 256) throw notFound('No such requester.');
  const deps = ticketDeps();
  return {
    status: 200,
    body: await eraseRequester(deps, identity, requesterId, {
      files: { deleteAttachments },
      chats: createChatAccountStore(dynamoDocumentClient(), tableName()),
      links: identityLinks(deps.config.organisation.country),
    }),
  };
});
