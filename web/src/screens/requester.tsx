// The requester's portal, phone-first: my tickets in plain words, a new request, and a ticket's public
// conversation with a reply box, "solved" / "reopen", and the satisfaction rating once it is resolved.
import { useRef, useState } from 'preact/hooks';
import type { SearchResult } from '#shared/domain/search/search-tickets.ts';
import type { Ticket, TicketEvent, TicketSummary } from '#shared/domain/tickets/ticket.ts';
import { type Described, describeError, request } from '../api.ts';
import { type FileLink, FileLinks, FilePicker, useAttachments } from '../attachments.tsx';
import type { Me } from '../auth.ts';
import { Choices, describedBy, ErrorNotice, Field, Heading, Loading, Notice, StatusBadge } from '../components.tsx';
import { config } from '../config.ts';
import { CustomFieldInput } from '../custom-field-input.tsx';
import { useDraft } from '../drafts.ts';
import { articleTitle, dateTime, nameOf, relative } from '../format.ts';
import { type MessageKey, t, tKey } from '../i18n.ts';
import { usePolling, useResource, useSender } from '../load.ts';
import { navigate, onLinkClick } from '../router.ts';
import { explainRefusal, fieldsFor, isRequired } from '../ticket-fields.ts';

type Page<T> = { items: T[]; cursor?: string };
type Props = { me: Me; params: Record<string, string> };

