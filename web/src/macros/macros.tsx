// Macros for staff (the API's `macro:write-personal` for every staff member, `macro:write-shared` for leads and
// admins): the list (mine, shared, the configuration's defaults, read-only), and an editor for a name and a reply
// in both languages, public or internal, and the changes it makes (status, priority, team, assignee, tags). A
// save names the version the edit was made on (If-Match); a delete asks first. The ticket page's macro panel reads
// the same list, forgotten after every write so it shows the change.
import { MACRO_PLACEHOLDERS, PRIORITIES, STATUSES } from '#shared/config/config-values.ts';
import type { Macro } from '#shared/domain/macros/macros.ts';
import { request } from '../api.ts';
import type { Me } from '../auth.ts';
import { Choices, ConfirmDelete, describedBy, ErrorNotice, Field, Heading, Loading, Notice, staffStatus } from '../components.tsx';
import { config } from '../config.ts';
import { nameOf } from '../format.ts';
import { lang, t, tKey } from '../i18n.ts';
import { useResource } from '../load.ts';
import { forgetMacros, macroChanges, macros } from '../macro-list.ts';
import { onLinkClick } from '../router.ts';
import { parseTags } from '../ticket-fields.ts';
import { EditorNotices, useVersionedEditor } from '../versioned-editor.tsx';
import { tm, tmKey } from './texts.ts';

type Props = { me: Me; params: Record<string, string> };

const nameIn = (macro: Pick<Macro, 'name'>) => (lang.get() === 'en' ? macro.name.en : macro.name.id);
const writesShared = (me: Me) => me.role === 'lead' || me.role === 'admin';
const editable = (macro: Macro, me: Me) => macro.scope === 'personal' || (macro.scope === 'shared' && writesShared(me));
/** The list read again from the API (after a write elsewhere, or on opening the screen). */
const freshMacros = () => {
  forgetMacros();
  return macros();
};

/** A field by its name on this screen: `actions.addTags.0` is "Tambah tag", `name.id` the Indonesian name. */
const fieldName = (path: string) => {
  const [head, next] = path.split('.');
  return tmKey(`field.${head === 'actions' && next ? next : [head, next].filter(Boolean).join('.')}`);
};

const MacroList = ({ items, me }: { items: Macro[]; me: Me }) =>
  items.length === 0 ? (
    <p class="empty">{tm('macros.none')}</p>
  ) : (
    <ul class="ticket-cards">
      {items.map((macro) => {
        const changes = macroChanges(macro);
        const inside = (
          <>
            <span class="subject">{nameIn(macro)}</span>
            <span class="meta">
              {macro.reply && <span>{tm(`macros.visibility.${macro.visibility}`)}</span>}
              <span>{changes.length > 0 ? changes.join(' · ') : tm('macros.noChanges')}</span>
              {!editable(macro, me) && <span>({tm('macros.readOnly')})</span>}
            </span>
          </>
        );
        return (
          <li key={macro.id}>
            {editable(macro, me) ? (
              <a href={`/macros/${macro.id}`} onClick={onLinkClick} class="ticket-card">
                {inside}
              </a>
            ) : (
              <div class="ticket-card">{inside}</div>
            )}
          </li>
        );
      })}
    </ul>
  );

export const Macros = ({ me }: Props) => {
  const deleted = new URLSearchParams(window.location.search).get('deleted');
  const list = useResource(freshMacros, []);
  const all = list.data ?? [];
  const of = (scope: Macro['scope']) => all.filter((macro) => macro.scope === scope);
  return (
    <section class="page">
      <div class="page-head">
        <Heading>{tm('macros.title')}</Heading>
        <a class="button primary" href="/macros/new" onClick={onLinkClick}>
          {tm('macros.new')}
        </a>
      </div>
      <p class="help">{tm('macros.intro')}</p>
      {deleted && <Notice kind="success">{tm('macros.deleted', { name: deleted })}</Notice>}
      {list.loading && !list.data ? (
        <Loading />
      ) : (
        <>
          <h2>{tm('macros.personal')}</h2>
          <MacroList items={of('personal')} me={me} />
          <h2>{tm('macros.shared')}</h2>
          <MacroList items={of('shared')} me={me} />
          <h2>{tm('macros.default')}</h2>
          <MacroList items={of('default')} me={me} />
        </>
      )}
    </section>
  );
};

type Form = {
  scope: 'personal' | 'shared';
  nameId: string;
  nameEn: string;
  replyId: string;
  replyEn: string;
  visibility: Macro['visibility'];
  status: string;
  priority: string;
  team: string;
  assignee: string;
  addTags: string;
  removeTags: string;
};

