// Messages to chats go through a queue (the `chat` queue) and are sent here, each exactly once however often
// its queue message is delivered: the claim (CHATSENT#<id>) comes before the send and is given back when the
// send fails for a reason that may pass (the platform down, a rate limit), so the queue's retry sends it;
// a refusal that will not pass (the person blocked the bot, no such chat) is recorded and not retried.
import type { ClaimStore } from '#shared/domain/claims.ts';
import type { Clock } from '#shared/domain/tickets/ports.ts';
import type { ChatAccountStore, ChatChannel } from './chat-account.ts';

/** Telegram's and WhatsApp's limit for one text message. */
export const MAX_CHAT_TEXT = 4096;

/** One message to one chat. */
export type OutboundChatMessage = {
  /** Unique per message and stable across retries: the claim's key. */
  id: string;
  channel: ChatChannel;
  /** Telegram's chat id, WhatsApp's wa_id. */
  chatId: string;
  text: string;
  /** Telegram: show a button (with this label) that shares the person's phone number, or take it away again. */
  keyboard?: { shareContact: string } | 'remove' | undefined;
  /** WhatsApp outside the 24-hour window: this approved template is sent instead of the text. */
  template?: { name: string; language: string; parameters: string[] } | undefined;
  /** The ticket the message is about: a reply to it becomes a comment on the ticket. */
  ticketId?: string | undefined;
};

/** Where the desk puts messages for the chat queue (SQS). */
export interface ChatOutbox {
  enqueue(messages: OutboundChatMessage[]): Promise<void>;
}

/** One platform's API. Resolves with the platform's id of the message; throws ChatSendError when refused. */
export interface ChatSender {
  send(message: OutboundChatMessage): Promise<{ messageId: string }>;
}

/**
 * A platform's refusal. `permanent`: sending again cannot help (the person blocked the bot, the chat does not
 * exist, the message is malformed); otherwise the retry may succeed (the platform down, a rate limit, a bad
 * token the admin will replace). `reason` is the platform's code, never its text (which can echo the message).
 */
export class ChatSendError extends Error {
  constructor(
    readonly permanent: boolean,
    readonly reason: string,
  ) {
    super(`the chat platform refused the message (${reason}${permanent ? ', permanent' : ''})`);
    this.name = 'ChatSendError';
  }
}

export type DeliveryDeps = {
  claims: ClaimStore;
  senders: Record<ChatChannel, ChatSender>;
  accounts: Pick<ChatAccountStore, 'recordSentMessage'>;
  clock: Clock;
};

export type DeliveryOutcome = { outcome: 'sent'; parts: number } | { outcome: 'duplicate' } | { outcome: 'undeliverable'; reason: string };

/** Splits a text over the platform's limit at paragraph, line or word boundaries. */
export const splitText = (text: string, max = MAX_CHAT_TEXT): string[] => {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find((at) => at > max / 2) ?? max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
};

/** The parts of a message, each with its own claim key (a retry sends only the parts not yet sent). */
const partsOf = (message: OutboundChatMessage): OutboundChatMessage[] => {
  if (message.template) return [message];
  const texts = splitText(message.text);
  if (texts.length === 1) return [message];
  // The keyboard goes with the last part, where the question it answers is.
  return texts.map((text, index) => ({
    ...message,
    id: `${message.id}#${index + 1}`,
    text,
    keyboard: index === texts.length - 1 ? message.keyboard : undefined,
  }));
};

/** Sends the message once. Throws ChatSendError (after giving the claim back) when the failure may pass. */
export const deliverChatMessage = async (deps: DeliveryDeps, message: OutboundChatMessage): Promise<DeliveryOutcome> => {
  let sent = 0;
  let duplicates = 0;
  for (const part of partsOf(message)) {
    const claim = await deps.claims.claim(part.id, deps.clock.now());
    if (!claim) {
      duplicates++;
      continue;
    }
    let messageId: string;
    try {
      ({ messageId } = await deps.senders[part.channel].send(part));
    } catch (error) {
      if (error instanceof ChatSendError && error.permanent) {
        // Kept as done: sending it again would be refused again.
        await deps.claims.complete(part.id, claim, { outcome: 'undeliverable', reason: error.reason });
        return { outcome: 'undeliverable', reason: error.reason };
      }
      await deps.claims.release(part.id, claim).catch(() => undefined);
      throw error;
    }
    // The message is out: failing to record it must not fail the delivery (a retry would send it again).
    await deps.claims.complete(part.id, claim, { outcome: 'sent', messageId }).catch(() => undefined);
    if (part.ticketId) await deps.accounts.recordSentMessage(part.channel, part.chatId, messageId, part.ticketId).catch(() => undefined);
    sent++;
  }
  return sent === 0 && duplicates > 0 ? { outcome: 'duplicate' } : { outcome: 'sent', parts: sent };
};
