// A person on a chat channel (Telegram, WhatsApp) as the desk knows them: where to write to them, the
// conversation with the bot, and, once proven, the requester they are. The proof is the channel's own for
// WhatsApp (Meta signs which number wrote) and a Telegram contact the person shares of themselves (Telegram
// vouches that the number is the sender's), or a one-time code mailed to an address (link-account.ts).
import type { Language } from '#shared/config/config-values.ts';

export const CHAT_CHANNELS = ['telegram', 'whatsapp'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** How the desk knows who the account belongs to. */
export type LinkProof = 'email-code' | 'telegram-contact' | 'whatsapp-number';

export type ChatAccount = {
  channel: ChatChannel;
  /** The platform's id of the person: Telegram's user id, WhatsApp's wa_id (the number, digits only). */
  userId: string;
  /** Where messages to them go: Telegram's chat id (their private chat with the bot), WhatsApp's wa_id. */
  chatId: string;
  /** The name the platform shows (the Telegram first name, the WhatsApp profile name). */
  name?: string | undefined;
  /** The requester the account is proven to be (`email:…`, `phone:+…`), how, and since when. */
  requester?: { id: string; email?: string | undefined; linkedVia: LinkProof; linkedAt: string } | undefined;
  /** The current conversation with the answer bot (shared/domain/chat), while it lasts. */
  sessionId?: string | undefined;
  language?: Language | undefined;
  /** When the person last wrote: WhatsApp's 24-hour customer-service window counts from it. */
  lastInboundAt: string;
  /** A link to an address, waiting for the code mailed there (a hash of it, never the code). */
  pendingLink?: { email: string; codeHash: string; expiresAt: string; attempts: number } | undefined;
  version: number;
  createdAt: string;
};

/** Thrown when the stored version is not the expected one (two messages of one person at once). */
export class ChatAccountConflict extends Error {
  constructor(readonly key: string) {
    super(`chat account ${key} changed concurrently`);
    this.name = 'ChatAccountConflict';
  }
}

/** Chat accounts, their links to requesters, the tickets chats filed, and the desk's messages about tickets. */
export interface ChatAccountStore {
  getAccount(channel: ChatChannel, userId: string): Promise<ChatAccount | undefined>;
  /**
   * Writes the account if its stored version is `expectedVersion` (0: there is none), else ChatAccountConflict.
   * When its requester changed from `previousRequesterId`, the link items move in the same transaction, so the
   * requester's partition always names exactly the accounts linked to them.
   */
  saveAccount(account: ChatAccount, expectedVersion: number, previousRequesterId?: string): Promise<void>;
  /** Records that this account's chat filed the ticket for the requester: the ticket's news go back to it. */
  addTicketOrigin(account: ChatAccount, requesterId: string, ticketId: string): Promise<void>;
  isTicketOrigin(account: ChatAccount, requesterId: string, ticketId: string): Promise<boolean>;
  /** The accounts linked to the requester, and those whose chat filed this ticket for them. */
  chatsFor(requesterId: string, ticketId: string): Promise<ChatAccount[]>;
  /** Remembers which ticket a message the desk sent is about, so that a reply to it is a comment there. */
  recordSentMessage(channel: ChatChannel, chatId: string, messageId: string, ticketId: string): Promise<void>;
  ticketOfMessage(channel: ChatChannel, chatId: string, messageId: string): Promise<string | undefined>;
  /**
   * Erasure: deletes the requester's links and ticket origins, and the accounts linked to them with the
   * desk's messages to those chats (their platform ids, names and conversations are the requester's). A chat
   * that only filed a ticket for them keeps its account. Returns the number of accounts deleted.
   */
  forgetRequester(requesterId: string): Promise<number>;
}
