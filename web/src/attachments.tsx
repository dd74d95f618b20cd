// Files in the console (docs/decisions.md "Attachments in the console"): a file is checked against config.json's
// limits (type, size, how many) before anything is sent, uploaded at once with its progress (POST /attachments, then
// the browser PUTs the bytes to the signed URL), and named in the comment that carries it. A refusal, here or by the
// API (413/422 naming `attachments.<n>.upload`), is said in words beside the file. Downloads are signed on click.
// On the tracking link's page (no account) the same happens through the link: `/track/<token>/…`, without a token.
import { useRef, useState } from 'preact/hooks';
import { ApiError, type Described, describeError, request } from './api.ts';
import { config } from './config.ts';
import { readDraft } from './drafts.ts';
import { acceptedKinds, accepts, formatBytes, refusalOf, typeOf } from './file-checks.ts';
import { t } from './i18n.ts';

/** The upload's own failures: the PUT answered with an error, or never reached the bucket. */
class UploadFailed extends Error {
  constructor(readonly network: boolean) {
    super(network ? 'upload interrupted' : 'upload refused');
  }
}

/** What a comment names: the upload and the file's name. */
export type FileLink = { upload: string; name: string };

type Granted = { upload: string; url: string; method: 'PUT'; headers: Record<string, string> };

/** Asks for a signed PUT (through the tracking link when there is one) and sends the bytes there, reporting
 * progress (0 to 1); resolves with the upload id. */
const uploadFile = async (file: File, onProgress: (done: number) => void, token?: string): Promise<string> => {
  const contentType = typeOf(file);
  const { data } = await request<Granted>(token ? `/track/${token}/attachments` : '/attachments', {
    method: 'POST',
    body: { contentType, size: file.size },
    auth: !token,
  });
  // XMLHttpRequest, not fetch: only it reports an upload's progress.
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(data.method, data.url);
    for (const [name, value] of Object.entries(data.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadFailed(false)));
    xhr.onerror = () => reject(new UploadFailed(true));
    xhr.send(file);
  });
  return data.upload;
};

const uploadProblem = (error: unknown): string => {
  if (error instanceof UploadFailed) return t(error.network ? 'files.interrupted' : 'files.failed');
  // The API's own check (config.json older than the desk's configuration): its words are the same as ours.
  if (error instanceof ApiError && error.status === 413) return t('files.tooLargeThere');
  if (error instanceof ApiError && error.status === 422) return t('files.wrongType', { kinds: acceptedKinds(config().attachments) });
  return describeError(error).message;
};

export type Attached = {
  key: string;
  name: string;
  size: number;
  /** The bytes; absent for a file restored from a draft after a reload (it was uploaded before). */
  file?: File;
  state: 'refused' | 'uploading' | 'ready' | 'failed';
  /** 0 to 1 while uploading. */
  progress: number;
  upload?: string;
  /** Why it was refused or failed, in words. */
  problem?: string;
};

/** What a draft keeps of its files: the uploads that are done (their bytes wait on the server for a day). */
type KeptFile = { upload: string; name: string; size: number };
const keptFilesOf = (draft: string) => `${draft}.files`;

/**
 * The files of one message being written: chosen, checked, uploaded, and named in what is sent. `draft`: the
 * message's draft name, so its uploaded files are still there after a reload, as its text is; `token`: the
 * tracking link's, for a requester without an account.
 */
