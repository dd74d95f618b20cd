// Builds the chat webhooks' ports once per cold start: the chat accounts, the per-delivery claims, the chat
// queue the answers go on, the answer bot (its own ports: sessions, articles, the filing of tickets), the ticket
// services (a reply taken as a comment), SES for the code that links a chat to an address, and a random code.
import { randomInt } from 'node:crypto';
import { createChatAccountStore } from '#shared/adapters/chat-account-store.ts';
import { sqsChatOutbox } from '#shared/adapters/chat-outbox.ts';
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { sesMailer } from '#shared/adapters/mailer.ts';
import type { ChannelDeps } from '#shared/domain/channels/receive-message.ts';
import { chatDeps } from './chat-deps.ts';
import { ticketDeps } from './ticket-deps.ts';

let deps: ChannelDeps | undefined;

export const channelDeps = (): ChannelDeps =>
  (deps ??= {
    accounts: createChatAccountStore(dynamoDocumentClient(), tableName()),
    inboundClaims: createClaimStore(dynamoDocumentClient(), tableName(), CLAIM_SPACES.chatInbound),
    outbox: sqsChatOutbox,
    chat: chatDeps(),
    tickets: ticketDeps(),
    mailer: sesMailer,
    newLinkCode: () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  });
