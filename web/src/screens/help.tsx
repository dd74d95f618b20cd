// The answer bot on the web, for anyone, with or without an account: a conversation with the desk's
// knowledge base, day and night, that hands over to a person as a ticket when it cannot answer (POST /chat;
// docs/chatbot.md). The conversation is kept in this tab like every draft, so a reload goes on with it; the
// API forgets it after its idle time, and the next message then starts a new one.
import { useEffect, useRef } from 'preact/hooks';
import { request } from '../api.ts';
import { ErrorNotice, Heading, Notice } from '../components.tsx';
import { useDraft } from '../drafts.ts';
import { lang, t } from '../i18n.ts';
import { useSender } from '../load.ts';

/** The API's reply (chatResponseSchema in shared/domain/chat/converse.ts): the words to show and what comes next. */
type BotReply = { sessionId: string; answer: string; awaiting: 'confirmation' | 'contact' | null; ticketNumber?: number };
type Turn = { from: 'you' | 'bot'; text: string; ticketNumber?: number | undefined };
type Conversation = { sessionId?: string; awaiting: BotReply['awaiting']; turns: Turn[] };

const FRESH: Conversation = { awaiting: null, turns: [] };

export const Help = () => {
  const [conversation, setConversation, clearConversation] = useDraft<Conversation>('help-chat', FRESH);
  const [message, setMessage, clearMessage] = useDraft('help-message', '');
  const input = useRef<HTMLInputElement>(null);
  const end = useRef<HTMLLIElement>(null);
  const sender = useSender((text: string, sessionId: string | undefined) =>
    request<BotReply>('/chat', {
      method: 'POST',
      auth: false,
      body: { message: text, ...(sessionId ? { sessionId } : {}), language: lang.get() },
    }).then((reply) => reply.data),
  );
  useEffect(() => end.current?.scrollIntoView({ block: 'nearest' }), [conversation.turns.length]);

  const send = async (text: string) => {
    if (!text.trim() || sender.busy) return;
    const asked: Conversation = { ...conversation, turns: [...conversation.turns, { from: 'you', text }] };
    setConversation(asked);
    clearMessage();
    const reply = await sender.run(text, conversation.sessionId);
    if (!reply) {
      // Refused (too many messages, a fault): the question goes back into the box, to send again later.
      setConversation(conversation);
      setMessage(text);
      return;
    }
    setConversation({
      sessionId: reply.sessionId,
      awaiting: reply.awaiting,
      turns: [...asked.turns, { from: 'bot', text: reply.answer, ticketNumber: reply.ticketNumber }],
    });
    input.current?.focus();
  };
  const restart = () => {
    clearConversation();
    clearMessage();
    sender.clearError();
    input.current?.focus();
  };
  const askingEmail = conversation.awaiting === 'contact';
  return (
    <section class="page narrow">
      <Heading>{t('help.title')}</Heading>
      <p class="help">{t('help.intro')}</p>
      <div role="log" aria-label={t('help.log')}>
        <ol class="chat-log">
          {conversation.turns.length === 0 && (
            <li class="chat-turn from-bot">
              <p class="chat-text">{t('help.hello')}</p>
            </li>
          )}
          {conversation.turns.map((turn, index) => (
            <li key={index} class={`chat-turn from-${turn.from}`} ref={index === conversation.turns.length - 1 ? end : undefined}>
              <span class="visually-hidden">{turn.from === 'you' ? t('help.you') : t('help.bot')}: </span>
              <p class="chat-text">{turn.text}</p>
              {turn.ticketNumber !== undefined && <Notice kind="success">{t('help.ticket', { number: turn.ticketNumber })}</Notice>}
            </li>
          ))}
          {sender.busy && (
            <li class="chat-turn from-bot" aria-busy="true">
              <p class="chat-text">{t('help.thinking')}</p>
            </li>
          )}
        </ol>
      </div>
      {sender.offline && (
        <Notice kind="warning" action={{ label: t('error.retryNow'), run: sender.retryNow }}>
          {t('error.retrying')}
        </Notice>
      )}
      <ErrorNotice error={sender.error} />
      {conversation.awaiting === 'confirmation' && !sender.busy && (
        <fieldset class="actions chat-offer">
          <legend class="visually-hidden">{t('help.offer')}</legend>
          <button type="button" class="primary" onClick={() => void send(lang.get() === 'en' ? 'yes' : 'ya')}>
            {t('help.yes')}
          </button>
          <button type="button" class="secondary" onClick={() => void send(lang.get() === 'en' ? 'no' : 'tidak')}>
            {t('help.no')}
          </button>
        </fieldset>
      )}
      <form
        class="chat-form"
        onSubmit={(event) => {
          event.preventDefault();
          void send(message);
        }}
      >
        <label for="help-message">{askingEmail ? t('help.email') : t('help.question')}</label>
        <div class="chat-input">
          <input
            id="help-message"
            ref={input}
            type="text"
            inputMode={askingEmail ? 'email' : 'text'}
            autoComplete={askingEmail ? 'email' : 'off'}
            maxLength={4096}
            value={message}
            onInput={(event) => setMessage(event.currentTarget.value)}
          />
          <button type="submit" class="primary" disabled={sender.busy}>
            {t('help.send')}
          </button>
        </div>
      </form>
      {conversation.turns.length > 0 && (
        <p>
          <button type="button" class="link-button" onClick={restart}>
            {t('help.restart')}
          </button>
        </p>
      )}
    </section>
  );
};
