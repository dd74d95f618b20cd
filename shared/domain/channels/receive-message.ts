// A message from Telegram or WhatsApp, once the webhook has checked that the platform sent it: acted on once
// per delivery (the claim CHATIN#<channel>:<delivery id>, so a redelivered update or message does nothing),
// then answered through the chat queue. What it may be: a question for the answer bot (converse, the same
// service as the web chat, so a handoff files a ticket with channel `chat`), a command (`/status 12`,
// `/link`, `/unlink`, `/start`), a reply to the desk's message about a ticket (a comment on that ticket), a
// shared contact (Telegram: links the chat to that phone requester), or something the bot cannot read
// (stickers, pictures, voice notes, a text over 4096 characters), which gets a polite answer in words.
import { createHash } from 'node:crypto';
import type { Language } from '#shared/config/config-values.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { type ChatDeps, type ChatReply, converse } from '#shared/domain/chat/converse.ts';
import { emailIn } from '#shared/domain/chat/screen-message.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { Mailer } from '#shared/domain/mail/notify-requester.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { CHANNEL_TEXTS, type UnsupportedKind } from './channel-texts.ts';
import { type ChatAccount, ChatAccountConflict, type ChatAccountStore, type ChatChannel } from './chat-account.ts';
import { type ChatOutbox, MAX_CHAT_TEXT, type OutboundChatMessage } from './deliver.ts';
import { confirmEmailLink, startEmailLink } from './link-account.ts';

/** One message as the platform adapters hand it over (telegram-update.ts, whatsapp-notification.ts). */
export type InboundChatMessage = {
  channel: ChatChannel;
  /** The platform's id of this delivery: Telegram's update_id, WhatsApp's message id. */
  deliveryId: string;
  /** The person: Telegram's user id, WhatsApp's wa_id. */
  userId: string;
  /** Where answers go: Telegram's chat id, WhatsApp's wa_id. */
  chatId: string;
  name?: string | undefined;
  /** The language the person's app is set to, when the platform says (Telegram's language_code). */
  language?: Language | undefined;
  /** The platform's id of the desk's message this one replies to. */
  replyTo?: string | undefined;
  content:
    | { kind: 'text'; text: string }
    /** A shared contact; `own`: the platform vouches that it is the sender's own number. */
    | { kind: 'contact'; phone: string; own: boolean }
    | { kind: 'unsupported'; type: UnsupportedKind };
};

export type ChannelDeps = {
  accounts: ChatAccountStore;
  /** One claim per delivery (CHATIN#): a redelivery acts not again. */
  inboundClaims: ClaimStore;
  outbox: ChatOutbox;
  /** The answer bot's ports; its ticket ports, clock and configuration serve the commands too. */
  chat: ChatDeps;
  /** The ticket services' ports, for a reply taken as a comment (the answer bot's only file tickets). */
  tickets: TicketDeps;
  /** Mails the code that links a chat to an address. */
  mailer: Mailer;
  /** Six random digits. */
  newLinkCode: () => string;
};

export type ReceiveOutcome = { outcome: 'handled'; replies: number } | { outcome: 'duplicate' };

type Reply = Omit<OutboundChatMessage, 'id' | 'channel' | 'chatId'>;

const COMMAND = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i;
const COMMANDS = new Set(['start', 'help', 'status', 'link', 'unlink']);
const CODE = /^\d{6}$/;

/** The hourly message limit's key for the person: hashed, so the table holds no platform ids in its keys. */
const clientOf = (account: ChatAccount) =>
  `${account.channel}:${createHash('sha256').update(account.userId).digest('base64url').slice(0, 22)}`;

const text = (body: string, extra: Omit<Reply, 'text'> = {}): Reply => ({ text: body, ...extra });
const shareContact = (language: Language) => ({ shareContact: CHANNEL_TEXTS.shareContactButton[language] });