export const useAttachments = ({ draft, token }: { draft?: string; token?: string } = {}) => {
  const limits = config().attachments;
  const [items, setItems] = useState<Attached[]>(() =>
    draft
      ? readDraft<KeptFile[]>(keptFilesOf(draft), []).map((kept) => ({
          key: crypto.randomUUID(),
          name: kept.name,
          size: kept.size,
          state: 'ready' as const,
          progress: 1,
          upload: kept.upload,
        }))
      : [],
  );
  const latest = useRef(items);
  latest.current = items;
  const set = (next: Attached[]) => {
    latest.current = next;
    setItems(next);
    if (!draft) return;
    const kept: KeptFile[] = next.flatMap((item) =>
      item.state === 'ready' && item.upload ? [{ upload: item.upload, name: item.name, size: item.size }] : [],
    );
    // Kept beside the draft's text (drafts.ts: this tab's sessionStorage, cleared on sign-out).
    if (kept.length > 0) sessionStorage.setItem(`helpdesk.draft.${keptFilesOf(draft)}`, JSON.stringify(kept));
    else sessionStorage.removeItem(`helpdesk.draft.${keptFilesOf(draft)}`);
  };
  const update = (key: string, patch: Partial<Attached>) =>
    set(latest.current.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  const start = (key: string, file: File | undefined) => {
    // A file restored from a draft has no bytes here to send again: it must be chosen again.
    if (!file) return update(key, { state: 'failed', problem: t('files.chooseAgain'), upload: undefined });
    update(key, { state: 'uploading', progress: 0, problem: undefined, upload: undefined });
    uploadFile(file, (progress) => update(key, { progress }), token).then(
      (upload) => update(key, { state: 'ready', progress: 1, upload }),
      (error: unknown) => update(key, { state: 'failed', problem: uploadProblem(error) }),
    );
  };
  const add = (files: Iterable<File>) => {
    setAsked(false);
    const added: Attached[] = [];
    for (const file of files) {
      const counted =
        latest.current.filter((item) => item.state !== 'refused').length + added.filter((item) => item.state !== 'refused').length;
      const problem = refusalOf(file, limits, counted);
      added.push({
        key: crypto.randomUUID(),
        name: file.name,
        size: file.size,
        file,
        state: problem ? 'refused' : 'uploading',
        progress: 0,
        ...(problem ? { problem } : {}),
      });
    }
    set([...latest.current, ...added]);
    for (const item of added) if (item.state === 'uploading') start(item.key, item.file);
  };
  const [asked, setAsked] = useState(false);
  const ready = () => latest.current.filter((item) => item.state === 'ready');
  /** Why the message cannot go yet (a file still uploading, refused or failed), or undefined. */
  const holdUp = (): string | undefined =>
    latest.current.some((item) => item.state === 'uploading')
      ? t('files.wait')
      : latest.current.some((item) => item.state !== 'ready')
        ? t('files.fixFirst')
        : undefined;
  return {
    items,
    limits,
    /** Whether files may be attached at all (a config.json without limits offers none). */
    offered: limits.perMessage > 0 && limits.types.length > 0,
    add,
    remove: (key: string) => set(latest.current.filter((item) => item.key !== key)),
    retry: (key: string) => {
      const item = latest.current.find((candidate) => candidate.key === key);
      if (item) start(key, item.file);
    },
    /** Asked on sending: whether every file is uploaded; if not, the picker says why (`held`) until they are. */
    canSend: () => {
      setAsked(true);
      return holdUp() === undefined;
    },
    held: asked ? holdUp() : undefined,
    /** The files to name in the comment, in the order the API will number them (`attachments.<n>`). */
    links: (): FileLink[] => ready().map((item) => ({ upload: item.upload!, name: item.name })),
    /**
     * The API refused the message for its files: each named one is explained beside it; the API deleted every
     * upload of the refused message, so the others (and one it lost) are uploaded again, ready to send once more.
     */
    refusedBy: (failure: unknown, sent: FileLink[]) => {
      if (!(failure instanceof ApiError) || failure.kind !== 'problem') return;
      const error = describeError(failure);
      if (!Object.keys(error.fields).some((path) => path.startsWith('attachments.'))) return;
      for (const [index, link] of sent.entries()) {
        const item = latest.current.find((candidate) => candidate.upload === link.upload);
        if (!item) continue;
        const message = error.fields[`attachments.${index}.upload`];
        if (message && !/never uploaded|expired/.test(message))
          update(item.key, { state: 'refused', problem: error.status === 413 ? t('files.tooLargeThere') : t('files.notWhatItSays') });
        else start(item.key, item.file);
      }
    },
    clear: () => {
      set([]);
      setAsked(false);
    },
  };
};

type Files = ReturnType<typeof useAttachments>;

/** The file input and the chosen files, each with its state in words; `note`: who will see them. */
export const FilePicker = ({ id, files, note, refused }: { id: string; files: Files; note?: string; refused?: Described | undefined }) => {
  if (!files.offered) return null;
  // The API's refusal of the list itself (more files than it takes), else why sending waits.
  const error = refused?.fields.attachments ? t('files.tooMany', { n: files.limits.perMessage }) : files.held;
  const { limits } = files;
  const help = t('files.help', { kinds: acceptedKinds(limits), max: formatBytes(limits.maxBytes), n: limits.perMessage });
  const accept = accepts(limits);
  return (
    <div class={`field files${error ? ' field-invalid' : ''}`}>
      <label for={id}>{t('files.label')}</label>
      <p class="help" id={`${id}-help`}>
        {help}
        {note ? ` ${note}` : ''}
      </p>
      <input
        id={id}
        type="file"
        multiple
        accept={accept}
        aria-describedby={[`${id}-help`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        onChange={(event) => {
          const input = event.currentTarget;
          files.add(Array.from(input.files ?? []));
          // The same file may be chosen again (after removing it, or to retry).
          input.value = '';
        }}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {files.items.length > 0 && (
        <ul class="file-list" aria-label={t('files.chosen')}>
          {files.items.map((item) => (
            <li key={item.key} class={`file file-${item.state}`}>
              <span class="file-name">{item.name}</span> <span class="file-size">({formatBytes(item.size)})</span>
              {item.state === 'uploading' && (
                <span class="file-state">
                  <progress max={1} value={item.progress} aria-label={t('files.uploading', { name: item.name })} />{' '}
                  {t('files.sending', { percent: Math.round(item.progress * 100) })}
                </span>
              )}
              {item.state === 'ready' && <span class="file-state file-ok">✓ {t('files.ready')}</span>}
              {item.problem && <span class="field-error file-problem">{item.problem}</span>}
              <span class="file-actions">
                {item.state === 'failed' && item.file && (
                  <button type="button" class="link-button" onClick={() => files.retry(item.key)}>
                    {t('files.retry')}
                    <span class="visually-hidden"> {item.name}</span>
                  </button>
                )}
                <button type="button" class="link-button" onClick={() => files.remove(item.key)}>
                  {t('files.remove')}
                  <span class="visually-hidden"> {item.name}</span>
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};

type StoredFile = { name: string; size: number };

/** Drawn, not an emoji: not every system has a font with 📎. */
const PaperClip = () => (
  <svg class="clip" aria-hidden="true" viewBox="0 0 24 24" width="16" height="16">
    <path
      d="M16.5 6.5 8.6 14.4a2 2 0 1 0 2.8 2.8l8.1-8.1a4 4 0 1 0-5.7-5.7L5.6 11.6a6 6 0 1 0 8.5 8.5l6.4-6.4"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
    />
  </svg>
);

/** An event's files as download links: each signed when clicked (a link lasts minutes), then opened; through the
 * tracking link (`token`) on its page. */
export const FileLinks = ({
  ticketId,
  eventId,
  files,
  token,
}: {
  ticketId?: string;
  eventId: string;
  files: StoredFile[] | undefined;
  token?: string;
}) => {
  const [problem, setProblem] = useState<{ index: number; message: string }>();
  if (!files || files.length === 0) return null;
  const open = async (index: number) => {
    setProblem(undefined);
    try {
      const { data } = token
        ? await request<{ url: string }>(`/track/${token}/events/${eventId}/attachments/${index}`, { auth: false })
        : await request<{ url: string }>(`/tickets/${ticketId}/events/${eventId}/attachments/${index}`);
      // The link answers with Content-Disposition: attachment, so the browser saves the file and stays here.
      window.location.assign(data.url);
    } catch (error) {
      setProblem({ index, message: describeError(error).message });
    }
  };
  return (
    <ul class="file-links" aria-label={t('files.attached')}>
      {files.map((file, index) => (
        <li key={`${index}-${file.name}`}>
          <button type="button" class="link-button" onClick={() => void open(index)}>
            <PaperClip />
            {file.name}
          </button>{' '}
          <span class="file-size">({formatBytes(file.size)})</span>
          {problem?.index === index && (
            <span class="field-error" role="alert">
              {' '}
              {t('files.downloadFailed', { reason: problem.message })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
};
