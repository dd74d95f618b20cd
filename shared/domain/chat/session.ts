// A chat conversation: what was said, what the bot is waiting for, and who the requester is once known.
// Kept per session with an expiry (DynamoDB TTL); an unknown or expired session starts a new conversation.
import type { Language } from '#shared/config/config-values.ts';
import type { HandoffReason } from './screen-message.ts';

export type ChatTurn = { from: 'requester' | 'bot'; text: string; at: string };

/** Who the ticket will be for: from the channel (a linked chat account) or the address given in the chat. */
export type ChatRequester = { id: string; name?: string | undefined; email?: string | undefined };

/**
 * `open`: answering questions; `offered`: a ticket was offered, a yes or a no is expected; `contact`: the
 * requester said yes and the bot waits for an address to reach them at.
 */
export type ChatState = 'open' | 'offered' | 'contact';

export type ChatSession = {
  id: string;
  /** Where the conversation happens: `web` (POST /chat), `telegram`, `whatsapp` (shared/domain/channels). */
  channel: string;
  language: Language;
  state: ChatState;
  /** The question the offered ticket is about (its subject). */
  topic?: string | undefined;
  handoffReason?: HandoffReason | undefined;
  requester?: ChatRequester | undefined;
  /** Tries at giving an address, so the bot stops asking after a few. */
  contactAttempts?: number | undefined;
  /** The tickets this conversation opened. */
  tickets: { id: string; number: number }[];
  /** The latest turns (at most MAX_TURNS): what a ticket opened from the chat holds. */
  turns: ChatTurn[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds after which the session is gone (the table's TTL attribute). */
  expiresAt: number;
};

export const MAX_TURNS = 30;
/** A turn's text as kept in the session (and so in a ticket's transcript). */
export const MAX_TURN_CHARS = 2000;

/** Thrown when the stored version is not the expected one (two messages of one session at once). */
export class ChatSessionConflict extends Error {
  constructor(readonly sessionId: string) {
    super(`chat session ${sessionId} changed concurrently`);
    this.name = 'ChatSessionConflict';
  }
}

export interface ChatSessionStore {
  getSession(id: string): Promise<ChatSession | undefined>;
  /** Writes the session if its stored version is `expectedVersion` (0: there is none); else ChatSessionConflict. */
  saveSession(session: ChatSession, expectedVersion: number): Promise<void>;
}
