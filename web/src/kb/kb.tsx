// The knowledge base for staff (agents, leads, administrators; the API's `article:write`): the drafts and the
// published articles, and an article's editor with its history. A save names the version the edit was made on
// (If-Match), so two people editing at once never overwrite each other unseen; an unsaved edit is kept in the
// tab like every draft of the console, with that version; a delete asks first and keeps the history. The text is
// Markdown; the API renders it safely when a version is written, and the editor shows that rendering as
// requesters see it (a published article's when it opens, any article's after a save).
import { useState } from 'preact/hooks';
import type { Language } from '#shared/config/config-values.ts';
import type { Article, ArticleEvent } from '#shared/domain/kb/article.ts';
import { request } from '../api.ts';
import type { Me } from '../auth.ts';
import { Choices, ConfirmDelete, describedBy, ErrorNotice, Field, Heading, Loading, Notice } from '../components.tsx';
import { config } from '../config.ts';
import { articleTitle, dateTime, nameOf, relative } from '../format.ts';
import { lang, tKey } from '../i18n.ts';
import { useResource } from '../load.ts';
import { onLinkClick } from '../router.ts';
import { EditorNotices, useVersionedEditor } from '../versioned-editor.tsx';
import { tk, tkKey } from './texts.ts';

type Props = { me: Me; params: Record<string, string> };
type Summary = Pick<Article, 'id' | 'title' | 'title_en' | 'category' | 'tags' | 'language' | 'status' | 'updatedAt'>;

/** Draft or published, in words and colour. */
const ArticleStatus = ({ status }: { status: Article['status'] }) => (
  <span class={`badge kb-${status}`}>{tk(status === 'draft' ? 'kb.statusDraft' : 'kb.statusPublished')}</span>
);

/** A field by its name on this screen. */
const fieldName = (path: string) => tkKey(`field.${path.split('.')[0]}`);