/** A chat may see a ticket when it is linked to the ticket's requester, or when it filed the ticket. */
const chatMayRead = async (deps: ChannelDeps, account: ChatAccount, ticket: Ticket | undefined): Promise<boolean> =>
  !!ticket &&
  (account.requester?.id === ticket.requester.id || (await deps.accounts.isTicketOrigin(account, ticket.requester.id, ticket.id)));

/** Counts one message against the person's hourly limit (converse counts its own). */
const withinLimit = async (deps: ChannelDeps, account: ChatAccount) => {
  const limit = deps.chat.config.knowledgeBase.messagesPerClientPerHour;
  const { allowed } = await deps.chat.tickets.rateLimits.take(`chat#${clientOf(account)}`, limit, 3600, deps.chat.clock.now());
  return allowed;
};

const status = async (deps: ChannelDeps, account: ChatAccount, argument: string, language: Language): Promise<Reply> => {
  const { tickets } = deps.tickets;
  const number = /^#?(\d{1,9})$/.exec(argument)?.[1];
  if (number) {
    const id = await tickets.getTicketIdByNumber(Number(number));
    const ticket = id ? await tickets.getTicket(id) : undefined;
    if (!ticket || !(await chatMayRead(deps, account, ticket))) return text(CHANNEL_TEXTS.statusNotYours(Number(number), language));
    return text(CHANNEL_TEXTS.status(ticket, language, deps.chat.config.organisation.timeZone), { ticketId: ticket.id });
  }
  if (argument || !account.requester) return text(CHANNEL_TEXTS.statusUsage[language]);
  const page = await tickets.listTickets({ requester: account.requester.id }, { limit: 10 });
  return text(CHANNEL_TEXTS.statusList(page.items, language));
};

const link = async (deps: ChannelDeps, account: ChatAccount, argument: string, language: Language): Promise<Reply> => {
  if (CODE.test(argument)) return text(confirmEmailLink(deps.chat, account, argument, language));
  const email = emailIn(argument);
  if (!email) return text(CHANNEL_TEXTS.linkUsage[language]);
  return text(
    await startEmailLink(
      {
        mailer: deps.mailer,
        rateLimits: deps.chat.tickets.rateLimits,
        clock: deps.chat.clock,
        config: deps.chat.config,
        newLinkCode: deps.newLinkCode,
      },
      account,
      email,
      language,
    ),
  );
};

const unlink = (account: ChatAccount, language: Language): Reply => {
  if (account.channel === 'whatsapp' && account.requester?.linkedVia === 'whatsapp-number')
    return text(CHANNEL_TEXTS.whatsappIsYourNumber[language]);
  if (!account.requester) return text(CHANNEL_TEXTS.notLinked[language]);
  account.requester = undefined;
  return text(CHANNEL_TEXTS.unlinked[language]);
};

/** The bot's reply as the chat shows it; on Telegram, a question for an address also offers the contact button. */
const botReply = (account: ChatAccount, reply: ChatReply): Reply => {
  if (account.channel === 'telegram' && reply.awaiting === 'contact' && !account.requester)
    return text(`${reply.answer}\n\n${CHANNEL_TEXTS.orShareContact[reply.language]}`, { keyboard: shareContact(reply.language) });
  return text(reply.answer, { ticketId: reply.ticketId });
};

/** The answer bot, with the chat's conversation and, when known, its requester. */
const ask = async (deps: ChannelDeps, account: ChatAccount, message: string): Promise<Reply> => {
  let reply: ChatReply;
  try {
    reply = await converse(deps.chat, {
      sessionId: account.sessionId,
      message,
      channel: account.channel,
      client: clientOf(account),
      requester: account.requester ? { id: account.requester.id, email: account.requester.email, name: account.name } : undefined,
    });
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'too-many-requests')
      return text(CHANNEL_TEXTS.tooManyMessages[account.language ?? deps.chat.config.organisation.defaultLanguage]);
    throw error;
  }
  account.sessionId = reply.sessionId;
  account.language = reply.language;
  if (reply.ticketId) {
    // Whoever the ticket is for (a linked requester, an address typed in the chat), its news come back here.
    const ticket = await deps.tickets.tickets.getTicket(reply.ticketId);
    if (ticket) await deps.accounts.addTicketOrigin(account, ticket.requester.id, ticket.id);
  }
  return botReply(account, reply);
};

