// The ticket page's tools beyond its fields (issue 14 in the console): macros and canned replies, the tags and
// custom fields editors of the details form, merging a duplicate and linking tickets, following, and the
// `@name` mentions of an internal note. Each change goes with the ticket's version (If-Match) where the API
// takes one, and a refusal is said in plain words with nothing lost.
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleField } from '#shared/console/console-config.ts';
import type { Macro } from '#shared/domain/macros/macros.ts';
import type { SearchResult } from '#shared/domain/search/search-tickets.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { ApiError, type Described, describeError, request } from '../api.ts';
import type { Me } from '../auth.ts';
import { describedBy, ErrorNotice, Notice } from '../components.tsx';
import { config } from '../config.ts';
import { lang, type MessageKey, t } from '../i18n.ts';
import { macroChanges, macros } from '../macro-list.ts';
import { onLinkClick } from '../router.ts';
import { explainRefusal, parseTags, splitMentions } from '../ticket-fields.ts';

type Saved = { ticket: Ticket; etag: string | undefined };

/** Where a failed change leaves the page: the reason, and (412) the ticket read again. */
const refusal = async (error: unknown, reload: () => Promise<void>): Promise<Described> => {
  const described = describeError(error);
  if (error instanceof ApiError && error.status === 412) await reload();
  return described;
};

// ---- Macros ------------------------------------------------------------------------------------------------