const ArticleList = ({ items, empty }: { items: Summary[]; empty: string }) =>
  items.length === 0 ? (
    <p class="empty">{empty}</p>
  ) : (
    <ul class="ticket-cards">
      {items.map((article) => (
        <li key={article.id}>
          <a href={`/kb/${article.id}`} onClick={onLinkClick} class="ticket-card">
            <span class="subject">{articleTitle(article)}</span>
            <span class="meta">
              <ArticleStatus status={article.status} />
              <span>{nameOf('categories', article.category)}</span>
              <span>{tk(`kb.language.${article.language}`)}</span>
              <span title={dateTime(article.updatedAt)}>{tk('kb.updated', { when: relative(article.updatedAt) })}</span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );

export const KnowledgeBase = (_: Props) => {
  const deleted = new URLSearchParams(window.location.search).get('deleted');
  const lists = useResource(
    () =>
      Promise.all([
        request<{ items: Summary[] }>('/kb/drafts').then((reply) => reply.data.items),
        request<{ items: Summary[] }>('/kb/articles').then((reply) => reply.data.items),
      ]),
    [],
  );
  const [filter, setFilter] = useState('');
  // Every word typed, in any of the titles, the keywords, the category's name or the id (accents and case aside).
  const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(filter).split(/\s+/).filter(Boolean);
  const matches = (article: Summary) => {
    const text = fold(
      [article.title, article.title_en ?? '', ...article.tags, nameOf('categories', article.category), article.id].join(' '),
    );
    return words.every((word) => text.includes(word));
  };
  const [drafts, published] = (lists.data ?? [[], []]).map((items) => items.filter(matches)) as [Summary[], Summary[]];
  return (
    <section class="page">
      <div class="page-head">
        <Heading>{tk('kb.title')}</Heading>
        <a class="button primary" href="/kb/new" onClick={onLinkClick}>
          {tk('kb.new')}
        </a>
      </div>
      <p class="help">{tk('kb.intro')}</p>
      {deleted && <Notice kind="success">{tk('kb.deleted', { id: deleted })}</Notice>}
      <ErrorNotice error={lists.error} retry={() => void lists.reload()} fieldName={fieldName} />
      <div class="field">
        <label for="kb-filter">{tk('kb.filter')}</label>
        <input id="kb-filter" type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
      </div>
      {lists.loading && !lists.data ? (
        <Loading />
      ) : (
        <>
          <h2>
            {tk('kb.drafts')} ({drafts.length})
          </h2>
          <ArticleList items={drafts} empty={tk(words.length > 0 ? 'kb.noMatch' : 'kb.noDrafts')} />
          <h2>
            {tk('kb.published')} ({published.length})
          </h2>
          <ArticleList items={published} empty={tk(words.length > 0 ? 'kb.noMatch' : 'kb.noPublished')} />
        </>
      )}
    </section>
  );
};

type Form = {
  id: string;
  title: string;
  title_en: string;
  category: string;
  language: Language;
  tags: string;
  status: Article['status'];
  body: string;
};

const formOf = (article: Article | undefined): Form => ({
  id: article?.id ?? '',
  title: article?.title ?? '',
  title_en: article?.title_en ?? '',
  category: article?.category ?? '',
  language: article?.language ?? (lang.get() as Language),
  tags: article?.tags.join(', ') ?? '',
  status: article?.status ?? 'draft',
  body: article?.body ?? '',
});

/** What the API takes (POST and PUT /kb/articles): empty optional fields left out, tags split at commas. */
const inputOf = (form: Form, isNew: boolean) => ({
  ...(isNew && form.id.trim() ? { id: form.id.trim() } : {}),
  title: form.title.trim(),
  ...(form.title_en.trim() ? { title_en: form.title_en.trim() } : {}),
  category: form.category,
  language: form.language,
  tags: form.tags
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean),
  status: form.status,
  body: form.body,
});

type Loaded = { history: ArticleEvent[]; html?: string | undefined };

export const ArticleEditor = ({ params }: Props) => {
  const loaded = useResource<Loaded | undefined>(async () => {
    if (params.id === undefined) return undefined;
    const id = encodeURIComponent(params.id!);
    const history = (await request<{ items: ArticleEvent[] }>(`/kb/articles/${id}/history?limit=20`)).data.items;
    // The history keeps the Markdown; the HTML requesters read is served for a published article.
    const published = history[0]?.type !== 'ArticleDeleted' && history[0]?.article.status === 'published';
    const html = published ? (await request<Article>(`/kb/articles/${id}`, { auth: false })).data.html : undefined;
    return { history, html };
  }, [params.id]);
  const latest = loaded.data?.history[0];
  const id = encodeURIComponent(params.id ?? '');
  const editor = useVersionedEditor<Article, Form>({
    draft: 'kb',
    id: params.id,
    loaded: latest?.article,
    formOf,
    create: async (form) => (await request<Article>('/kb/articles', { method: 'POST', body: inputOf(form, true) })).data,
    update: async (form, ifMatch) =>
      (await request<Article>(`/kb/articles/${id}`, { method: 'PUT', body: inputOf(form, false), ifMatch })).data,
    remove: (ifMatch) => request(`/kb/articles/${id}`, { method: 'DELETE', ifMatch }),
    pathOf: (article) => `/kb/${article.id}`,
    reload: () => void loaded.reload(),
  });
  const { isNew, current, shown, edit, save, saved, fieldError } = editor;

  if (!isNew && loaded.loading && !loaded.data) return <Loading />;
  const gone = latest?.type === 'ArticleDeleted';
  const preview = saved?.html ?? (gone ? undefined : loaded.data?.html);
  return (
    <section class="page narrow">
      <p>
        <a href="/kb" onClick={onLinkClick}>
          ← {tk('kb.back')}
        </a>
      </p>
      <Heading>{isNew ? tk('kb.newTitle') : current ? articleTitle(current) : tk('kb.editTitle')}</Heading>
      {current && (
        <p class="meta">
          <ArticleStatus status={current.status} /> {tk('kb.version', { version: current.version })} ·{' '}
          {tk('kb.updated', { when: relative(current.updatedAt) })}
        </p>
      )}
      <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} fieldName={fieldName} />
      {gone ? (
        <Notice kind="warning">{tk('kb.gone', { when: dateTime(latest.at) })}</Notice>
      ) : (
        (isNew || current) && (
          <form class="card" onSubmit={editor.submit} noValidate>
            <EditorNotices editor={editor} fieldName={fieldName} stale={tk('kb.stale')} />
            <Field id="kb-title" label={tk('field.title')} error={fieldError('title')}>
              <input
                id="kb-title"
                required
                maxLength={200}
                value={shown.title}
                aria-invalid={fieldError('title') ? 'true' : undefined}
                aria-describedby={describedBy('kb-title', undefined, fieldError('title'))}
                onInput={(event) => edit({ title: event.currentTarget.value })}
              />
            </Field>
            <Field id="kb-title-en" label={tk('field.title_en')} error={fieldError('title_en')}>
              <input
                id="kb-title-en"
                maxLength={200}
                lang="en"
                value={shown.title_en}
                aria-describedby={describedBy('kb-title-en', undefined, fieldError('title_en'))}
                onInput={(event) => edit({ title_en: event.currentTarget.value })}
              />
            </Field>
            {isNew && (
              <Field id="kb-id" label={tk('field.id')} help={tk('field.idHelp')} error={fieldError('id')}>
                <input
                  id="kb-id"
                  maxLength={64}
                  autoComplete="off"
                  value={shown.id}
                  aria-invalid={fieldError('id') ? 'true' : undefined}
                  aria-describedby={describedBy('kb-id', 'help', fieldError('id'))}
                  onInput={(event) => edit({ id: event.currentTarget.value })}
                />
              </Field>
            )}
            <Field id="kb-category" label={tk('field.category')} error={fieldError('category')}>
              <select
                id="kb-category"
                required
                value={shown.category}
                aria-invalid={fieldError('category') ? 'true' : undefined}
                aria-describedby={describedBy('kb-category', undefined, fieldError('category'))}
                onChange={(event) => edit({ category: event.currentTarget.value })}
              >
                <option value="">{tk('kb.chooseCategory')}</option>
                {config().categories.map((category) => (
                  <option key={category.id} value={category.id}>
                    {nameOf('categories', category.id)}
                  </option>
                ))}
              </select>
            </Field>
            <Choices
              name="kb-language"
              legend={tk('field.language')}
              value={shown.language}
              options={(['id', 'en'] as const).map((language) => ({ value: language, label: tk(`kb.language.${language}`) }))}
              onChange={(language) => edit({ language })}
            />
            <Field id="kb-tags" label={tk('field.tags')} help={tk('field.tagsHelp')} error={fieldError('tags')}>
              <input
                id="kb-tags"
                value={shown.tags}
                aria-describedby={describedBy('kb-tags', 'help', fieldError('tags'))}
                onInput={(event) => edit({ tags: event.currentTarget.value })}
              />
            </Field>
            <Field id="kb-body" label={tk('field.body')} help={tk('field.bodyHelp')} error={fieldError('body')}>
              <textarea
                id="kb-body"
                class="kb-source"
                rows={14}
                required
                value={shown.body}
                aria-invalid={fieldError('body') ? 'true' : undefined}
                aria-describedby={describedBy('kb-body', 'help', fieldError('body'))}
                onInput={(event) => edit({ body: event.currentTarget.value })}
              />
            </Field>
            <Choices
              name="kb-status"
              legend={tk('field.status')}
              value={shown.status}
              options={(['draft', 'published'] as const).map((status) => ({ value: status, label: tk(`kb.status.${status}`) }))}
              onChange={(status) => edit({ status })}
            />
            <div class="actions">
              <button type="submit" class="primary" disabled={save.busy}>
                {save.busy ? tk('kb.saving') : tk('kb.save')}
              </button>
              {!isNew && !editor.confirming && (
                <button type="button" class="secondary" onClick={() => editor.setConfirming(true)}>
                  {tk('kb.delete')}
                </button>
              )}
            </div>
            {editor.confirming && current && (
              <ConfirmDelete
                id="kb-delete-question"
                question={tk('kb.deleteConfirm', { title: articleTitle(current) })}
                yes={tk('kb.deleteYes')}
                no={tk('kb.cancel')}
                remove={editor.remove}
                fieldName={fieldName}
                onYes={() => void editor.confirmDelete(`/kb?deleted=${encodeURIComponent(current.id)}`)}
                onNo={() => editor.setConfirming(false)}
              />
            )}
          </form>
        )
      )}
      {preview && !editor.editing && (
        <section class="card" aria-labelledby="kb-preview">
          <h2 id="kb-preview">{tk('kb.preview')}</h2>
          {/* Safe to insert: the API renders it with micromark's safe defaults (raw HTML shown as text, unsafe link
              protocols dropped) when the version is written. */}
          <article class="kb-article" dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      )}
      {loaded.data && loaded.data.history.length > 0 && (
        <section aria-labelledby="kb-history">
          <h2 id="kb-history">{tk('kb.history')}</h2>
          <ol class="kb-history">
            {loaded.data.history.map((event) => (
              <li key={event.version}>
                <strong>{tk('kb.version', { version: event.version })}</strong> · {tkKey(`kb.event.${event.type}`)} ·{' '}
                <span title={dateTime(event.at)}>{relative(event.at)}</span> ·{' '}
                {tk('kb.by', { who: `${event.actor.id} (${tKey(`role.${event.actor.role}`)})` })}
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
};
