// The tracking link's page for people without an account: the status and the public conversation through
// the signed link in their mail, and a reply box with files. The link is the credential; no sign-in.
import { useState } from 'preact/hooks';
import type { TrackedTicket } from '#shared/domain/access/track-ticket.ts';
import { request } from '../api.ts';
import { type FileLink, FileLinks, FilePicker, useAttachments } from '../attachments.tsx';
import { describedBy, ErrorNotice, Field, Heading, Loading, Notice, StatusBadge } from '../components.tsx';
import { useDraft } from '../drafts.ts';
import { dateTime } from '../format.ts';
import { t, tKey } from '../i18n.ts';
import { usePolling, useResource, useSender } from '../load.ts';

export const Track = ({ params }: { params: Record<string, string> }) => {
  const token = encodeURIComponent(params.token ?? '');
  const loaded = useResource(() => request<TrackedTicket>(`/track/${token}`, { auth: false }).then((reply) => reply.data), [token]);
  usePolling(() => void loaded.reload(), 30_000);
  const [reply, setReply, clearReply] = useDraft(`track:${token.slice(-16)}`, '');
  const [sent, setSent] = useState(false);
  const files = useAttachments({ draft: `track:${token.slice(-16)}`, token });
  const sender = useSender((body: string, attachments: FileLink[]) =>
    request(`/track/${token}/comments`, {
      method: 'POST',
      auth: false,
      body: { body, visibility: 'public', ...(attachments.length > 0 ? { attachments } : {}) },
    }).catch((error: unknown) => {
      files.refusedBy(error, attachments);
      throw error;
    }),
  );

  if (loaded.loading && !loaded.data) return <Loading />;
  if (!loaded.data)
    return (
      <section class="page narrow">
        <Heading>{t('track.title')}</Heading>
        {loaded.error?.status === 404 ? (
          <Notice kind="error">{t('track.invalid')}</Notice>
        ) : (
          <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
        )}
      </section>
    );
  const ticket = loaded.data;
  const send = async (event: Event) => {
    event.preventDefault();
    if (!reply.trim()) return;
    if (!files.canSend()) return document.getElementById('reply-files')?.focus();
    if (!(await sender.run(reply, files.links()))) return;
    clearReply();
    files.clear();
    setSent(true);
    await loaded.reload();
  };
  return (
    <section class="page narrow">
      <p class="help">{t('track.intro')}</p>
      <Heading>{ticket.subject}</Heading>
      <p class="ticket-facts">
        <StatusBadge status={ticket.status} /> <span>{t('ticket.number', { number: ticket.number })}</span>
        <span>{t('ticket.filed', { when: dateTime(ticket.createdAt) })}</span>
      </p>
      <h2>{t('ticket.conversation')}</h2>
      <ol class="conversation">
        {ticket.history.map((entry) =>
          entry.type === 'CommentAdded' ? (
            <li key={entry.id} class={`message ${entry.by === 'you' ? 'from-you' : 'from-staff'}`}>
              <p class="message-head">
                <strong>{entry.by === 'you' ? t('ticket.you') : t('ticket.staff')}</strong> ·{' '}
                <time dateTime={entry.at}>{dateTime(entry.at)}</time>
              </p>
              <p class="message-body">{entry.body}</p>
              <FileLinks token={token} eventId={entry.id} files={entry.files} />
            </li>
          ) : (
            <li key={entry.id} class="event-line">
              {t('ticket.statusChanged', { status: tKey(`status.${entry.status}`) })} ·{' '}
              <time dateTime={entry.at}>{dateTime(entry.at)}</time>
            </li>
          ),
        )}
      </ol>
      {ticket.status === 'closed' ? (
        <Notice kind="info">{t('ticket.closedNote')}</Notice>
      ) : (
        <form class="card reply" onSubmit={send}>
          {sent && <Notice kind="success">{t('ticket.sent')}</Notice>}
          {sender.offline && (
            <Notice kind="warning" action={{ label: t('error.retryNow'), run: sender.retryNow }}>
              {t('error.retrying')}
            </Notice>
          )}
          <ErrorNotice error={sender.error} />
          <Field id="reply" label={t('ticket.reply')} help={t('ticket.replyHelp')}>
            <textarea
              id="reply"
              rows={4}
              value={reply}
              aria-describedby={describedBy('reply', 'help')}
              onInput={(event) => {
                setReply(event.currentTarget.value);
                setSent(false);
              }}
            />
          </Field>
          <FilePicker id="reply-files" files={files} refused={sender.error} />
          <button type="submit" class="primary" disabled={sender.busy || !reply.trim()}>
            {t('ticket.send')}
          </button>
        </form>
      )}
    </section>
  );
};
