// The agents' workspace, keyboard-first: queues sorted by SLA due time (mine, my teams, unassigned, at risk,
// breached) that refresh by themselves; a ticket page with the whole history, a reply box where a public
// reply and an internal note can never be mistaken for each other, the ticket's fields with stale edits
// (412) and conflicts (409) explained and kept; and logging a phone call as a ticket for the caller.
import type { RefObject } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { SearchHit, SearchResult } from '#shared/domain/search/search-tickets.ts';
import type { StaffCard } from '#shared/domain/staff/staff-services.ts';
import type { Ticket, TicketEvent, TicketSummary } from '#shared/domain/tickets/ticket.ts';
import { ApiError, type Described, describeError, request } from '../api.ts';
import { type FileLink, FileLinks, FilePicker, useAttachments } from '../attachments.tsx';
import type { Me } from '../auth.ts';
import {
  Choices,
  describedBy,
  ErrorNotice,
  Field,
  Heading,
  Loading,
  Notice,
  PriorityBadge,
  SlaBadge,
  StatusBadge,
  staffStatus,
} from '../components.tsx';
import { config } from '../config.ts';
import { CustomFieldInput } from '../custom-field-input.tsx';
import { useDraft } from '../drafts.ts';
import { clockTime, dateTime, nameOf, relative } from '../format.ts';
import { type MessageKey, t, tKey } from '../i18n.ts';
import { usePolling, useResource, useSender } from '../load.ts';
import { location$, navigate, onLinkClick } from '../router.ts';
import { useSignal } from '../state.ts';
import { changesOf, fieldName, fieldsFor, isRequired, type TicketPatch, valueLabel } from '../ticket-fields.ts';
import { FollowButton, fieldErrorOf, MacroPanel, NoteBody, RelationsPanel, TagsEditor } from './agent-tools.tsx';

type Page<T> = { items: T[]; cursor?: string };
type Props = { me: Me; params: Record<string, string> };

const QUEUES = ['mine', 'team', 'unassigned', 'at-risk', 'breached'] as const;
type QueueName = (typeof QUEUES)[number];
const QUERY: Record<QueueName, string> = {
  mine: 'sort=due&assignee=me',
  team: 'sort=due',
  unassigned: 'sort=due&assignee=none',
  'at-risk': 'sla=at-risk',
  breached: 'sla=breached',
};
const PAGE = 50;
const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
/** The last queue opened: where `u` and "back" return to, and the order j/k walk on a ticket page. */
let lastQueue: { name: QueueName; ids: string[] } = { name: 'team', ids: [] };

let directory: Promise<StaffCard[]> | undefined;
const agents = () =>
  (directory ??= request<{ items: StaffCard[] }>('/staff').then(
    (reply) => reply.data.items,
    () => {
      directory = undefined;
      return [];
    },
  ));

const useAgents = () => {
  const [list, setList] = useState<StaffCard[]>([]);
  useEffect(() => {
    void agents().then(setList);
  }, []);
  return list;
};

const personName = (id: string | null, list: StaffCard[], ticket?: Ticket) => {
  if (!id) return t('queue.nobody');
  if (ticket && id === ticket.requester.id) return ticket.requester.name ?? ticket.requester.email ?? id;
  return list.find((agent) => agent.id === id)?.name ?? (['sla', 'router', 'system', 'mail'].includes(id) ? t('agent.system') : id);
};

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Single-key shortcuts, ignored while typing in a field (Ctrl+Enter is handled by the fields themselves). */
const useKeys = (handlers: Record<string, () => void>) => {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      // Enter on a link or a button does what that control does.
      if (event.key === 'Enter' && event.target instanceof HTMLElement && ['A', 'BUTTON'].includes(event.target.tagName)) return;
      if (document.querySelector('dialog[open]') && event.key !== '?') return;
      const handler = latest.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
};

const SHORTCUTS: [string, MessageKey][] = [
  ['?', 'keys.help'],
  ['1 – 5', 'keys.queue'],
  ['j', 'keys.next'],
  ['k', 'keys.prev'],
  ['Enter', 'keys.open'],
  ['u', 'keys.back'],
  ['a', 'keys.assign'],
  ['r', 'keys.reply'],
  ['n', 'keys.note'],
  ['Ctrl + Enter', 'keys.send'],
  ['p', 'keys.phone'],
  ['/', 'keys.search'],
  ['g', 'keys.refresh'],
];