/** Telegram: the person shared a contact. Their own number links the chat to that phone requester. */
const contactShared = async (deps: ChannelDeps, account: ChatAccount, phone: string, own: boolean, language: Language) => {
  if (!own) return text(CHANNEL_TEXTS.notOwnContact[language], { keyboard: shareContact(language) });
  // Telegram sends the number in international form, usually without its +; one that is not valid so (a
  // national 0812-…, from a client or a test) is read in the organisation's country.
  const { country } = deps.chat.config.organisation;
  const international = phone.trim().startsWith('+') ? phone : `+${phone}`;
  // The phone parser is a lazy module (infra/constructs/function-bundling.ts): read when a contact is shared.
  const { e164, phoneRequesterId } = await import('#shared/domain/tickets/phone-number.ts');
  const id = phoneRequesterId(e164(international, country) ? international : phone, country);
  account.requester = { id, linkedVia: 'telegram-contact', linkedAt: deps.chat.clock.now().toISOString() };
  // The bot was waiting for a way to reach them: the ticket opens now, for this number.
  const session = account.sessionId ? await deps.chat.sessions.getSession(account.sessionId) : undefined;
  const waiting = session?.state === 'contact' && session.expiresAt * 1000 > deps.chat.clock.now().getTime();
  if (waiting) {
    const reply = await ask(deps, account, CHANNEL_TEXTS.sharedContactTurn[language]);
    return { ...reply, keyboard: 'remove' as const };
  }
  return text(CHANNEL_TEXTS.linkedPhone(id.slice('phone:'.length), language), { keyboard: 'remove' });
};

/** A reply to the desk's message about a ticket: a public comment on it, by its requester. */
const comment = async (deps: ChannelDeps, ticket: Ticket, body: string, language: Language): Promise<Reply> => {
  const identity: Identity = {
    id: ticket.requester.id,
    role: 'requester',
    email: ticket.requester.email,
    name: ticket.requester.name,
    teams: [],
  };
  if (ticket.status === 'closed') return text(CHANNEL_TEXTS.commentClosed(ticket.number, language));
  try {
    await addComment(deps.tickets, identity, ticket.id, { body, visibility: 'public' });
  } catch (error) {
    // Closed meanwhile, or resolved past the reopen window: the same answer as a closed ticket.
    if (error instanceof DomainError && error.kind === 'conflict') return text(CHANNEL_TEXTS.commentClosed(ticket.number, language));
    throw error;
  }
  return text(CHANNEL_TEXTS.commentAdded(ticket.number, language), { ticketId: ticket.id });
};

const respond = async (deps: ChannelDeps, account: ChatAccount, message: InboundChatMessage, language: Language): Promise<Reply[]> => {
  const { content } = message;
  if (content.kind === 'unsupported') return [text(CHANNEL_TEXTS.unsupported(content.type, language))];
  if (content.kind === 'contact') {
    if (!(await withinLimit(deps, account))) return [text(CHANNEL_TEXTS.tooManyMessages[language])];
    return [await contactShared(deps, account, content.phone, content.own, language)];
  }
  const body = content.text.trim();
  if (body.length > MAX_CHAT_TEXT) return [text(CHANNEL_TEXTS.tooLong(MAX_CHAT_TEXT, language))];
  if (body.length === 0) return [text(CHANNEL_TEXTS.unsupported('other', language))];
  const command = COMMAND.exec(body);
  const name = command?.[1]?.toLowerCase();
  const argument = command?.[2]?.trim() ?? '';
  const isCode = CODE.test(body) && account.pendingLink !== undefined;
  const replyTicketId = message.replyTo ? await deps.accounts.ticketOfMessage(account.channel, account.chatId, message.replyTo) : undefined;
  const replyTicket = replyTicketId ? await deps.tickets.tickets.getTicket(replyTicketId) : undefined;
  const commented = await chatMayRead(deps, account, replyTicket);
  if ((name && COMMANDS.has(name)) || isCode || commented) {
    // The answer bot counts its own messages; these are counted here.
    if (!(await withinLimit(deps, account))) return [text(CHANNEL_TEXTS.tooManyMessages[language])];
    if (name === 'start' || name === 'help')
      return [
        text(CHANNEL_TEXTS.welcome(deps.chat.config.organisation.name, account.channel, language), {
          keyboard: account.channel === 'telegram' && !account.requester ? shareContact(language) : undefined,
        }),
      ];
    if (name === 'status') return [await status(deps, account, argument, language)];
    if (name === 'link') return [await link(deps, account, argument, language)];
    if (name === 'unlink') return [unlink(account, language)];
    if (isCode) return [text(confirmEmailLink(deps.chat, account, body, language))];
    return [await comment(deps, replyTicket!, body, language)];
  }
  // An unknown command is a question like any other: the bot answers or offers a person.
  return [await ask(deps, account, body)];
};

