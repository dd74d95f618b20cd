// The answer bot's one service, the same for every channel: a message in a session → the reply the channel
// renders. It answers from the knowledge base, hands off to a person below the confidence threshold and
// always for sensitive or abusive requests, and on "ya"/"yes" opens a ticket (channel `chat`) holding the
// conversation through the ordinary createTicket service, so the requester never repeats themselves.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { LANGUAGES, type Language } from '#shared/config/config-values.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { publishedIndex } from '#shared/domain/kb/find-articles.ts';
import type { ArticleStore, DeflectionStore } from '#shared/domain/kb/ports.ts';
import { localDate, type StatsCounters } from '#shared/domain/reports/stats.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { TicketCreationDeps } from '#shared/domain/tickets/deps.ts';
import { SUBJECT_MAX, TEXT_MAX } from '#shared/domain/tickets/ticket.ts';
import * as z from '#shared/domain/zod.ts';
import { type ArticleRef, answerText, decide, languageOf } from './answer.ts';
import { CHAT_TEXTS } from './chat-texts.ts';
import { type AnswerWriter, generateAnswer } from './generation.ts';
import { emailIn, HANDOFF_REASONS, type HandoffReason, replyTo, smallTalk } from './screen-message.ts';
import { type ChatRequester, type ChatSession, ChatSessionConflict, type ChatSessionStore, MAX_TURN_CHARS, MAX_TURNS } from './session.ts';

export type ChatDeps = {
  sessions: ChatSessionStore;
  articles: Pick<ArticleStore, 'listArticles'>;
  counters: Pick<DeflectionStore, 'addCounters'>;
  /** The ticket ports: the handoff files through createTicket, and the message limit uses their rate limiter. */
  tickets: TicketCreationDeps;
  clock: { now(): Date };
  /** A new session's id: unguessable, since the id is all a web client holds. */
  newSessionId: () => string;
  config: HelpdeskConfig;
  /** Present when knowledgeBase.generation is on: words the answer from the article (generation.ts). */
  writer?: AnswerWriter | undefined;
  /** Told of a generation failure (the answer then falls back to the article's text). */
  onGenerationError?: (error: unknown) => void;
};

export type ConverseInput = {
  sessionId?: string | undefined;
  message: string;
  language?: Language | undefined;
  channel: string;
  /** Who is sending, for the hourly message limit: an address, or a channel's user id. */
  client: string;
  /** A requester the channel already knows (a linked chat account); the web chat asks for an address. */
  requester?: ChatRequester | undefined;
};

export type ChatReply = {
  sessionId: string;
  answer: string;
  articles: ArticleRef[];
  confidence: number;
  handoff: boolean;
  handoffReason?: HandoffReason;
  /** What the bot waits for: a yes or a no to its offer, or an address to reach the requester at. */
  awaiting: 'confirmation' | 'contact' | null;
  ticketId?: string;
  ticketNumber?: number;
  language: Language;
};

type Outcome = Omit<ChatReply, 'sessionId' | 'language'> & { counters: StatsCounters };

const MAX_CONTACT_ATTEMPTS = 3;
/** A message that is only a request for a ticket: the ticket is then about the question before it. */
const TICKET_ONLY = /^\s*(?:buat(?:kan)?\s+)?(?:tiket|ticket|open\s+a\s+ticket|lapor|petugas|agent|human|orang)\s*[.!?]*\s*$/i;

const clean = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
const oneLine = (text: string) => clean(text).replace(/\s+/g, ' ').trim();