const ShortcutHelp = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{t('keys.title')}</h2>
      <dl>
        {SHORTCUTS.map(([key, label]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="primary" onClick={onClose}>
        {t('keys.close')}
      </button>
    </dialog>
  );
};

/** The `?` key and the button both open the list of shortcuts; the common keys move between screens. */
const useWorkspaceKeys = (extra: Record<string, () => void>) => {
  const [help, setHelp] = useState(false);
  useKeys({
    '?': () => setHelp((open) => !open),
    p: () => navigate('/phone'),
    '/': () => navigate('/search'),
    ...Object.fromEntries(QUEUES.map((queue, index) => [String(index + 1), () => navigate(`/queue/${queue}`)])),
    ...extra,
  });
  const helpButton = (
    <button type="button" class="link-button shortcut-button" aria-keyshortcuts="?" onClick={() => setHelp(true)}>
      <kbd>?</kbd> {t('nav.shortcuts')}
    </button>
  );
  return { helpButton, dialog: <ShortcutHelp open={help} onClose={() => setHelp(false)} /> };
};

/** Tickets as rows (a queue, search results): SLA in words, the subject as the link, status, team, assignee. */
const TicketTable = ({
  items,
  list,
  selected,
  now,
  rows,
  onFocusRow,
  matched,
}: {
  items: TicketSummary[];
  list: StaffCard[];
  selected: number;
  now: number;
  rows: RefObject<HTMLTableSectionElement | null>;
  onFocusRow: (index: number) => void;
  /** Search: the words each ticket matched. */
  matched?: string[][];
}) => (
  <table class="queue">
    <thead>
      <tr>
        <th scope="col">{t('queue.col.sla')}</th>
        <th scope="col">{t('queue.col.ticket')}</th>
        <th scope="col">{t('queue.col.status')}</th>
        <th scope="col">{t('queue.col.priority')}</th>
        <th scope="col">{t('queue.col.team')}</th>
        <th scope="col">{t('queue.col.assignee')}</th>
      </tr>
    </thead>
    <tbody ref={rows}>
      {items.map((ticket, index) => (
        <tr key={ticket.id} class={index === selected ? 'selected' : undefined}>
          <td data-label={t('queue.col.sla')}>
            <SlaBadge ticket={ticket} now={now} />
          </td>
          <td data-label={t('queue.col.ticket')}>
            <a class="row-link" href={`/agent/tickets/${ticket.id}`} onClick={onLinkClick} onFocus={() => onFocusRow(index)}>
              <span class="number">#{ticket.number}</span> {ticket.subject}
            </a>
            <span class="requester-line">{ticket.requester.name ?? ticket.requester.email ?? ticket.requester.phone}</span>
            {matched?.[index] && matched[index].length > 0 && (
              <span class="matched">{t('search.matched', { words: matched[index].join(', ') })}</span>
            )}
          </td>
          <td data-label={t('queue.col.status')}>
            <StatusBadge status={ticket.status} staff />
          </td>
          <td data-label={t('queue.col.priority')}>
            <PriorityBadge priority={ticket.priority} />
          </td>
          <td data-label={t('queue.col.team')}>{nameOf('teams', ticket.team)}</td>
          <td data-label={t('queue.col.assignee')}>{personName(ticket.assignee, list)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const Queue = ({ params }: Props) => {
  const name = (QUEUES as readonly string[]).includes(params.queue ?? '') ? (params.queue as QueueName) : 'team';
  const list = useAgents();
  const [selected, setSelected] = useState(0);
  const [refreshedAt, setRefreshedAt] = useState<Date>();
  const [pages, setPages] = useState(1);
  const rows = useRef<HTMLTableSectionElement>(null);
  const queue = useResource(async () => {
    // Every page shown so far is read again on each refresh, so the list never jumps back to 50.
    const items: TicketSummary[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < pages; page++) {
      const { data } = await request<Page<TicketSummary>>(
        `/tickets?${QUERY[name]}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...data.items);
      cursor = data.cursor;
      if (!cursor) break;
    }
    setRefreshedAt(new Date());
    return { items, more: !!cursor };
  }, [name, pages]);
  usePolling(() => void queue.reload(), 15_000);
  const items = queue.data?.items ?? [];
  lastQueue = { name, ids: items.map((ticket) => ticket.id) };
  const open = (index: number) => {
    const ticket = items[index];
    if (ticket) navigate(`/agent/tickets/${ticket.id}`);
  };
  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    setSelected(next);
    rows.current?.querySelectorAll<HTMLAnchorElement>('a.row-link')[next]?.focus();
  };
  const keys = useWorkspaceKeys({
    j: () => focusRow(selected + 1),
    k: () => focusRow(selected - 1),
    Enter: () => open(selected),
    o: () => open(selected),
    g: () => void queue.reload(),
  });
  const now = Date.now();
  return (
    <section class="page wide">
      <div class="page-head">
        <Heading>
          {t('queue.title')}: {t(`queue.${name}` as MessageKey)}
        </Heading>
        {keys.helpButton}
      </div>
      <nav class="tabs" aria-label={t('queue.title')}>
        {QUEUES.map((queueName, index) => (
          <a
            key={queueName}
            href={`/queue/${queueName}`}
            onClick={onLinkClick}
            aria-current={queueName === name ? 'page' : undefined}
            class={`tab tab-${queueName}`}
            aria-keyshortcuts={String(index + 1)}
          >
            {t(`queue.${queueName}` as MessageKey)}
          </a>
        ))}
      </nav>
      <div class="queue-bar">
        <span role="status">
          {queue.data ? t('queue.count', { n: items.length + (queue.data.more ? '+' : '') }) : ''}
          {refreshedAt ? ` · ${t('queue.refreshed', { when: clockTime(refreshedAt) })}` : ''}
        </span>
        <button type="button" class="link-button" onClick={() => void queue.reload()} aria-keyshortcuts="g">
          {t('queue.refresh')}
        </button>
      </div>
      <ErrorNotice error={queue.error} retry={() => void queue.reload()} />
      {queue.loading && !queue.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p class="empty">{t('queue.empty')}</p>
      ) : (
        <TicketTable items={items} list={list} selected={selected} now={now} rows={rows} onFocusRow={setSelected} />
      )}
      {queue.data?.more && (
        <button type="button" class="secondary" onClick={() => setPages(pages + 1)}>
          {t('queue.more')}
        </button>
      )}
      {keys.dialog}
    </section>
  );
};

const FILTERS = ['status', 'team', 'category', 'tag', 'from', 'to'] as const;
type SearchForm = Record<'q' | (typeof FILTERS)[number], string>;

/**
 * Search (GET /tickets/search): by number (#123), the requester's address or phone, or words; filters by status,
 * team, category, tag and filing dates. The query lives in the address (/search?q=…), so back and reload keep it.
 */
export const Search = (_: Props) => {
  const list = useAgents();
  const path = useSignal(location$);
  const query = new URLSearchParams(path.split('?')[1] ?? '');
  const initial = Object.fromEntries(['q', ...FILTERS].map((key) => [key, query.get(key) ?? ''])) as SearchForm;
  const [form, setForm] = useState<SearchForm>(initial);
  const [selected, setSelected] = useState(0);
  const [extra, setExtra] = useState<{ hits: SearchHit[]; cursor?: string | undefined }>({ hits: [] });
  const rows = useRef<HTMLTableSectionElement>(null);
  const box = useRef<HTMLInputElement>(null);
  const asked = new URLSearchParams(Object.entries(initial).filter(([, value]) => value.trim()));
  const result = useResource(
    async () => (initial.q.trim() ? (await request<SearchResult>(`/tickets/search?${asked}&limit=25`)).data : undefined),
    [asked.toString()],
  );
  const hits = [...(result.data?.items ?? []), ...extra.hits];
  const cursor = extra.hits.length > 0 ? extra.cursor : result.data?.cursor;
  const items = hits.map((hit) => hit.ticket);
  const more = async () => {
    if (!cursor) return;
    const { data } = await request<SearchResult>(`/tickets/search?${asked}&limit=25&cursor=${encodeURIComponent(cursor)}`);
    setExtra({ hits: [...extra.hits, ...data.items], cursor: data.cursor });
  };
  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    setSelected(next);
    rows.current?.querySelectorAll<HTMLAnchorElement>('a.row-link')[next]?.focus();
  };
  const keys = useWorkspaceKeys({
    j: () => focusRow(selected + 1),
    k: () => focusRow(selected - 1),
    '/': () => box.current?.focus(),
  });
  useEffect(() => {
    if (!initial.q) box.current?.focus();
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    if (!form.q.trim()) return box.current?.focus();
    navigate(`/search?${new URLSearchParams(Object.entries(form).filter(([, value]) => value.trim()))}`);
  };
  const set = (key: keyof SearchForm) => (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setForm({ ...form, [key]: event.currentTarget.value });
  const filtered = FILTERS.some((key) => initial[key]);
  const choice = (key: 'status' | 'team' | 'category', label: string, options: { value: string; label: string }[]) => (
    <div class="field">
      <label for={`search-${key}`}>{label}</label>
      <select id={`search-${key}`} value={form[key]} onChange={set(key)}>
        <option value="">{t('search.any')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section class="page wide">
      <div class="page-head">
        <Heading>{t('search.title')}</Heading>
        {keys.helpButton}
      </div>
      <search>
        <form class="card search-form" onSubmit={submit}>
          <div class="search-line">
            <Field id="search-q" label={t('search.label')} help={t('search.help')}>
              <input
                id="search-q"
                ref={box}
                type="search"
                value={form.q}
                maxLength={200}
                autoComplete="off"
                aria-describedby="search-q-help"
                aria-keyshortcuts="/"
                onInput={set('q')}
              />
            </Field>
            <button type="submit" class="primary">
              {t('search.submit')}
            </button>
          </div>
          <details open={filtered}>
            <summary>{t('search.filters')}</summary>
            <div class="filters">
              {choice(
                'status',
                t('agent.status'),
                STATUSES.map((status) => ({
                  value: status,
                  label: staffStatus(status),
                })),
              )}
              {choice(
                'team',
                t('agent.team'),
                config().teams.map((team) => ({ value: team.id, label: nameOf('teams', team.id) })),
              )}
              {choice(
                'category',
                t('agent.category'),
                config().categories.map((category) => ({ value: category.id, label: nameOf('categories', category.id) })),
              )}
              <div class="field">
                <label for="search-tag">{t('search.tag')}</label>
                <input id="search-tag" list="search-known-tags" value={form.tag} autoComplete="off" onInput={set('tag')} />
                <datalist id="search-known-tags">
                  {config().tags.known.map((tag) => (
                    <option key={tag} value={tag} />
                  ))}
                </datalist>
              </div>
              <div class="field">
                <label for="search-from">{t('search.from')}</label>
                <input id="search-from" type="date" value={form.from} onInput={set('from')} />
              </div>
              <div class="field">
                <label for="search-to">{t('search.to')}</label>
                <input id="search-to" type="date" value={form.to} onInput={set('to')} />
              </div>
            </div>
          </details>
        </form>
      </search>
      <ErrorNotice error={result.error} retry={() => void result.reload()} />
      {!initial.q.trim() ? (
        <p class="empty">{t('search.start')}</p>
      ) : result.loading && !result.data ? (
        <Loading />
      ) : (
        <>
          <p role="status" class="queue-bar">
            {items.length === 0
              ? t('search.none', { q: initial.q })
              : t('search.count', { n: items.length + (cursor ? '+' : ''), q: initial.q })}
          </p>
          {items.length > 0 && (
            <TicketTable
              items={items}
              list={list}
              selected={selected}
              now={Date.now()}
              rows={rows}
              onFocusRow={setSelected}
              matched={hits.map((hit) => hit.matched)}
            />
          )}
          {cursor && (
            <button type="button" class="secondary" onClick={() => void more()}>
              {t('queue.more')}
            </button>
          )}
        </>
      )}
      {keys.dialog}
    </section>
  );
};

/**
 * The ticket, its newest history (at most HISTORY_MAX items, oldest first; `olderNotShown` when there is
 * more) and the newest audit records of reads (`views`; `moreViews` when there are older ones).
 */
type Loaded = {
  ticket: Ticket;
  etag: string | undefined;
  events: TicketEvent[];
  olderNotShown: boolean;
  views: TicketEvent[];
  moreViews: boolean;
};

type Patch = TicketPatch;
type Standard = 'status' | 'priority' | 'category' | 'team' | 'assignee';

const HISTORY_MAX = 1000;

const loadAll = async (id: string): Promise<Loaded> => {
  const [ticket, history, views] = await Promise.all([
    request<Ticket>(`/tickets/${id}`),
    readHistory(id),
    request<Page<TicketEvent>>(`/tickets/${id}/views?limit=100`),
  ]);
  return { ticket: ticket.data, etag: ticket.etag, ...history, views: views.data.items, moreViews: !!views.data.cursor };
};

/** The newest history, read newest first a page at a time up to HISTORY_MAX, shown oldest first. */
const readHistory = async (id: string) => {
  const events: TicketEvent[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await request<Page<TicketEvent>>(
      `/tickets/${id}/events?limit=100&order=newest${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    events.push(...data.items);
    cursor = data.cursor;
  } while (cursor && events.length < HISTORY_MAX);
  return { events: events.reverse(), olderNotShown: !!cursor };
};

const eventText = (event: TicketEvent, list: StaffCard[], ticket: Ticket): string => {
  const data = event.data as Record<string, unknown>;
  const who = (id: unknown) => personName(typeof id === 'string' ? id : null, list, ticket);
  switch (event.type) {
    case 'TicketCreated':
      return t('agent.event.TicketCreated', {
        channel: tKey(`channel.${data.channel}`),
        category: nameOf('categories', String(data.category)),
        team: nameOf('teams', String(data.team)),
      });
    case 'StatusChanged':
      return t('agent.event.StatusChanged', { from: staffStatus(String(data.from)), to: staffStatus(String(data.to)) });
    case 'PriorityChanged':
      return t('agent.event.PriorityChanged', { from: tKey(`priority.${data.from}`), to: tKey(`priority.${data.to}`) });
    case 'CategoryChanged':
      return t('agent.event.CategoryChanged', { from: nameOf('categories', String(data.from)), to: nameOf('categories', String(data.to)) });
    case 'TeamChanged':
      return t('agent.event.TeamChanged', { from: nameOf('teams', String(data.from)), to: nameOf('teams', String(data.to)) });
    case 'Assigned':
      return t('agent.event.Assigned', { from: who(data.from), to: who(data.to) });
    case 'SlaWarning':
    case 'SlaBreached':
      return t(`agent.event.${event.type}`, { clock: tKey(`agent.clock.${data.clock}`) });
    case 'Escalated':
      return t('agent.event.Escalated', { level: String(data.level), action: String(data.action) });
    case 'CsatRated':
      return t('agent.event.CsatRated', { rating: String(data.rating) });
    case 'TicketViewed':
      return t('agent.event.TicketViewed', { who: who(event.actor.id) });
    case 'TagsChanged':
      return t('agent.event.TagsChanged', { added: list_(data.added), removed: list_(data.removed) });
    case 'FieldsChanged':
      return (data.changes as { field: string; from: string | number | null; to: string | number | null }[])
        .map((change) => {
          const field = config().customFields.find((candidate) => candidate.id === change.field);
          return t('agent.event.FieldChanged', {
            field: field ? fieldName(field) : change.field,
            from: valueLabel(field, change.from),
            to: valueLabel(field, change.to),
          });
        })
        .join('; ');
    case 'MacroApplied':
      return t('agent.event.MacroApplied', { name: String(data.name) });
    case 'Merged':
      return t('agent.event.Merged', { number: (data.into as { number: number }).number });
    case 'DuplicateMerged':
      return t('agent.event.DuplicateMerged', { number: (data.duplicate as { number: number }).number });
    case 'Linked':
      return t('agent.event.Linked', {
        number: (data.ticket as { number: number }).number,
        kind: tKey(`relate.${String(data.kind)}`),
      });
    case 'Followed':
    case 'Unfollowed':
      return t(`agent.event.${event.type}`, { who: who(data.staff) });
    default:
      return t('agent.event.RequesterErased');
  }
};

/** Tags in an event line: "wifi-lab, ujian", or a dash for none. */
const list_ = (tags: unknown) => (Array.isArray(tags) && tags.length > 0 ? tags.join(', ') : '—');

const History = ({ ticket, loaded, list }: { ticket: Ticket; loaded: Loaded; list: StaffCard[] }) => {
  const [showViews, setShowViews] = useState(false);
  const { views, moreViews, olderNotShown } = loaded;
  // The audit records of reads are kept apart from the history; shown in it, by time, when asked for.
  const events = showViews ? [...loaded.events, ...views].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : loaded.events;
  // A mailed request's files came with it.
  const created = loaded.events.find((event) => event.type === 'TicketCreated');
  return (
    <section aria-labelledby="history-title">
      <div class="section-head">
        <h2 id="history-title">{t('agent.history')}</h2>
        {views.length > 0 && (
          <label class="check">
            <input type="checkbox" checked={showViews} onChange={(event) => setShowViews(event.currentTarget.checked)} />
            {t(moreViews ? 'agent.showViewsMore' : 'agent.showViews', { n: views.length })}
          </label>
        )}
      </div>
      {olderNotShown && <Notice kind="info">{t('agent.olderNotShown')}</Notice>}
      <ol class="history">
        <li class="message from-requester">
          <p class="message-head">
            <span class="tag tag-requester">{t('agent.requesterBadge')}</span>{' '}
            <strong>{personName(ticket.requester.id, list, ticket)}</strong> ·{' '}
            <time dateTime={ticket.createdAt}>{dateTime(ticket.createdAt)}</time>
          </p>
          <p class="message-body">{ticket.description || ticket.subject}</p>
          {created?.type === 'TicketCreated' && <FileLinks ticketId={ticket.id} eventId={created.id} files={created.data.attachments} />}
        </li>
        {events.map((event) => {
          if (event.type === 'CommentAdded') {
            const data = event.data as {
              body: string;
              visibility: 'public' | 'internal';
              mentions?: string[];
              attachments?: { name: string; size: number }[];
            };
            const fromRequester = event.actor.id === ticket.requester.id;
            const kind = data.visibility === 'internal' ? 'internal' : fromRequester ? 'requester' : 'public';
            return (
              <li key={event.id} class={`message from-${kind === 'public' ? 'staff' : kind}`}>
                <p class="message-head">
                  <span class={`tag tag-${kind}`}>
                    {t(kind === 'internal' ? 'agent.noteBadge' : kind === 'requester' ? 'agent.requesterBadge' : 'agent.replyBadge')}
                  </span>{' '}
                  <strong>{personName(event.actor.id, list, ticket)}</strong> · <time dateTime={event.at}>{dateTime(event.at)}</time>
                </p>
                {kind === 'internal' ? (
                  <NoteBody body={data.body} mentioned={(data.mentions ?? []).map((id) => personName(id, list))} />
                ) : (
                  <p class="message-body">{data.body}</p>
                )}
                <FileLinks ticketId={ticket.id} eventId={event.id} files={data.attachments} />
              </li>
            );
          }
          return (
            <li key={event.id} class={`event-line event-${event.type}`}>
              {eventText(event, list, ticket)} · {personName(event.actor.id, list, ticket)} ·{' '}
              <time dateTime={event.at}>{dateTime(event.at)}</time>
            </li>
          );
        })}
      </ol>
    </section>
  );
};

type Mode = 'public' | 'internal';

const Composer = ({ ticket, onSent }: { ticket: Ticket; onSent: () => void }) => {
  const [draft, setDraft, clearDraft] = useDraft<{ mode: Mode; body: string }>(`agent-reply:${ticket.id}`, { mode: 'public', body: '' });
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState<Mode>();
  const box = useRef<HTMLTextAreaElement>(null);
  const files = useAttachments({ draft: `agent-reply:${ticket.id}` });
  const sender = useSender((body: string, visibility: Mode, attachments: FileLink[]) =>
    request<TicketEvent>(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      body: { body, visibility, ...(attachments.length > 0 ? { attachments } : {}) },
    }).catch((error: unknown) => {
      files.refusedBy(error, attachments);
      throw error;
    }),
  );
  const requesterName = ticket.requester.name ?? ticket.requester.email ?? ticket.requester.phone ?? '';
  const send = async () => {
    const sent = await sender.run(draft.body, draft.mode, files.links());
    setConfirming(false);
    if (!sent) return;
    setSaved(draft.mode);
    files.clear();
    clearDraft();
    setDraft({ mode: draft.mode, body: '' });
    onSent();
  };
  const submit = (event?: Event) => {
    event?.preventDefault();
    if (!draft.body.trim()) return;
    if (!files.canSend()) return document.getElementById('composer-files')?.focus();
    // A public reply goes to the requester's mailbox: one more, explicit step; a note does not need it.
    if (draft.mode === 'public' && !confirming) setConfirming(true);
    else void send();
  };
  const mode = (next: Mode) => {
    setDraft({ ...draft, mode: next });
    setConfirming(false);
    box.current?.focus();
  };
  useKeys({ r: () => mode('public'), n: () => mode('internal') });
  const internal = draft.mode === 'internal';
  return (
    <form class={`card composer composer-${draft.mode}`} onSubmit={submit} aria-labelledby="composer-title">
      <h2 id="composer-title" class="visually-hidden">
        {internal ? t('agent.internal') : t('agent.public')}
      </h2>
      <fieldset class="mode">
        <legend class="visually-hidden">
          {t('agent.public')} / {t('agent.internal')}
        </legend>
        <label class={`mode-option mode-public${!internal ? ' active' : ''}`}>
          <input type="radio" name="mode" checked={!internal} onChange={() => mode('public')} aria-keyshortcuts="r" />
          {t('agent.public')}
        </label>
        <label class={`mode-option mode-internal${internal ? ' active' : ''}`}>
          <input type="radio" name="mode" checked={internal} onChange={() => mode('internal')} aria-keyshortcuts="n" />
          {t('agent.internal')}
        </label>
      </fieldset>
      {saved && !draft.body && <Notice kind="success">{saved === 'internal' ? t('agent.noteSaved') : t('agent.replySent')}</Notice>}
      {sender.offline && (
        <Notice kind="warning" action={{ label: t('error.retryNow'), run: sender.retryNow }}>
          {t('error.retrying')}
        </Notice>
      )}
      <ErrorNotice error={sender.error} />
      <Field
        id="composer-body"
        label={internal ? t('agent.internal') : t('agent.public')}
        help={internal ? t('agent.internalHelp') : t('agent.publicHelp')}
      >
        <textarea
          id="composer-body"
          ref={box}
          rows={5}
          value={draft.body}
          aria-describedby={describedBy('composer-body', 'help')}
          onInput={(event) => {
            setDraft({ ...draft, body: event.currentTarget.value });
            setConfirming(false);
            setSaved(undefined);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
            if (event.key === 'Escape' && confirming) setConfirming(false);
          }}
        />
      </Field>
      <FilePicker
        id="composer-files"
        files={files}
        refused={sender.error}
        note={internal ? t('files.internalNote') : t('files.publicNote')}
      />
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">{t('agent.confirmPublic', { name: requesterName })}</p>
          <div class="actions">
            <button
              type="button"
              class="primary public"
              onClick={() => void send()}
              disabled={sender.busy}
              ref={(button) => button?.focus()}
            >
              {t('agent.confirmYes')}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t('agent.confirmNo')}
            </button>
          </div>
        </div>
      ) : (
        <button type="submit" class={`primary ${draft.mode}`} disabled={sender.busy || !draft.body.trim()}>
          {internal ? t('agent.sendInternal') : t('agent.sendPublic')}
        </button>
      )}
    </form>
  );
};

const DetailsForm = ({
  me,
  loaded,
  list,
  onSaved,
  reload,
}: {
  me: Me;
  loaded: Loaded;
  list: StaffCard[];
  onSaved: (next: Loaded) => void;
  reload: () => Promise<void>;
}) => {
  const { ticket, etag } = loaded;
  const [patch, setPatch] = useState<Patch>({});
  const [problem, setProblem] = useState<Described>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const value = <K extends Standard>(key: K) => (key in patch ? patch[key] : ticket[key]) as Ticket[K];
  const changes = changesOf(ticket, patch);
  const team = value('team');
  const category = value('category');
  const candidates = list.filter((agent) => agent.teams.includes(team));
  const tags = patch.tags ?? ticket.tags ?? [];
  const fieldValue = (id: string) => patch.fields?.[id] ?? String(ticket.fields?.[id] ?? '');
  const save = async (body: Patch) => {
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    setProblem(undefined);
    setSaved(false);
    try {
      // Only the fields the form shows: one left over from a category changed in the same save is not sent.
      const shown = new Set(fieldsFor(config().customFields, me.role, body.category ?? ticket.category).map((field) => field.id));
      const { fields, ...rest } = body;
      const kept = Object.entries(fields ?? {}).filter(([id]) => shown.has(id));
      const sent = kept.length > 0 ? { ...rest, fields: Object.fromEntries(kept.map(([id, next]) => [id, next.trim() || null])) } : rest;
      if (Object.keys(sent).length === 0) return;
      const reply = await request<Ticket>(`/tickets/${ticket.id}`, { method: 'PATCH', body: sent, ifMatch: etag });
      setPatch({});
      setSaved(true);
      onSaved({ ...loaded, ticket: reply.data, etag: reply.etag });
    } catch (error) {
      setProblem(describeError(error));
      // Stale: fetch what the other person saved; the choices made here stay in `patch`, shown over it.
      if (error instanceof ApiError && error.status === 412) await reload();
    } finally {
      setBusy(false);
    }
  };
  useKeys({ a: () => void save({ assignee: me.id }) });
  const select = <K extends Standard>(key: K, options: { value: string; label: string }[], label: string) => (
    <div class={`field${key in changes ? ' field-changed' : ''}`}>
      <label for={`field-${key}`}>{label}</label>
      <select
        id={`field-${key}`}
        value={String(value(key) ?? '')}
        aria-invalid={problem?.fields[key] ? 'true' : undefined}
        onChange={(event) => {
          const next = event.currentTarget.value;
          setPatch({ ...patch, [key]: key === 'assignee' && next === '' ? null : next });
          setSaved(false);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {problem?.fields[key] && <p class="field-error">{problem.fields[key]}</p>}
    </div>
  );
  return (
    <form
      class="card details"
      aria-labelledby="details-title"
      onSubmit={(event) => {
        event.preventDefault();
        void save(changes);
      }}
    >
      <h2 id="details-title">{t('agent.details')}</h2>
      {/* Each refused field is explained beside it; the notice says what happened. */}
      {problem && <ErrorNotice error={{ ...problem, fields: {} }} />}
      {saved && <Notice kind="success">{t('agent.saved')}</Notice>}
      {select(
        'status',
        STATUSES.map((status) => ({ value: status, label: staffStatus(status) })),
        t('agent.status'),
      )}
      {select(
        'priority',
        PRIORITIES.map((priority) => ({ value: priority, label: tKey(`priority.${priority}`) })),
        t('agent.priority'),
      )}
      {select(
        'category',
        config().categories.map((category) => ({ value: category.id, label: nameOf('categories', category.id) })),
        t('agent.category'),
      )}
      {select(
        'team',
        config().teams.map((option) => ({ value: option.id, label: nameOf('teams', option.id) })),
        t('agent.team'),
      )}
      {select(
        'assignee',
        [{ value: '', label: t('agent.unassigned') }, ...candidates.map((agent) => ({ value: agent.id, label: agent.name }))],
        t('agent.assignee'),
      )}
      <TagsEditor
        tags={tags}
        changed={'tags' in changes}
        error={problem ? Object.entries(problem.fields).find(([path]) => path === 'tags' || path.startsWith('tags.'))?.[1] : undefined}
        onChange={(next) => {
          setPatch({ ...patch, tags: next });
          setSaved(false);
        }}
      />
      {fieldsFor(config().customFields, me.role, category).map((field) => (
        <CustomFieldInput
          key={field.id}
          id={`custom-${field.id}`}
          field={field}
          required={isRequired(field, category)}
          value={fieldValue(field.id)}
          changed={changes.fields !== undefined && field.id in changes.fields}
          error={fieldErrorOf(problem, field, fieldValue(field.id))}
          onChange={(next) => {
            setPatch({ ...patch, fields: { ...patch.fields, [field.id]: next } });
            setSaved(false);
          }}
        />
      ))}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || Object.keys(changes).length === 0}>
          {busy ? t('agent.saving') : t('agent.save')}
        </button>
        {ticket.assignee !== me.id && (
          <button type="button" class="secondary" disabled={busy} onClick={() => void save({ assignee: me.id })} aria-keyshortcuts="a">
            {t('agent.assignMe')}
          </button>
        )}
      </div>
    </form>
  );
};

export const AgentTicket = ({ me, params }: Props) => {
  const id = params.id!;
  const list = useAgents();
  const loaded = useResource(() => loadAll(id), [id]);
  usePolling(() => void loaded.reload(), 20_000);
  const step = useCallback(
    (by: number) => {
      const index = lastQueue.ids.indexOf(id);
      const next = lastQueue.ids[index + by];
      if (index >= 0 && next) navigate(`/agent/tickets/${next}`);
    },
    [id],
  );
  const keys = useWorkspaceKeys({ u: () => navigate(`/queue/${lastQueue.name}`), j: () => step(1), k: () => step(-1) });
  if (loaded.loading && !loaded.data) return <Loading />;
  if (!loaded.data)
    return (
      <section class="page">
        <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
      </section>
    );
  const { ticket } = loaded.data;
  const contact = [ticket.requester.email, ticket.requester.phone].filter(Boolean).join(' · ');
  return (
    <section class="page wide">
      <div class="page-head">
        <a href={`/queue/${lastQueue.name}`} onClick={onLinkClick} aria-keyshortcuts="u">
          ← {t(`queue.${lastQueue.name}` as MessageKey)}
        </a>
        {keys.helpButton}
      </div>
      <Heading>
        <span class="number">#{ticket.number}</span> {ticket.subject}
      </Heading>
      <p class="ticket-facts">
        <StatusBadge status={ticket.status} staff /> <PriorityBadge priority={ticket.priority} /> <SlaBadge ticket={ticket} />
        <span>
          {t('agent.requester')}:{' '}
          <a href={`/requesters/${encodeURIComponent(ticket.requester.id)}`} onClick={onLinkClick}>
            <strong>{personName(ticket.requester.id, list, ticket)}</strong>
          </a>
          {contact ? ` (${contact})` : ''}
        </span>
        <span>
          {t('agent.channel')}: {tKey(`channel.${ticket.channel}`)}
        </span>
        <span title={dateTime(ticket.createdAt)}>{t('ticket.filed', { when: relative(ticket.createdAt) })}</span>
        {ticket.csat && <span>{t('agent.csat', { n: ticket.csat.rating })}</span>}
        {ticket.mergedInto && (
          <span class="merged-into">
            {t('relate.mergedInto')}{' '}
            <a href={`/agent/tickets/${ticket.mergedInto.id}`} onClick={onLinkClick}>
              #{ticket.mergedInto.number}
            </a>
          </span>
        )}
      </p>
      <FollowButton ticket={ticket} me={me} onSaved={(saved) => loaded.set({ ...loaded.data!, ...saved })} />
      <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
      <div class="ticket-layout">
        <div class="ticket-main">
          <History ticket={ticket} loaded={loaded.data} list={list} />
          {ticket.status !== 'closed' && <Composer ticket={ticket} onSent={() => void loaded.reload()} />}
        </div>
        <aside class="ticket-side">
          {ticket.status !== 'closed' && (
            <MacroPanel
              ticket={ticket}
              etag={loaded.data.etag}
              describe={(event) => eventText(event, list, ticket)}
              onApplied={() => void loaded.reload()}
              reload={loaded.reload}
            />
          )}
          <DetailsForm me={me} loaded={loaded.data} list={list} onSaved={(next) => loaded.set(next)} reload={loaded.reload} />
          <RelationsPanel ticket={ticket} onChanged={loaded.reload} />
        </aside>
      </div>
      {keys.dialog}
    </section>
  );
};

type PhoneDraft = {
  name: string;
  phone: string;
  email: string;
  subject: string;
  description: string;
  urgency: 'high' | 'medium' | 'low';
  impact: 'high' | 'medium' | 'low';
  key: string;
};
const EMPTY_CALL: PhoneDraft = {
  name: '',
  phone: '',
  email: '',
  subject: '',
  description: '',
  urgency: 'medium',
  impact: 'medium',
  key: '',
};

export const PhoneTicket = (_: Props) => {
  const [draft, setDraft, clearDraft] = useDraft<PhoneDraft>('phone-call', EMPTY_CALL);
  const [missing, setMissing] = useState<string[]>([]);
  const keys = useWorkspaceKeys({});
  const sender = useSender((input: PhoneDraft) =>
    request<Ticket>('/tickets', {
      method: 'POST',
      idempotencyKey: input.key,
      body: {
        subject: input.subject.trim(),
        description: input.description,
        urgency: input.urgency,
        impact: input.impact,
        channel: 'phone',
        requester: { name: input.name.trim(), phone: input.phone.trim(), ...(input.email.trim() ? { email: input.email.trim() } : {}) },
      },
    }),
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    const empty = (['name', 'phone', 'subject'] as const).filter((key) => !draft[key].trim());
    setMissing(empty);
    if (empty.length > 0) {
      document.getElementById(`call-${empty[0]}`)?.focus();
      return;
    }
    const keyed = draft.key ? draft : { ...draft, key: crypto.randomUUID() };
    setDraft(keyed);
    const reply = await sender.run(keyed);
    if (!reply) return;
    clearDraft();
    navigate(`/agent/tickets/${reply.data.id}`);
  };
  const errorOf = (key: string, path: string) => (missing.includes(key) ? t('error.fieldRequired') : sender.error?.fields[path]);
  const input = (
    key: 'name' | 'phone' | 'email' | 'subject',
    label: MessageKey,
    path: string,
    type: 'text' | 'tel' | 'email' = 'text',
    help?: MessageKey,
  ) => (
    <Field id={`call-${key}`} label={t(label)} help={help ? t(help) : undefined} error={errorOf(key, path)}>
      <input
        id={`call-${key}`}
        type={type as 'text'}
        value={draft[key]}
        autoComplete="off"
        aria-invalid={errorOf(key, path) ? 'true' : undefined}
        aria-describedby={describedBy(`call-${key}`, help, errorOf(key, path))}
        onInput={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
      />
    </Field>
  );
  const levels = (key: 'urgency' | 'impact', legend: MessageKey, label: (level: string) => MessageKey) => (
    <Choices
      name={key}
      legend={t(legend)}
      value={draft[key]}
      options={(['high', 'medium', 'low'] as const).map((level) => ({ value: level, label: t(label(level)) }))}
      onChange={(level) => setDraft({ ...draft, [key]: level })}
    />
  );
  return (
    <section class="page narrow">
      <div class="page-head">
        <Heading>{t('phone.title')}</Heading>
        {keys.helpButton}
      </div>
      <p>{t('phone.intro')}</p>
      <form class="card" onSubmit={submit} noValidate>
        {sender.offline && (
          <Notice kind="warning" action={{ label: t('error.retryNow'), run: sender.retryNow }}>
            {t('error.retrying')}
          </Notice>
        )}
        <ErrorNotice error={sender.error} />
        {input('name', 'phone.name', 'requester.name')}
        {input('phone', 'phone.number', 'requester.phone', 'tel', 'phone.numberHelp')}
        {input('email', 'phone.email', 'requester.email', 'email')}
        {input('subject', 'new.subject', 'subject')}
        <Field id="call-description" label={t('new.description')}>
          <textarea
            id="call-description"
            rows={4}
            value={draft.description}
            onInput={(event) => setDraft({ ...draft, description: event.currentTarget.value })}
          />
        </Field>
        {levels('urgency', 'urgency.label', (level) => `urgency.${level}` as MessageKey)}
        {levels('impact', 'phone.impact', (level) => `phone.impact.${level}` as MessageKey)}
        <button type="submit" class="primary big" disabled={sender.busy}>
          {t('phone.submit')}
        </button>
      </form>
      {keys.dialog}
    </section>
  );
};