/** A requester's search of their own tickets (the API keeps it to them): words, or a number such as #12. */
const useOwnSearch = () => {
  const [typed, setTyped] = useState('');
  const [asked, setAsked] = useState('');
  const [found, setFound] = useState<{ items: Ticket[]; cursor?: string | undefined; error?: Described }>({ items: [] });
  const read = async (q: string, cursor?: string) => {
    try {
      const { data } = await request<SearchResult>(
        `/tickets/search?q=${encodeURIComponent(q)}&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const items = data.items.map((hit) => hit.ticket);
      setFound((previous) => ({ items: cursor ? [...previous.items, ...items] : items, cursor: data.cursor }));
    } catch (error) {
      setFound({ items: [], error: describeError(error) });
    }
  };
  return {
    typed,
    setTyped,
    asked,
    found,
    submit: (event: Event) => {
      event.preventDefault();
      setAsked(typed.trim());
      if (typed.trim()) void read(typed.trim());
    },
    clear: () => {
      setTyped('');
      setAsked('');
      setFound({ items: [] });
    },
    more: () => found.cursor && void read(asked, found.cursor),
  };
};

export const MyTickets = (_: Props) => {
  const [extra, setExtra] = useState<{ items: TicketSummary[]; cursor?: string | undefined }>({ items: [] });
  const search = useOwnSearch();
  const list = useResource(() => request<Page<TicketSummary>>('/tickets?requester=me&limit=25').then((reply) => reply.data), []);
  usePolling(() => void list.reload(), 30_000);
  const more = async () => {
    const cursor = extra.cursor ?? list.data?.cursor;
    if (!cursor) return;
    const { data } = await request<Page<TicketSummary>>(`/tickets?requester=me&limit=25&cursor=${encodeURIComponent(cursor)}`);
    setExtra({ items: [...extra.items, ...data.items], cursor: data.cursor });
  };
  const searching = search.asked !== '';
  const items = searching ? search.found.items : [...(list.data?.items ?? []), ...extra.items];
  const hasMore = searching ? !!search.found.cursor : extra.items.length > 0 ? !!extra.cursor : !!list.data?.cursor;
  return (
    <section class="page">
      <div class="page-head">
        <Heading>{t('mine.title')}</Heading>
        <a class="button primary" href="/tickets/new" onClick={onLinkClick}>
          {t('mine.new')}
        </a>
      </div>
      <search>
        <form class="own-search" onSubmit={search.submit}>
          <label for="own-search">{t('mine.search')}</label>
          <div class="inline-add">
            <input
              id="own-search"
              type="search"
              maxLength={200}
              value={search.typed}
              autoComplete="off"
              onInput={(event) => search.setTyped(event.currentTarget.value)}
            />
            <button type="submit" class="secondary">
              {t('search.submit')}
            </button>
          </div>
        </form>
      </search>
      {searching && (
        <p role="status" class="queue-bar">
          {search.found.items.length === 0
            ? t('search.none', { q: search.asked })
            : t('mine.found', { n: search.found.items.length, q: search.asked })}{' '}
          <button type="button" class="link-button" onClick={search.clear}>
            {t('mine.clearSearch')}
          </button>
        </p>
      )}
      <ErrorNotice error={searching ? search.found.error : list.error} retry={searching ? undefined : () => void list.reload()} />
      {list.loading && !list.data && !searching ? (
        <Loading />
      ) : items.length === 0 && !list.error && !searching ? (
        <p class="empty">{t('mine.empty')}</p>
      ) : (
        <ul class="ticket-cards">
          {items.map((ticket) => (
            <li key={ticket.id}>
              <a href={`/tickets/${ticket.id}`} onClick={onLinkClick} class="ticket-card">
                <span class="subject">{ticket.subject}</span>
                <span class="meta">
                  <StatusBadge status={ticket.status} />
                  <span>#{ticket.number}</span>
                  <span title={dateTime(ticket.updatedAt)}>{t('mine.updated', { when: relative(ticket.updatedAt) })}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {hasMore && (
        <button type="button" class="secondary" onClick={() => (searching ? search.more() : void more())}>
          {t('mine.more')}
        </button>
      )}
    </section>
  );
};

const URGENCIES = ['high', 'medium', 'low'] as const;

type NewDraft = {
  subject: string;
  description: string;
  urgency: (typeof URGENCIES)[number];
  /** '' lets the desk choose from the words (the keywords of each category). */
  category: string;
  /** Custom fields as typed, by id. */
  fields: Record<string, string>;
  key: string;
};
const EMPTY_REQUEST: NewDraft = { subject: '', description: '', urgency: 'medium', category: '', fields: {}, key: '' };

/** An article the new-request form suggests (GET /kb/suggest), and one as the API serves it (GET /kb/articles/{id}). */
type Suggested = { id: string; title: string; title_en?: string };
type Suggestion = { suggestionId: string | null; articles: Suggested[] };
type ArticlePage = Suggested & { html: string };

/**
 * Articles that may answer what the requester is writing. Asked when they leave the subject or the details, not on
 * every key: each answer with articles is counted as suggestions shown (the dashboard's deflection rate). What was
 * shown stays until an ask finds other articles, so an article being read does not vanish under the reader.
 */
const useSuggestions = () => {
  const [shown, setShown] = useState<Suggestion>({ suggestionId: null, articles: [] });
  const asked = useRef('');
  const ask = async (subject: string, description: string) => {
    // The API takes 2,000 characters of details; the first thousand say what it is about, and keep the URL short.
    const words = { subject: subject.trim().slice(0, 200), description: description.trim().slice(0, 1000) };
    const key = `${words.subject}\n${words.description}`;
    if (!key.trim() || key === asked.current) return;
    asked.current = key;
    try {
      const { data } = await request<Suggestion>(
        `/kb/suggest?subject=${encodeURIComponent(words.subject)}&description=${encodeURIComponent(words.description)}`,
      );
      if (data.articles.length > 0 && asked.current === key) setShown(data);
    } catch {
      // Suggestions are a help: without them the form works as before.
    }
  };
  return { ...shown, ask };
};

/** Tells the API what became of a suggestion; a failure changes nothing for the requester. */
const reportDeflection = (suggestionId: string, articleId: string, outcome: 'opened' | 'withdrawn') =>
  request('/kb/deflections', { method: 'POST', body: { suggestionId, articleId, outcome } }).catch(() => undefined);

const SuggestedArticles = ({ suggestion, onAnswered }: { suggestion: Suggestion; onAnswered: (articleId: string) => void }) => {
  const [open, setOpen] = useState<string>();
  const [pages, setPages] = useState<Record<string, ArticlePage | 'failed'>>({});
  const { suggestionId } = suggestion;
  if (!suggestionId || suggestion.articles.length === 0) return null;
  const toggle = async (id: string) => {
    if (open === id) return setOpen(undefined);
    setOpen(id);
    if (pages[id] && pages[id] !== 'failed') return;
    void reportDeflection(suggestionId, id, 'opened');
    try {
      const { data } = await request<ArticlePage>(`/kb/articles/${encodeURIComponent(id)}`, { auth: false });
      setPages((loaded) => ({ ...loaded, [id]: data }));
    } catch {
      setPages((loaded) => ({ ...loaded, [id]: 'failed' }));
    }
  };
  return (
    <section class="suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">{t('kb.suggested')}</h2>
      <p class="help">{t('kb.suggestedHelp')}</p>
      <ul>
        {suggestion.articles.map((article) => {
          const page = pages[article.id];
          return (
            <li key={article.id}>
              <button
                type="button"
                class="link-button suggestion"
                aria-expanded={open === article.id}
                aria-controls={`article-${article.id}`}
                onClick={() => void toggle(article.id)}
              >
                {articleTitle(article)}
              </button>
              {open === article.id && (
                <div id={`article-${article.id}`} class="suggested-article">
                  {page === undefined && <Loading />}
                  {page === 'failed' && <Notice kind="warning">{t('kb.articleFailed')}</Notice>}
                  {page && page !== 'failed' && (
                    <>
                      <article
                        class="kb-article"
                        aria-label={articleTitle(page)}
                        // Safe to insert: the API renders it with micromark's safe defaults (raw HTML shown as text, unsafe link protocols dropped), when the version is written
                        dangerouslySetInnerHTML={{ __html: page.html }}
                      />
                      <div class="actions">
                        <button type="button" class="primary" onClick={() => onAnswered(article.id)}>
                          {t('kb.answered')}
                        </button>
                        <button type="button" class="link-button" onClick={() => setOpen(undefined)}>
                          {t('kb.notAnswered')}
                        </button>
                      </div>
                    </>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
};

export const NewRequest = (_: Props) => {
  const [draft, setDraft, clearDraft] = useDraft<NewDraft>('new-request', EMPTY_REQUEST);
  const [missing, setMissing] = useState<string[]>([]);
  // A draft kept from before the form had categories and fields.
  const category = draft.category || undefined;
  const typed = draft.fields ?? {};
  const fields = fieldsFor(config().customFields, 'requester', category);
  const files = useAttachments({ draft: 'new-request' });
  // The API takes files on comments, not on a new ticket: they go as its first comment once it exists. Set, the
  // ticket is filed and only its files remain to send (again, after a failure).
  const [filed, setFiled] = useState<Ticket>();
  const suggestions = useSuggestions();
  // The requester read a suggested article and needs nothing more: nothing is filed, and the draft is let go.
  const [answered, setAnswered] = useState(false);
  const withdraw = async (articleId: string) => {
    if (suggestions.suggestionId) await reportDeflection(suggestions.suggestionId, articleId, 'withdrawn');
    clearDraft();
    files.clear();
    setAnswered(true);
  };
  const attach = useSender((ticket: Ticket, attachments: FileLink[]) =>
    request<TicketEvent>(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      body: { body: t('new.filesComment'), visibility: 'public', attachments },
    }).catch((error: unknown) => {
      files.refusedBy(error, attachments);
      throw error;
    }),
  );
  const sendFiles = async (ticket: Ticket) => {
    if (!files.canSend()) return document.getElementById('new-files')?.focus();
    const links = files.links();
    if (links.length > 0 && !(await attach.run(ticket, links))) return;
    files.clear();
    navigate(`/tickets/${ticket.id}?sent=1`);
  };
  const sender = useSender((input: NewDraft) => {
    const values = Object.entries(input.fields ?? {}).filter(([id, value]) => value.trim() && fields.some((field) => field.id === id));
    return request<Ticket>('/tickets', {
      method: 'POST',
      // The same key on every retry of this draft: a request that got through once is never filed twice.
      idempotencyKey: input.key,
      body: {
        subject: input.subject.trim(),
        description: input.description,
        urgency: input.urgency,
        channel: 'web',
        ...(input.category ? { category: input.category } : {}),
        ...(values.length > 0 ? { fields: Object.fromEntries(values.map(([id, value]) => [id, value.trim()])) } : {}),
      },
    });
  });
  const submit = async (event: Event) => {
    event.preventDefault();
    const empty = [
      ...(draft.subject.trim() ? [] : ['subject']),
      ...fields.filter((field) => isRequired(field, category) && !typed[field.id]?.trim()).map((field) => `field-${field.id}`),
    ];
    setMissing(empty);
    if (empty.length > 0) {
      document.getElementById(empty[0]!)?.focus();
      return;
    }
    if (!files.canSend()) return document.getElementById('new-files')?.focus();
    const keyed = draft.key ? draft : { ...draft, key: crypto.randomUUID() };
    setDraft(keyed);
    const reply = await sender.run(keyed);
    if (!reply) return;
    clearDraft();
    setFiled(reply.data);
    await sendFiles(reply.data);
  };
  const fieldError = (path: string) =>
    path === 'subject' && missing.includes('subject') ? t('error.fieldRequired') : sender.error?.fields[path];
  const customError = (field: (typeof fields)[number]) => {
    if (missing.includes(`field-${field.id}`)) return t('error.fieldRequired');
    const refused = sender.error?.fields[`fields.${field.id}`];
    return refused ? explainRefusal(field, typed[field.id], refused) : undefined;
  };
  if (answered)
    return (
      <section class="page narrow">
        <Heading>{t('new.title')}</Heading>
        <Notice kind="success">{t('kb.withdrawn')}</Notice>
        <p class="actions">
          <a href="/tickets" onClick={onLinkClick}>
            {t('nav.myTickets')}
          </a>
          <button type="button" class="link-button" onClick={() => setAnswered(false)}>
            {t('kb.newRequest')}
          </button>
        </p>
      </section>
    );
  if (filed)
    return (
      <section class="page narrow">
        <Heading>{t('new.title')}</Heading>
        <form
          class="card"
          onSubmit={(event) => {
            event.preventDefault();
            void sendFiles(filed);
          }}
        >
          {attach.error ? (
            <Notice kind="warning">
              {t('new.filesFailed', { number: filed.number, reason: attach.error.message })} {t('new.filesLater')}
            </Notice>
          ) : (
            <Notice kind="success">{t('new.sent', { number: filed.number })}</Notice>
          )}
          {attach.offline && (
            <Notice kind="warning" action={{ label: t('error.retryNow'), run: attach.retryNow }}>
              {t('error.retrying')}
            </Notice>
          )}
          <FilePicker id="new-files" files={files} refused={attach.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={attach.busy}>
              {attach.busy ? t('new.filesSending') : t('new.filesAgain')}
            </button>
            <a href={`/tickets/${filed.id}?sent=1`} onClick={onLinkClick}>
              {t('new.filesSkip')}
            </a>
          </div>
        </form>
      </section>
    );
  return (
    <section class="page narrow">
      <Heading>{t('new.title')}</Heading>
      <p>{t('new.intro')}</p>
      <form onSubmit={submit} noValidate class="card">
        {sender.offline && (
          <Notice kind="warning" action={{ label: t('error.retryNow'), run: sender.retryNow }}>
            {t('error.retrying')}
          </Notice>
        )}
        {/* A refused custom field is explained beside it, in words. */}
        <ErrorNotice
          error={
            sender.error && {
              ...sender.error,
              fields: Object.fromEntries(Object.entries(sender.error.fields).filter(([path]) => !path.startsWith('fields.'))),
            }
          }
        />
        <Field id="subject" label={t('new.subject')} help={t('new.subjectHelp')} error={fieldError('subject')}>
          <input
            id="subject"
            name="subject"
            required
            maxLength={200}
            autoComplete="off"
            value={draft.subject}
            aria-invalid={fieldError('subject') ? 'true' : undefined}
            aria-describedby={describedBy('subject', 'help', fieldError('subject'))}
            onInput={(event) => setDraft({ ...draft, subject: event.currentTarget.value })}
            onBlur={() => void suggestions.ask(draft.subject, draft.description)}
          />
        </Field>
        <Field id="description" label={t('new.description')} help={t('new.descriptionHelp')} error={fieldError('description')}>
          <textarea
            id="description"
            name="description"
            rows={6}
            maxLength={20000}
            value={draft.description}
            aria-describedby={describedBy('description', 'help', fieldError('description'))}
            onInput={(event) => setDraft({ ...draft, description: event.currentTarget.value })}
            onBlur={() => void suggestions.ask(draft.subject, draft.description)}
          />
        </Field>
        {/* Said to a screen reader when articles appear: they come in after the details, on the way to the next field. */}
        <p class="visually-hidden" role="status">
          {suggestions.articles.length > 0 ? t('kb.suggestedCount', { count: suggestions.articles.length }) : ''}
        </p>
        <SuggestedArticles suggestion={suggestions} onAnswered={(articleId) => void withdraw(articleId)} />
        <Choices
          name="urgency"
          legend={t('urgency.label')}
          value={draft.urgency}
          options={URGENCIES.map((urgency) => ({ value: urgency, label: t(`urgency.${urgency}` as MessageKey) }))}
          onChange={(urgency) => setDraft({ ...draft, urgency })}
        />
        <div class="field">
          <label for="category">{t('new.category')}</label>
          <p class="help" id="category-help">
            {t('new.categoryHelp')}
          </p>
          <select
            id="category"
            value={draft.category ?? ''}
            aria-describedby="category-help"
            onChange={(event) => setDraft({ ...draft, category: event.currentTarget.value })}
          >
            <option value="">{t('new.categoryAuto')}</option>
            {config().categories.map((option) => (
              <option key={option.id} value={option.id}>
                {nameOf('categories', option.id)}
              </option>
            ))}
          </select>
        </div>
        {fields.map((field) => (
          <CustomFieldInput
            key={field.id}
            id={`field-${field.id}`}
            field={field}
            required={isRequired(field, category)}
            markOptional
            value={typed[field.id] ?? ''}
            error={customError(field)}
            onChange={(value) => setDraft({ ...draft, fields: { ...typed, [field.id]: value } })}
          />
        ))}
        <FilePicker id="new-files" files={files} />
        <button type="submit" class="primary big" disabled={sender.busy}>
          {sender.busy ? t('new.sending') : t('new.submit')}
        </button>
      </form>
    </section>
  );
};

/** `olderNotShown`: the conversation is longer than one page; its newest part is shown, and the page says so. */
type Loaded = { ticket: Ticket; etag: string | undefined; events: TicketEvent[]; olderNotShown: boolean };

const loadTicket = async (id: string): Promise<Loaded> => {
  const [ticket, events] = await Promise.all([
    request<Ticket>(`/tickets/${id}`),
    request<Page<TicketEvent>>(`/tickets/${id}/events?limit=100&order=newest`),
  ]);
  return { ticket: ticket.data, etag: ticket.etag, events: [...events.data.items].reverse(), olderNotShown: !!events.data.cursor };
};

/** The requester's view: what they wrote, staff's public replies and the status changes, oldest first. */
const Conversation = ({ ticket, events, me }: { ticket: Ticket; events: TicketEvent[]; me: Me }) => {
  // A mailed request's files came with it (the TicketCreated event, when it is among the newest shown).
  const created = events.find((event) => event.type === 'TicketCreated');
  return (
    <ol class="conversation" aria-label={t('ticket.conversation')}>
      <li class="message from-you">
        <p class="message-head">
          <strong>{t('ticket.you')}</strong> · <time dateTime={ticket.createdAt}>{dateTime(ticket.createdAt)}</time>
        </p>
        <p class="message-body">{ticket.description || ticket.subject}</p>
        {created?.type === 'TicketCreated' && <FileLinks ticketId={ticket.id} eventId={created.id} files={created.data.attachments} />}
      </li>
      {events.map((event) => {
        if (event.type === 'CommentAdded') {
          const mine = event.actor.id === me.id;
          return (
            <li key={event.id} class={`message ${mine ? 'from-you' : 'from-staff'}`}>
              <p class="message-head">
                <strong>{mine ? t('ticket.you') : t('ticket.staff')}</strong> · <time dateTime={event.at}>{dateTime(event.at)}</time>
              </p>
              <p class="message-body">{event.data.body}</p>
              <FileLinks ticketId={ticket.id} eventId={event.id} files={event.data.attachments} />
            </li>
          );
        }
        if (event.type === 'StatusChanged')
          return (
            <li key={event.id} class="event-line">
              {t('ticket.statusChanged', { status: tKey(`status.${event.data.to}`) })} ·{' '}
              <time dateTime={event.at}>{dateTime(event.at)}</time>
            </li>
          );
        return null;
      })}
    </ol>
  );
};

export const TicketPage = ({ me, params }: Props) => {
  const id = params.id!;
  const loaded = useResource(() => loadTicket(id), [id]);
  usePolling(() => void loaded.reload(), 5_000);
  const [reply, setReply, clearReply] = useDraft(`reply:${id}`, '');
  const [flash, setFlash] = useState<string | undefined>(new URLSearchParams(window.location.search).has('sent') ? 'new' : undefined);
  const files = useAttachments({ draft: `reply:${id}` });
  const sender = useSender((body: string, attachments: FileLink[]) =>
    request<TicketEvent>(`/tickets/${id}/comments`, {
      method: 'POST',
      body: { body, visibility: 'public', ...(attachments.length > 0 ? { attachments } : {}) },
    }).catch((error: unknown) => {
      files.refusedBy(error, attachments);
      throw error;
    }),
  );
  const status = useSender((to: 'resolved' | 'open', etag: string | undefined) =>
    request<Ticket>(`/tickets/${id}`, { method: 'PATCH', body: { status: to }, ifMatch: etag }),
  );

  if (loaded.loading && !loaded.data) return <Loading />;
  if (!loaded.data)
    return (
      <section class="page narrow">
        <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
        <a href="/tickets" onClick={onLinkClick}>
          {t('ticket.back')}
        </a>
      </section>
    );
  const { ticket, events, etag, olderNotShown } = loaded.data;
  const send = async (event: Event) => {
    event.preventDefault();
    if (!reply.trim()) return;
    if (!files.canSend()) return document.getElementById('reply-files')?.focus();
    const sent = await sender.run(reply, files.links());
    if (!sent) return;
    clearReply();
    files.clear();
    setFlash('reply');
    await loaded.reload();
  };
  const move = async (to: 'resolved' | 'open') => {
    if (await status.run(to, etag)) await loaded.reload();
    else await loaded.reload();
  };
  const reopenable =
    ticket.status === 'resolved' &&
    (!ticket.resolvedAt || Date.now() - Date.parse(ticket.resolvedAt) < config().reopenWindowDays * 86_400_000);
  return (
    <section class="page narrow">
      <p>
        <a href="/tickets" onClick={onLinkClick}>
          ← {t('ticket.back')}
        </a>
      </p>
      {flash === 'new' && <Notice kind="success">{t('new.sent', { number: ticket.number })}</Notice>}
      <Heading>{ticket.subject}</Heading>
      <p class="ticket-facts">
        <StatusBadge status={ticket.status} /> <span>{t('ticket.number', { number: ticket.number })}</span>
        <span>{t('ticket.filed', { when: dateTime(ticket.createdAt) })}</span>
        <span>{t('ticket.routedTo', { team: nameOf('teams', ticket.team) })}</span>
      </p>
      <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
      <ErrorNotice error={status.error} />
      <h2>{t('ticket.conversation')}</h2>
      {olderNotShown && <Notice kind="info">{t('ticket.olderNotShown')}</Notice>}
      <Conversation ticket={ticket} events={events} me={me} />
      {(ticket.status === 'resolved' || ticket.status === 'closed') && <Rating ticket={ticket} onRated={() => void loaded.reload()} />}
      {ticket.status === 'closed' ? (
        <Notice kind="info">{t('ticket.closedNote')}</Notice>
      ) : (
        <form class="card reply" onSubmit={send}>
          {flash === 'reply' && <Notice kind="success">{t('ticket.sent')}</Notice>}
          {sender.offline && (
            <Notice kind="warning" action={{ label: t('error.retryNow'), run: sender.retryNow }}>
              {t('error.retrying')}
            </Notice>
          )}
          <ErrorNotice error={sender.error} />
          <Field id="reply" label={t('ticket.reply')} help={t('ticket.replyHelp')} error={sender.error?.fields.body}>
            <textarea
              id="reply"
              rows={4}
              value={reply}
              aria-describedby={describedBy('reply', 'help', sender.error?.fields.body)}
              onInput={(event) => {
                setReply(event.currentTarget.value);
                setFlash(undefined);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send(event);
              }}
            />
          </Field>
          <FilePicker id="reply-files" files={files} refused={sender.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={sender.busy || !reply.trim()}>
              {sender.busy ? t('ticket.sending') : t('ticket.send')}
            </button>
            {['new', 'open', 'pending', 'on_hold'].includes(ticket.status) && (
              <button type="button" class="secondary" disabled={status.busy} onClick={() => void move('resolved')}>
                {t('ticket.markResolved')}
              </button>
            )}
            {reopenable && (
              <button type="button" class="secondary" disabled={status.busy} onClick={() => void move('open')}>
                {t('ticket.reopen')}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
};

const RATING_WINDOW_MS = 7 * 86_400_000;

const Rating = ({ ticket, onRated }: { ticket: Ticket; onRated: () => void }) => {
  const [rating, setRating] = useState<number | undefined>(ticket.csat?.rating);
  const [comment, setComment] = useState(ticket.csat?.comment ?? '');
  const [thanks, setThanks] = useState(false);
  const sender = useSender((value: number, words: string) =>
    request(`/tickets/${ticket.id}/csat`, { method: 'PUT', body: { rating: value, comment: words } }),
  );
  const open = !ticket.resolvedAt || Date.now() - Date.parse(ticket.resolvedAt) < RATING_WINDOW_MS;
  if (!open)
    return (
      <div class="card rating">
        <h2>{t('rating.title')}</h2>
        <p>{ticket.csat ? t('rating.given', { n: ticket.csat.rating }) : t('rating.closed')}</p>
      </div>
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!rating) return;
    if (await sender.run(rating, comment.trim())) {
      setThanks(true);
      onRated();
    }
  };
  return (
    <form class="card rating" onSubmit={submit}>
      <h2 id="rating-title">{t('rating.title')}</h2>
      {thanks && rating && <Notice kind="success">{t('rating.thanks', { n: rating })}</Notice>}
      <ErrorNotice error={sender.error} />
      <fieldset class="field">
        <legend>{t('rating.help')}</legend>
        <div class="stars">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} class={`star${rating !== undefined && value <= rating ? ' lit' : ''}`}>
              <input type="radio" name="rating" value={value} checked={rating === value} onChange={() => setRating(value)} />
              <span aria-hidden="true">★</span>
              <span class="visually-hidden">{t('rating.value', { n: value })}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field id="rating-comment" label={t('rating.comment')}>
        <textarea
          id="rating-comment"
          rows={2}
          maxLength={2000}
          value={comment}
          onInput={(event) => setComment(event.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="primary" disabled={!rating || sender.busy}>
        {t('rating.submit')}
      </button>
    </form>
  );
};
