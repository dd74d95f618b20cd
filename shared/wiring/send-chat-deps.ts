// Builds the chat queue consumer's ports once per cold start: the send claims, the platforms' APIs with their
// tokens (SSM SecureStrings, kept five minutes), the chat accounts, and what a ticket's news need (the
// ticket, the staff directory for the replying agent's name, the configuration and the clock).

import { channelSecret } from '#shared/adapters/channel-secrets.ts';
import { createChatAccountStore } from '#shared/adapters/chat-account-store.ts';
import { telegramSender, whatsappSender } from '#shared/adapters/chat-platforms.ts';
import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { DeliveryDeps } from '#shared/domain/channels/deliver.ts';
import type { ChatNoticeDeps } from '#shared/domain/channels/notify-chat.ts';

let deps: { delivery: DeliveryDeps; notices: ChatNoticeDeps } | undefined;

export const sendChatDeps = () => {
  if (!deps) {
    const client = dynamoDocumentClient();
    const config = loadConfig();
    const accounts = createChatAccountStore(client, tableName());
    deps = {
      delivery: {
        claims: createClaimStore(client, tableName(), CLAIM_SPACES.chatOutbound),
        senders: {
          telegram: telegramSender(() => channelSecret('telegram-bot-token')),
          whatsapp: whatsappSender(
            () => config.channels.whatsapp,
            () => channelSecret('whatsapp-access-token'),
          ),
        },
        accounts,
        clock: systemClock,
      },
      notices: {
        accounts,
        tickets: createTicketStore(client, tableName()),
        staff: createStaffDirectory(client, tableName()),
        clock: systemClock,
        config,
      },
    };
  }
  return deps;
};