const takeMessageToken = async (deps: ChatDeps, client: string, now: Date) => {
  const limit = deps.config.knowledgeBase.messagesPerClientPerHour;
  const { allowed, retryAfterSeconds } = await deps.tickets.rateLimits.take(`chat#${client}`, limit, 3600, now);
  if (!allowed)
    throw new DomainError(
      'too-many-requests',
      `At most ${limit} chat messages an hour; please try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      {
        headers: { 'retry-after': String(retryAfterSeconds) },
      },
    );
};

const newSession = (deps: ChatDeps, input: ConverseInput, now: Date): ChatSession => ({
  id: deps.newSessionId(),
  channel: input.channel,
  language: input.language ?? deps.config.organisation.defaultLanguage,
  state: 'open',
  tickets: [],
  turns: [],
  version: 0,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  expiresAt: 0,
});

const transcript = (session: ChatSession, language: Language): string => {
  const speaker = CHAT_TEXTS.speaker[language];
  const lines = session.turns.map((turn) => `${speaker[turn.from]}: ${turn.text}`);
  let text = `${CHAT_TEXTS.transcriptHeading[language]}\n\n${lines.join('\n\n')}`;
  if (text.length > TEXT_MAX) text = `…${text.slice(text.length - TEXT_MAX + 1)}`;
  return clean(text);
};

/** Opens the ticket: the question as its subject, the conversation as its description. */
const handOver = async (deps: ChatDeps, session: ChatSession, requester: ChatRequester, language: Language): Promise<Outcome> => {
  session.requester = requester;
  const identity: Identity = { id: requester.id, role: 'requester', email: requester.email, name: requester.name, teams: [] };
  const subject =
    oneLine(session.topic ?? '')
      .slice(0, SUBJECT_MAX)
      .trim() || CHAT_TEXTS.fallbackSubject[language];
  try {
    const { ticket } = await createTicket(
      deps.tickets,
      identity,
      { subject, description: transcript(session, language), channel: 'chat', language },
      // One ticket per offer, however often the yes is sent again (a retried request, a double tap).
      `chat:${session.id}:${session.createdAt}:${session.tickets.length}`,
      { channel: 'chat' },
    );
    session.tickets.push({ id: ticket.id, number: ticket.number });
    Object.assign(session, { state: 'open', topic: undefined, handoffReason: undefined, contactAttempts: undefined });
    return {
      answer: CHAT_TEXTS.ticketOpened(ticket.number, requester.email, language),
      articles: [],
      confidence: 0,
      handoff: true,
      awaiting: null,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      counters: { chatTickets: 1 },
    };
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === 'too-many-requests')) throw error;
    Object.assign(session, { state: 'open', topic: undefined, contactAttempts: undefined });
    return { answer: CHAT_TEXTS.tooManyTickets[language], articles: [], confidence: 0, handoff: true, awaiting: null, counters: {} };
  }
};

const accepted = async (deps: ChatDeps, session: ChatSession, language: Language): Promise<Outcome> => {
  if (session.requester) return handOver(deps, session, session.requester, language);
  session.state = 'contact';
  session.contactAttempts = 0;
  return { answer: CHAT_TEXTS.askContact[language], articles: [], confidence: 0, handoff: true, awaiting: 'contact', counters: {} };
};

const declined = (session: ChatSession, language: Language): Outcome => {
  Object.assign(session, { state: 'open', topic: undefined, handoffReason: undefined, contactAttempts: undefined });
  return { answer: CHAT_TEXTS.declined[language], articles: [], confidence: 0, handoff: false, awaiting: null, counters: {} };
};

/**
 * The question the requester asked before the message being answered (which is the last turn already): not a
 * greeting, a thanks, a yes or a no, nor an earlier request for a ticket, which would make poor subjects.
 */
const previousQuestion = (session: ChatSession) =>
  session.turns
    .slice(0, -1)
    .reverse()
    .find((turn) => turn.from === 'requester' && !replyTo(turn.text) && !smallTalk(turn.text) && !TICKET_ONLY.test(turn.text))?.text;

/** A new question: answered from the best article, or a ticket offered. */
const ask = async (deps: ChatDeps, session: ChatSession, message: string, language: Language): Promise<Outcome> => {
  if (TICKET_ONLY.test(message)) {
    Object.assign(session, { state: 'offered', topic: previousQuestion(session) ?? message, handoffReason: 'person-requested' });
    return {
      answer: CHAT_TEXTS.offer('person-requested', language),
      articles: [],
      confidence: 0,
      handoff: true,
      handoffReason: 'person-requested',
      awaiting: 'confirmation',
      counters: { chatHandoffs: 1 },
    };
  }
  const index = await publishedIndex(deps.articles);
  const decision = decide(index, message, language, deps.config.knowledgeBase.answerThreshold);
  if (decision.kind === 'small-talk')
    return { answer: CHAT_TEXTS[decision.talk][language], articles: [], confidence: 0, handoff: false, awaiting: null, counters: {} };
  if (decision.kind === 'answer') {
    Object.assign(session, { state: 'open', topic: undefined, handoffReason: undefined });
    const generated = deps.writer
      ? await generateAnswer(deps.writer, decision.hit, message, language, deps.onGenerationError ?? (() => undefined))
      : undefined;
    return {
      answer: answerText(decision.hit, language, generated),
      articles: decision.articles,
      confidence: decision.confidence,
      handoff: false,
      awaiting: null,
      counters: { chatAnswers: 1 },
    };
  }
  Object.assign(session, { state: 'offered', topic: message, handoffReason: decision.reason });
  return {
    answer: CHAT_TEXTS.offer(decision.reason, language),
    articles: decision.articles,
    confidence: decision.confidence,
    handoff: true,
    handoffReason: decision.reason,
    awaiting: 'confirmation',
    counters: { chatHandoffs: 1 },
  };
};

const respond = async (deps: ChatDeps, session: ChatSession, message: string, language: Language): Promise<Outcome> => {
  if (session.state === 'contact') {
    // The channel learnt who they are meanwhile (a Telegram contact shared): the ticket is for them.
    if (session.requester) return handOver(deps, session, session.requester, language);
    const email = emailIn(message);
    if (email) return handOver(deps, session, { id: `email:${email}`, email }, language);
    if (replyTo(message) === 'no') return declined(session, language);
    session.contactAttempts = (session.contactAttempts ?? 0) + 1;
    if (session.contactAttempts >= MAX_CONTACT_ATTEMPTS) return declined(session, language);
    return { answer: CHAT_TEXTS.askContactAgain[language], articles: [], confidence: 0, handoff: true, awaiting: 'contact', counters: {} };
  }
  if (session.state === 'offered') {
    const reply = replyTo(message);
    if (reply === 'yes') return accepted(deps, session, language);
    if (reply === 'no') return declined(session, language);
  }
  return ask(deps, session, message, language);
};

const turn = (from: 'requester' | 'bot', text: string, at: string) => ({ from, text: clean(text).slice(0, MAX_TURN_CHARS), at });

export const converse = async (deps: ChatDeps, input: ConverseInput): Promise<ChatReply> => {
  const now = deps.clock.now();
  await takeMessageToken(deps, input.client, now);
  const stored = input.sessionId ? await deps.sessions.getSession(input.sessionId) : undefined;
  // DynamoDB deletes expired items within days, not at once: an expired session is treated as gone.
  const live = stored && stored.expiresAt * 1000 > now.getTime() && stored.channel === input.channel ? stored : undefined;
  const session: ChatSession = live ? structuredClone(live) : newSession(deps, input, now);
  if (input.requester) session.requester = input.requester;
  const language = input.language ?? languageOf(input.message) ?? session.language;
  session.language = language;
  const at = now.toISOString();
  // The requester's words are part of the conversation before the bot acts, so a ticket opened now holds them.
  session.turns.push(turn('requester', input.message, at));
  const outcome = await respond(deps, session, input.message, language);
  const { counters, ...reply } = outcome;
  session.turns.push(turn('bot', reply.answer, at));
  session.turns = session.turns.slice(-MAX_TURNS);
  const expectedVersion = live?.version ?? 0;
  Object.assign(session, {
    version: expectedVersion + 1,
    updatedAt: at,
    expiresAt: Math.floor(now.getTime() / 1000) + deps.config.knowledgeBase.sessionIdleMinutes * 60,
  });
  try {
    await deps.sessions.saveSession(session, expectedVersion);
  } catch (error) {
    if (error instanceof ChatSessionConflict)
      throw new DomainError('conflict', 'Another message of this conversation is being answered; send yours again in a moment.');
    throw error;
  }
  await deps.counters.addCounters(localDate(now.getTime(), deps.config.organisation.timeZone), {
    chatMessages: 1,
    ...(live ? {} : { chatConversations: 1 }),
    ...counters,
  });
  return { sessionId: session.id, language, ...reply };
};

export const chatRequestSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    /** What the requester wrote; a chat message, not a document. */
    message: z.string().check(
      z.maxLength(4096, 'must be at most 4096 characters'),
      z.refine((value) => value.trim().length > 0, 'must not be empty'),
    ),
    /** The sessionId of an earlier reply; an unknown or expired one starts a new conversation. */
    sessionId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be the sessionId of an earlier reply'))),
    /** Answer in this language; by default the language of the message. */
    language: z.optional(z.enum(LANGUAGES)),
  }),
);

export const chatReplySchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    sessionId: z.string(),
    answer: z.string(),
    articles: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
    confidence: z.number(),
    handoff: z.boolean(),
    handoffReason: z.optional(z.enum(HANDOFF_REASONS)),
    awaiting: z.nullable(z.enum(['confirmation', 'contact'])),
    ticketId: z.optional(z.string()),
    ticketNumber: z.optional(z.number().check(z.int())),
    language: z.enum(LANGUAGES),
  }),
);
