// A ticket's news in the requester's chats: the same decision table as the requester's mail
// (requesterNotice in shared/domain/mail/notify-requester.ts: received, a public staff reply, waiting on
// them, resolved), sent to every chat linked to the requester and to the chat that filed the ticket. On
// WhatsApp, past the 24-hour customer-service window, only an approved template may be sent: the
// configured status template then says what happened, and the person's reply opens the window again.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language } from '#shared/config/config-values.ts';
import type { NotificationKind } from '#shared/domain/mail/mail-templates.ts';
import { requesterNotice } from '#shared/domain/mail/notify-requester.ts';
import type { StaffMember } from '#shared/domain/staff/staff.ts';
import type { Clock } from '#shared/domain/tickets/ports.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { CHANNEL_TEXTS } from './channel-texts.ts';
import type { ChatAccount, ChatAccountStore } from './chat-account.ts';
import type { OutboundChatMessage } from './deliver.ts';

/** WhatsApp's customer-service window, less a margin for the queue's delay before the message is sent. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000 - 10 * 60_000;

export type ChatNoticeDeps = {
  accounts: Pick<ChatAccountStore, 'chatsFor'>;
  tickets: { getTicket(id: string): Promise<Ticket | undefined> };
  staff: { list(): Promise<StaffMember[]> };
  clock: Clock;
  config: HelpdeskConfig;
};

export type ChatNotices =
  | { messages: OutboundChatMessage[] }
  | { messages: []; skipped: 'no-ticket' | 'not-for-requester' | 'announced-in-chat' | 'no-chat' | 'no-template' };

const authorOf = (event: TicketEvent, ticket: Ticket, config: HelpdeskConfig, staff: StaffMember[], language: Language) =>
  staff.find((member) => member.id === event.actor.id)?.name ?? config.teams.find((team) => team.id === ticket.team)?.name[language];

const messageFor = (
  deps: ChatNoticeDeps,
  account: ChatAccount,
  kind: NotificationKind,
  event: TicketEvent,
  ticket: Ticket,
  author: string | undefined,
): OutboundChatMessage | undefined => {
  const language = ticket.language;
  const base = {
    id: `${event.id}:${account.channel}:${account.userId}`,
    channel: account.channel,
    chatId: account.chatId,
    ticketId: ticket.id,
  };
  const whatsapp = deps.config.channels.whatsapp;
  const windowClosed =
    account.channel === 'whatsapp' && deps.clock.now().getTime() - Date.parse(account.lastInboundAt) >= WHATSAPP_WINDOW_MS;
  if (windowClosed) {
    if (!whatsapp) return undefined;
    const { name, languages } = whatsapp.statusTemplate;
    return {
      ...base,
      // What the template says, for the log of what was sent and for a chat that shows text.
      text: `#${ticket.number}: ${CHANNEL_TEXTS.templateNotice[language][kind]}`,
      template: { name, language: languages[language], parameters: [String(ticket.number), CHANNEL_TEXTS.templateNotice[language][kind]] },
    };
  }
  const body = event.type === 'CommentAdded' ? event.data.body : undefined;
  return {
    ...base,
    text: CHANNEL_TEXTS.notice(kind, ticket, { body, author, reopenWindowDays: deps.config.reopenWindowDays }, language),
  };
};

/** The chat messages one ticket event causes (none, most often). */
export const chatNotices = async (deps: ChatNoticeDeps, event: TicketEvent): Promise<ChatNotices> => {
  const ticket = await deps.tickets.getTicket(event.ticketId);
  if (!ticket) return { messages: [], skipped: 'no-ticket' };
  const notice = requesterNotice(event, ticket);
  if (!notice.kind) return { messages: [], skipped: 'not-for-requester' };
  // The bot said "ticket #n is open" in the chat that filed it; a chat-filed ticket needs no second word.
  if (notice.kind === 'received' && ticket.channel === 'chat') return { messages: [], skipped: 'announced-in-chat' };
  const accounts = await deps.accounts.chatsFor(ticket.requester.id, ticket.id);
  if (accounts.length === 0) return { messages: [], skipped: 'no-chat' };
  const author = notice.kind === 'reply' ? authorOf(event, ticket, deps.config, await deps.staff.list(), ticket.language) : undefined;
  const messages = accounts.flatMap((account) => messageFor(deps, account, notice.kind, event, ticket, author) ?? []);
  return messages.length > 0 ? { messages } : { messages: [], skipped: 'no-template' };
};