const formOf = (macro: Macro | undefined): Form => ({
  scope: macro?.scope === 'shared' ? 'shared' : 'personal',
  nameId: macro?.name.id ?? '',
  nameEn: macro?.name.en ?? '',
  replyId: macro?.reply?.id ?? '',
  replyEn: macro?.reply?.en ?? '',
  visibility: macro?.visibility ?? 'public',
  status: macro?.actions.status ?? '',
  priority: macro?.actions.priority ?? '',
  team: macro?.actions.team ?? '',
  assignee: macro?.actions.assignee ?? '',
  addTags: macro?.actions.addTags?.join(', ') ?? '',
  removeTags: macro?.actions.removeTags?.join(', ') ?? '',
});

/** Tags as the ticket page reads a tag box; words that cannot be tags go too, for the API to name. */
const tagsOf = (text: string) => {
  const { tags, invalid } = parseTags(text);
  return [...tags, ...invalid];
};

/**
 * What the API takes: the form's fields, and the changes this screen does not edit (a category, custom fields,
 * set through the API) kept as they were.
 */
const inputOf = (form: Form, original: Macro | undefined) => {
  const { category, fields } = original?.actions ?? {};
  const addTags = tagsOf(form.addTags);
  const removeTags = tagsOf(form.removeTags);
  return {
    ...(original ? {} : { scope: form.scope }),
    name: { id: form.nameId.trim(), en: form.nameEn.trim() },
    ...(form.replyId.trim() || form.replyEn.trim() ? { reply: { id: form.replyId, en: form.replyEn } } : {}),
    visibility: form.visibility,
    actions: {
      ...(category ? { category } : {}),
      ...(fields ? { fields } : {}),
      ...(form.status ? { status: form.status } : {}),
      ...(form.priority ? { priority: form.priority } : {}),
      ...(form.team ? { team: form.team } : {}),
      ...(form.assignee ? { assignee: form.assignee } : {}),
      ...(addTags.length > 0 ? { addTags } : {}),
      ...(removeTags.length > 0 ? { removeTags } : {}),
    },
  };
};