const supported = (language: string | undefined, fallback: Language): Language =>
  language === 'id' || language === 'en' ? language : fallback;

const handle = async (deps: ChannelDeps, message: InboundChatMessage): Promise<Reply[]> => {
  const { config, clock } = deps.chat;
  const now = clock.now().toISOString();
  const stored = await deps.accounts.getAccount(message.channel, message.userId);
  const account: ChatAccount = stored
    ? structuredClone(stored)
    : { channel: message.channel, userId: message.userId, chatId: message.chatId, version: 0, createdAt: now, lastInboundAt: now };
  Object.assign(account, { chatId: message.chatId, lastInboundAt: now, name: message.name ?? account.name });
  // On WhatsApp the number is the person: Meta signs which number wrote.
  if (message.channel === 'whatsapp' && !account.requester)
    account.requester = {
      // The phone parser is a lazy module (infra/constructs/function-bundling.ts): read on a number's first message.
      id: (await import('#shared/domain/tickets/phone-number.ts')).phoneRequesterId(`+${message.userId}`, config.organisation.country),
      linkedVia: 'whatsapp-number',
      linkedAt: now,
    };
  const language = account.language ?? supported(message.language, config.organisation.defaultLanguage);
  const replies = await respond(deps, account, message, language);
  const expectedVersion = stored?.version ?? 0;
  account.version = expectedVersion + 1;
  try {
    await deps.accounts.saveAccount(account, expectedVersion, stored?.requester?.id);
  } catch (error) {
    if (error instanceof ChatAccountConflict)
      throw new DomainError('conflict', 'Another message of this person is being handled; deliver this one again in a moment.');
    throw error;
  }
  return replies;
};

/** Acts on one delivery once and queues its answers. A failure gives the claim back, so the platform's retry acts. */
export const receiveChatMessage = async (deps: ChannelDeps, message: InboundChatMessage): Promise<ReceiveOutcome> => {
  const key = `${message.channel}:${message.deliveryId}`;
  const holder = await deps.inboundClaims.claim(key, deps.chat.clock.now());
  if (!holder) {
    if ((await deps.inboundClaims.read(key))?.state === 'completed') return { outcome: 'duplicate' };
    // Another attempt is working on it (or died, and its lock has not run out): the platform delivers it again.
    throw new DomainError('conflict', 'This delivery is being handled; deliver it again later.');
  }
  try {
    const replies = await handle(deps, message);
    await deps.outbox.enqueue(
      replies.map((reply, index) => ({ ...reply, id: `${key}#${index + 1}`, channel: message.channel, chatId: message.chatId })),
    );
    // Once queued, a retry must not act again; if marking fails, the lock runs out and a retry queues the same
    // ids, which the chat queue's consumer sends once.
    await deps.inboundClaims.complete(key, holder).catch(() => undefined);
    return { outcome: 'handled', replies: replies.length };
  } catch (error) {
    await deps.inboundClaims.release(key, holder).catch(() => undefined);
    throw error;
  }
};