export const MacroPanel = ({
  ticket,
  etag,
  describe,
  onApplied,
  reload,
}: {
  ticket: Ticket;
  etag: string | undefined;
  describe: (event: TicketEvent) => string;
  onApplied: (saved: Saved) => void;
  reload: () => Promise<void>;
}) => {
  const [list, setList] = useState<Macro[]>();
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Described>();
  const [applied, setApplied] = useState<{ name: string; reply?: string; changes: string[] }>();
  useEffect(() => {
    void macros().then(setList);
  }, []);
  const macro = list?.find((candidate) => candidate.id === chosen);
  const language = ticket.language;
  const apply = async (event: Event) => {
    event.preventDefault();
    if (!macro) return;
    setBusy(true);
    setProblem(undefined);
    setApplied(undefined);
    try {
      const reply = await request<{ ticket: Ticket; events: TicketEvent[] }>(
        `/tickets/${ticket.id}/macros/${encodeURIComponent(macro.id)}`,
        {
          method: 'POST',
          ifMatch: etag,
        },
      );
      const comment = reply.data.events.find((item) => item.type === 'CommentAdded');
      setApplied({
        name: macro.name[lang.get()],
        ...(comment?.type === 'CommentAdded' ? { reply: comment.data.body } : {}),
        changes: reply.data.events.filter((item) => item.type !== 'CommentAdded' && item.type !== 'MacroApplied').map(describe),
      });
      setChosen('');
      onApplied({ ticket: reply.data.ticket, etag: reply.etag });
    } catch (error) {
      setProblem(await refusal(error, reload));
    } finally {
      setBusy(false);
    }
  };
  const explain = (described: Described) =>
    described.status === 409
      ? t('macro.conflict', { detail: described.message })
      : described.status === 412
        ? t('macro.stale')
        : described.status === 422 || described.status === 400
          ? t('macro.invalid')
          : described.message;
  return (
    <form class="card macros" aria-labelledby="macros-title" onSubmit={apply}>
      <h2 id="macros-title">{t('macro.title')}</h2>
      {problem && <ErrorNotice error={{ ...problem, message: explain(problem) }} />}
      {applied && (
        <div class="notice notice-success" role="status">
          <p>{t('macro.applied', { name: applied.name })}</p>
          {applied.reply && <blockquote class="macro-reply">{applied.reply}</blockquote>}
          {applied.changes.length > 0 && (
            <ul class="macro-changes">
              {applied.changes.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {list === undefined ? (
        <p class="help">{t('app.loading')}</p>
      ) : list.length === 0 ? (
        <p class="help">{t('macro.none')}</p>
      ) : (
        <>
          <div class="field">
            <label for="macro-choice">{t('macro.choose')}</label>
            <select id="macro-choice" value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
              <option value="">{t('macro.pick')}</option>
              {list.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name[lang.get()]}
                  {candidate.scope === 'personal' ? ` (${t('macro.personal')})` : ''}
                </option>
              ))}
            </select>
          </div>
          {macro && (
            <div class="macro-preview" aria-live="polite">
              {macro.reply && (
                <>
                  <p class={`tag tag-${macro.visibility}`}>
                    {t(macro.visibility === 'internal' ? 'macro.replyInternal' : 'macro.replyPublic')}
                  </p>
                  <blockquote class="macro-reply">{macro.reply[language]}</blockquote>
                </>
              )}
              {macroChanges(macro).length > 0 && (
                <>
                  <p>{t('macro.changes')}</p>
                  <ul class="macro-changes">
                    {macroChanges(macro).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          <button
            type="submit"
            class={`primary ${macro?.reply && macro.visibility === 'public' ? 'public' : ''}`}
            disabled={!macro || busy}
          >
            {macro?.reply && macro.visibility === 'public' ? t('macro.applyPublic') : t('macro.apply')}
          </button>
        </>
      )}
    </form>
  );
};

// ---- Tags and custom fields (parts of the details form) ----------------------------------------------------

export const TagsEditor = ({
  tags,
  changed,
  error,
  onChange,
}: {
  tags: string[];
  changed: boolean;
  error: string | undefined;
  onChange: (tags: string[]) => void;
}) => {
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState<string[]>([]);
  const { known, free } = config().tags;
  const add = () => {
    const parsed = parseTags(typed);
    setInvalid(parsed.invalid);
    if (parsed.tags.length > 0) onChange([...new Set([...tags, ...parsed.tags])]);
    setTyped(parsed.invalid.join(' '));
  };
  const message = invalid.length > 0 ? t('tags.invalid', { tags: invalid.join(', ') }) : error;
  return (
    <fieldset class={`field tags${changed ? ' field-changed' : ''}`}>
      <legend>{t('tags.title')}</legend>
      {tags.length === 0 ? (
        <p class="help">{t('tags.none')}</p>
      ) : (
        <ul class="tag-list">
          {tags.map((tag) => (
            <li key={tag} class="chip">
              {tag}
              <button
                type="button"
                class="chip-remove"
                aria-label={t('tags.remove', { tag })}
                onClick={() => onChange(tags.filter((other) => other !== tag))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="inline-add">
        <label for="tag-input" class="visually-hidden">
          {t('tags.add')}
        </label>
        <input
          id="tag-input"
          list="known-tags"
          value={typed}
          autoComplete="off"
          placeholder={t('tags.placeholder')}
          aria-describedby={describedBy('tag-input', 'help', message)}
          aria-invalid={message ? 'true' : undefined}
          onInput={(event) => setTyped(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter adds the tag rather than saving the whole form.
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="secondary" onClick={add}>
          {t('tags.add')}
        </button>
      </div>
      <datalist id="known-tags">
        {known
          .filter((tag) => !tags.includes(tag))
          .map((tag) => (
            <option key={tag} value={tag} />
          ))}
      </datalist>
      <p class="help" id="tag-input-help">
        {free ? t('tags.helpFree') : t('tags.helpKnown', { tags: known.join(', ') })}
      </p>
      {message && (
        <p class="field-error" id="tag-input-error">
          {message}
        </p>
      )}
    </fieldset>
  );
};

/** The API's 422 for `fields.<id>`, said in words next to that field. */
export const fieldErrorOf = (problem: Described | undefined, field: ConsoleField, value: string | number | null | undefined) => {
  const message = problem?.fields[`fields.${field.id}`];
  return message ? explainRefusal(field, value, message) : undefined;
};

// ---- Merge and link ----------------------------------------------------------------------------------------

type Action = 'merge' | 'related' | 'parent' | 'child';
const ACTIONS: Action[] = ['merge', 'related', 'parent', 'child'];

const TicketLink = ({ id, number }: { id: string; number: number }) => (
  <a href={`/agent/tickets/${id}`} onClick={onLinkClick}>
    #{number}
  </a>
);

/** The tickets this one is merged into or with, and related to, each a link. */
const RelationList = ({ ticket }: { ticket: Ticket }) => {
  const groups: [MessageKey, { id: string; number: number }[]][] = [
    ['relate.parent', (ticket.links ?? []).filter((link) => link.kind === 'parent')],
    ['relate.child', (ticket.links ?? []).filter((link) => link.kind === 'child')],
    ['relate.related', (ticket.links ?? []).filter((link) => link.kind === 'related')],
    ['relate.mergedFrom', ticket.mergedFrom ?? []],
  ];
  const shown = groups.filter(([, refs]) => refs.length > 0);
  if (!ticket.mergedInto && shown.length === 0) return <p class="help">{t('relate.none')}</p>;
  return (
    <dl class="relations">
      {ticket.mergedInto && (
        <div class="relation">
          <dt>{t('relate.mergedInto')}</dt>
          <dd>
            <TicketLink {...ticket.mergedInto} />
          </dd>
        </div>
      )}
      {shown.map(([label, refs]) => (
        <div key={label} class="relation">
          <dt>{t(label)}</dt>
          <dd>
            {refs.map((ref, index) => (
              <span key={ref.id}>
                {index > 0 ? ', ' : ''}
                <TicketLink {...ref} />
              </span>
            ))}
          </dd>
        </div>
      ))}
    </dl>
  );
};

export const RelationsPanel = ({ ticket, onChanged }: { ticket: Ticket; onChanged: () => Promise<void> }) => {
  const [action, setAction] = useState<Action>('merge');
  const [number, setNumber] = useState('');
  const [target, setTarget] = useState<Ticket>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const reset = () => {
    setTarget(undefined);
    setProblem(undefined);
  };
  /** The other ticket by its number, through the search (`#123` is an exact look-up). */
  const find = async (event: Event) => {
    event.preventDefault();
    reset();
    setDone(undefined);
    const wanted = Number(number.replace(/^#/, '').trim());
    if (!Number.isInteger(wanted) || wanted <= 0) return setProblem(t('relate.badNumber'));
    if (wanted === ticket.number) return setProblem(t('relate.self'));
    setBusy(true);
    try {
      const { data } = await request<SearchResult>(`/tickets/search?q=${encodeURIComponent(`#${wanted}`)}&limit=1`);
      const found = data.items.find((hit) => hit.ticket.number === wanted)?.ticket;
      if (!found) setProblem(t('relate.notFound', { number: wanted }));
      else if (action === 'merge') setTarget(found);
      else await relate(found);
    } catch (error) {
      setProblem(describeError(error).message);
    } finally {
      setBusy(false);
    }
  };
  const send = async (other: Ticket, path: string, body: unknown, success: string) => {
    setBusy(true);
    try {
      await request(`/tickets/${ticket.id}/${path}`, { method: 'POST', body });
      setTarget(undefined);
      setNumber('');
      setDone(success);
      await onChanged();
    } catch (error) {
      const described = describeError(error);
      setProblem(described.status === 409 ? t('relate.refused', { number: other.number, detail: described.message }) : described.message);
    } finally {
      setBusy(false);
    }
  };
  const relate = (other: Ticket) =>
    send(
      other,
      'links',
      { ticket: other.id, kind: action },
      t('relate.linked', { number: other.number, kind: t(`relate.${action}` as MessageKey) }),
    );
  const merge = (other: Ticket) => send(other, 'merge', { into: other.id }, t('relate.merged', { number: other.number }));
  const closed = ticket.status === 'closed';
  return (
    <section class="card relations-card" aria-labelledby="relations-title">
      <h2 id="relations-title">{t('relate.title')}</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <RelationList ticket={ticket} />
      {!closed && !ticket.mergedInto && (
        <form onSubmit={find} class="relate-form">
          <div class="field">
            <label for="relate-action">{t('relate.action')}</label>
            <select
              id="relate-action"
              value={action}
              onChange={(event) => {
                setAction(event.currentTarget.value as Action);
                reset();
              }}
            >
              {ACTIONS.map((option) => (
                <option key={option} value={option}>
                  {t(`relate.do.${option}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div class={`field${problem ? ' field-invalid' : ''}`}>
            <label for="relate-number">{t('relate.number')}</label>
            <input
              id="relate-number"
              inputMode="numeric"
              autoComplete="off"
              value={number}
              placeholder="#123"
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={describedBy('relate-number', undefined, problem)}
              onInput={(event) => {
                setNumber(event.currentTarget.value);
                reset();
              }}
            />
            {problem && (
              <p class="field-error" id="relate-number-error" role="alert">
                {problem}
              </p>
            )}
          </div>
          {target ? (
            <div class="confirm" role="alertdialog" aria-labelledby="merge-confirm-text">
              <p id="merge-confirm-text">
                {t('relate.confirmMerge', { number: ticket.number, into: target.number, subject: target.subject })}
              </p>
              <div class="actions">
                <button type="button" class="primary" disabled={busy} onClick={() => void merge(target)} ref={(button) => button?.focus()}>
                  {t('relate.confirmYes', { into: target.number })}
                </button>
                <button type="button" class="secondary" onClick={reset}>
                  {t('agent.confirmNo')}
                </button>
              </div>
            </div>
          ) : (
            <button type="submit" class="secondary" disabled={busy || !number.trim()}>
              {action === 'merge' ? t('relate.next') : t('relate.link')}
            </button>
          )}
        </form>
      )}
    </section>
  );
};

// ---- Following and mentions --------------------------------------------------------------------------------

export const FollowButton = ({ ticket, me, onSaved }: { ticket: Ticket; me: Me; onSaved: (saved: Saved) => void }) => {
  const following = (ticket.followers ?? []).includes(me.id);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Described>();
  const toggle = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const reply = await request<Ticket>(`/tickets/${ticket.id}/followers/me`, { method: following ? 'DELETE' : 'PUT' });
      onSaved({ ticket: reply.data, etag: reply.etag });
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="follow">
      <button type="button" class="secondary" aria-pressed={following} disabled={busy} onClick={() => void toggle()}>
        {following ? t('follow.on') : t('follow.off')}
      </button>
      <span class="help">{following ? t('follow.onHelp') : t('follow.offHelp')}</span>
      <ErrorNotice error={problem} />
    </div>
  );
};

/** An internal note's text with its `@name` mentions marked, and who they reached. */
export const NoteBody = ({ body, mentioned }: { body: string; mentioned: string[] }) => (
  <>
    <p class="message-body">
      {splitMentions(body).map((part, index) =>
        part.mention ? (
          <mark key={index} class="mention">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </p>
    {mentioned.length > 0 && <p class="mentioned">{t('mention.told', { names: mentioned.join(', ') })}</p>}
  </>
);