export const MacroEditor = ({ me, params }: Props) => {
  const loaded = useResource(
    async () => (params.id === undefined ? undefined : (await freshMacros()).find((macro) => macro.id === params.id)),
    [params.id],
  );
  const editor: ReturnType<typeof useVersionedEditor<Macro, Form>> = useVersionedEditor<Macro, Form>({
    draft: 'macro',
    id: params.id,
    loaded: loaded.data,
    formOf,
    create: async (form) => (await request<Macro>('/macros', { method: 'POST', body: inputOf(form, undefined) })).data,
    // The macro as read: the changes this screen does not edit are kept from it.
    update: async (form, ifMatch) =>
      (await request<Macro>(`/macros/${params.id}`, { method: 'PUT', body: inputOf(form, editor.current), ifMatch })).data,
    remove: (ifMatch) => request(`/macros/${params.id}`, { method: 'DELETE', ifMatch }),
    pathOf: (macro) => `/macros/${macro.id}`,
    reload: () => void loaded.reload(),
    written: forgetMacros,
  });
  const { isNew, current, shown, edit, save, fieldError } = editor;
  const select = (id: keyof Form, options: { value: string; label: string }[]) => (
    <Field id={`macro-${id}`} label={tm(`field.${id}` as Parameters<typeof tm>[0])} error={fieldError(`actions.${id}`)}>
      <select id={`macro-${id}`} value={shown[id] as string} onChange={(event) => edit({ [id]: event.currentTarget.value })}>
        <option value="">{tm('macros.noChange')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
  const text = (id: 'nameId' | 'nameEn', path: string, label: string) => (
    <Field id={`macro-${id}`} label={label} error={fieldError(path)}>
      <input
        id={`macro-${id}`}
        required
        maxLength={80}
        value={shown[id]}
        aria-invalid={fieldError(path) ? 'true' : undefined}
        aria-describedby={describedBy(`macro-${id}`, undefined, fieldError(path))}
        onInput={(event) => edit({ [id]: event.currentTarget.value })}
      />
    </Field>
  );

  if (!isNew && loaded.loading && !loaded.data) return <Loading />;
  const missing = !isNew && !current && !loaded.loading;
  return (
    <section class="page narrow">
      <p>
        <a href="/macros" onClick={onLinkClick}>
          ← {tm('macros.back')}
        </a>
      </p>
      <Heading>{isNew ? tm('macros.newTitle') : current ? nameIn(current) : tm('macros.editTitle')}</Heading>
      <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} fieldName={fieldName} />
      {missing || (current && !editable(current, me)) ? (
        <Notice kind="warning">{tm('macros.notFound')}</Notice>
      ) : (
        <form class="card" onSubmit={editor.submit} noValidate>
          <EditorNotices editor={editor} fieldName={fieldName} stale={tm('macros.stale')} />
          {isNew && writesShared(me) && (
            <Choices
              name="macro-scope"
              legend={tm('field.scope')}
              value={shown.scope}
              options={(['personal', 'shared'] as const).map((scope) => ({ value: scope, label: tm(`macros.scope.${scope}`) }))}
              onChange={(scope) => edit({ scope })}
            />
          )}
          {text('nameId', 'name.id', tm('field.name.id'))}
          {text('nameEn', 'name.en', tm('field.name.en'))}
          <p class="help" id="macro-reply-help">
            {tm('macros.replyHelp', { placeholders: MACRO_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ') })}
          </p>
          {(['replyId', 'replyEn'] as const).map((id) => {
            const path = id === 'replyId' ? 'reply.id' : 'reply.en';
            return (
              <Field key={id} id={`macro-${id}`} label={tm(`field.${path}` as Parameters<typeof tm>[0])} error={fieldError(path)}>
                <textarea
                  id={`macro-${id}`}
                  rows={5}
                  maxLength={5000}
                  value={shown[id]}
                  aria-invalid={fieldError(path) ? 'true' : undefined}
                  aria-describedby={['macro-reply-help', fieldError(path) ? `macro-${id}-error` : ''].filter(Boolean).join(' ')}
                  onInput={(event) => edit({ [id]: event.currentTarget.value })}
                />
              </Field>
            );
          })}
          <Choices
            name="macro-visibility"
            legend={tm('field.visibility')}
            value={shown.visibility}
            options={(['public', 'internal'] as const).map((visibility) => ({
              value: visibility,
              label: tm(`macros.visibility.${visibility}`),
            }))}
            onChange={(visibility) => edit({ visibility })}
          />
          <h2>{tm('macros.changes')}</h2>
          {select(
            'status',
            STATUSES.map((status) => ({ value: status, label: staffStatus(status) })),
          )}
          {select(
            'priority',
            PRIORITIES.map((priority) => ({ value: priority, label: tKey(`priority.${priority}`) })),
          )}
          {select(
            'team',
            config().teams.map((team) => ({ value: team.id, label: nameOf('teams', team.id) })),
          )}
          {select('assignee', [
            { value: 'me', label: tm('macros.assignMe') },
            { value: 'none', label: tm('macros.assignNone') },
          ])}
          {(['addTags', 'removeTags'] as const).map((id) => {
            // Said while typing, as the ticket page's tag box says it; the API refuses the same words.
            const { invalid } = parseTags(shown[id]);
            const error = invalid.length > 0 ? t('tags.invalid', { tags: invalid.join(', ') }) : fieldError(`actions.${id}`);
            return (
              <Field key={id} id={`macro-${id}`} label={tm(`field.${id}`)} help={tm('macros.tagsHelp')} error={error}>
                <input
                  id={`macro-${id}`}
                  value={shown[id]}
                  aria-invalid={error ? 'true' : undefined}
                  aria-describedby={describedBy(`macro-${id}`, 'help', error)}
                  onInput={(event) => edit({ [id]: event.currentTarget.value })}
                />
              </Field>
            );
          })}
          <div class="actions">
            <button type="submit" class="primary" disabled={save.busy}>
              {save.busy ? tm('macros.saving') : tm('macros.save')}
            </button>
            {!isNew && !editor.confirming && (
              <button type="button" class="secondary" onClick={() => editor.setConfirming(true)}>
                {tm('macros.delete')}
              </button>
            )}
          </div>
          {editor.confirming && current && (
            <ConfirmDelete
              id="macro-delete-question"
              question={tm('macros.deleteConfirm', { name: nameIn(current) })}
              yes={tm('macros.deleteYes')}
              no={tm('macros.cancel')}
              remove={editor.remove}
              fieldName={fieldName}
              onYes={() => void editor.confirmDelete(`/macros?deleted=${encodeURIComponent(nameIn(current))}`)}
              onNo={() => editor.setConfirming(false)}
            />
          )}
        </form>
      )}
    </section>
  );
};
