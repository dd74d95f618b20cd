// The editing of one versioned resource (a knowledge-base article, a macro): the form kept in the tab's drafts
// with the version the edit was made on (`base`, what the save's If-Match names, so a colleague's later save is
// never overwritten unseen), the save (POST when new, then the editor opens at the new address; PUT with If-Match),
// "load the latest version" after a 412, and the delete behind a question; and the notices above the form (saved,
// an edit brought back, a refusal with its fields, waiting for the connection). The screen supplies the requests
// and the form's fields; the API decides what is valid.
import { useState } from 'preact/hooks';
import type { Described } from './api.ts';
import { ErrorNotice, Notice } from './components.tsx';
import { useDraft } from './drafts.ts';
import { t } from './i18n.ts';
import { useSender } from './load.ts';
import { navigate } from './router.ts';

type Versioned = { id: string; version: number };

/** The item just created, handed to the editor that opens at its new address (a screen of its own). */
let created: Versioned | undefined;

export const useVersionedEditor = <Item extends Versioned, Form extends object>(options: {
  /** The draft's name; `new` or the item's id is added. */
  draft: string;
  /** The item's id, or undefined for a new one. */
  id: string | undefined;
  /** The item as last read. */
  loaded: Item | undefined;
  formOf: (item: Item | undefined) => Form;
  create: (form: Form) => Promise<Item>;
  update: (form: Form, ifMatch: string) => Promise<Item>;
  remove: (ifMatch: string) => Promise<unknown>;
  /** Where a created item is edited. */
  pathOf: (item: Item) => string;
  /** Reads the item again (after a save, or to load the latest version). */
  reload: () => void;
  /** After every save and delete (a cache to forget). */
  written?: () => void;
}) => {
  type Draft = Form & { base?: number | undefined };
  const isNew = options.id === undefined;
  const [form, setForm, clearForm] = useDraft<Draft | null>(`${options.draft}-${options.id ?? 'new'}`, null);
  const [restored] = useState(form !== null);
  const [saved, setSaved] = useState<Item | undefined>(() => {
    const mine = created?.id === options.id ? (created as Item) : undefined;
    created = undefined;
    return mine;
  });
  const [confirming, setConfirming] = useState(false);
  const current = saved ?? options.loaded;
  const shown: Draft = form ?? options.formOf(current);
  const save = useSender((input: Draft) => {
    const { base, ...fields } = input;
    return isNew ? options.create(fields as Form) : options.update(fields as Form, `"${base ?? current!.version}"`);
  });
  const remove = useSender(() => options.remove(`"${current!.version}"`));
  const loadLatest = () => {
    save.clearError();
    setSaved(undefined);
    clearForm();
    options.reload();
  };
  return {
    isNew,
    current,
    shown,
    /** An edit: remembered with the version it was made on. */
    edit: (change: Partial<Form>) => setForm({ ...shown, ...change, base: form ? form.base : current?.version }),
    /** The form holds an edit not yet saved. */
    editing: form !== null,
    /** The edit shown was kept from before the screen opened (a reload, a session that expired). */
    restored: restored && form !== null,
    saved,
    save,
    remove,
    confirming,
    setConfirming,
    submit: async (event: Event) => {
      event.preventDefault();
      const item = await save.run(shown);
      if (!item) return;
      clearForm();
      options.written?.();
      if (isNew) {
        created = item;
        navigate(options.pathOf(item), { replace: true });
      } else {
        setSaved(item);
        options.reload();
      }
    },
    loadLatest,
    /** What the API said of a field (`tags` also answers for `tags.0`), for the message beside it. */
    fieldError: (path: string) =>
      Object.entries(save.error?.fields ?? {}).find(([refused]) => refused === path || refused.startsWith(`${path}.`))?.[1],
    /** Deletes the item, then goes to `to`; a refusal stays in `remove.error`. */
    confirmDelete: async (to: string) => {
      if (!(await remove.run())) return;
      clearForm();
      options.written?.();
      navigate(to);
    },
  };
};

/**
 * The notices above an editor's fields: saved (with the version), an edit brought back from the tab's drafts, a
 * refusal with each field in the screen's words (a 412 in `stale`'s words, offering the latest version), and a
 * save waiting for the connection.
 */
export const EditorNotices = ({
  editor,
  fieldName,
  stale,
}: {
  editor: {
    saved: Versioned | undefined;
    restored: boolean;
    loadLatest: () => void;
    save: { error?: Described | undefined; offline: boolean; retryNow: () => void };
  };
  fieldName: (path: string) => string;
  stale: string;
}) => (
  <>
    {editor.saved && <Notice kind="success">{t('editor.saved', { version: editor.saved.version })}</Notice>}
    {editor.restored && <Notice kind="info">{t('editor.restored')}</Notice>}
    <ErrorNotice
      error={editor.save.error}
      fieldName={fieldName}
      {...(editor.save.error?.status === 412 ? { message: stale, action: { label: t('editor.loadLatest'), run: editor.loadLatest } } : {})}
    />
    {editor.save.offline && (
      <Notice kind="warning" action={{ label: t('error.retryNow'), run: editor.save.retryNow }}>
        {t('error.retrying')}
      </Notice>
    )}
  </>
);
