// Small pieces every screen uses: status and SLA badges in colour and words, error notices, fields.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { slaMarks, slaStanding } from '#shared/domain/sla/sla-standing.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import type { Described } from './api.ts';
import { dateTime, relative } from './format.ts';
import { t, tKey } from './i18n.ts';

/** A status as staff read it: "pending" is waiting for the requester, not the requester's "waiting for your reply". */
export const staffStatus = (status: string) => (status === 'pending' ? t('staffStatus.pending') : tKey(`status.${status}`));

export const StatusBadge = ({ status, staff = false }: { status: Ticket['status']; staff?: boolean }) => (
  <span class={`badge status-${status}`}>{staff ? staffStatus(status) : tKey(`status.${status}`)}</span>
);

/** At risk and breached are never colour alone: the words and an icon say it too. */
export const SlaBadge = ({ ticket, now = Date.now() }: { ticket: Pick<Ticket, 'sla'>; now?: number }) => {
  const standing = slaStanding(ticket.sla, new Date(now).toISOString());
  const { dueAt } = slaMarks(ticket.sla);
  const icon = standing === 'breached' ? '!!' : standing === 'at-risk' ? '!' : standing === 'on-track' ? '✓' : '–';
  return (
    <span class={`badge sla sla-${standing}`} title={dueAt ? dateTime(dueAt) : undefined}>
      <span aria-hidden="true">{icon} </span>
      {tKey(`sla.${standing}`)}
      {dueAt && (standing === 'on-track' || standing === 'at-risk' || standing === 'breached') && (
        <span class="sla-due"> · {t(Date.parse(dueAt) <= now ? 'sla.overdue' : 'sla.dueIn', { when: relative(dueAt, now) })}</span>
      )}
    </span>
  );
};

export const PriorityBadge = ({ priority }: { priority: Ticket['priority'] }) => (
  <span class={`badge priority-${priority}`}>{tKey(`priority.${priority}`)}</span>
);

/** A failure in plain words, announced to screen readers, with an optional action (try again). */
export const Notice = ({
  kind,
  children,
  action,
}: {
  kind: 'error' | 'info' | 'success' | 'warning';
  children: ComponentChildren;
  action?: { label: string; run: () => void };
}) => (
  <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    <p>{children}</p>
    {action && (
      <button type="button" class="link-button" onClick={action.run}>
        {action.label}
      </button>
    )}
  </div>
);

/** The refused fields a notice lists; a refused file is explained beside the file instead (attachments.tsx). */
const listed = (error: Described) => Object.entries(error.fields).filter(([path]) => !path.startsWith('attachments'));

export const ErrorNotice = ({ error, retry }: { error: Described | undefined; retry?: () => void }) =>
  error ? (
    <Notice kind="error" {...(retry ? { action: { label: t('error.retryNow'), run: retry } } : {})}>
      {error.message}
      {listed(error).length > 0 && (
        <ul class="field-errors">
          {listed(error).map(([path, message]) => (
            <li key={path}>
              {tKey(`field.${path}`)}: {message}
            </li>
          ))}
        </ul>
      )}
    </Notice>
  ) : null;

/** A labelled control with its help text and its error tied to it (aria-describedby). */
export const Field = ({
  id,
  label,
  help,
  error,
  children,
}: {
  id: string;
  label: string;
  help?: string | undefined;
  error?: string | undefined;
  children: ComponentChildren;
}) => (
  <div class={`field${error ? ' field-invalid' : ''}`}>
    <label for={id}>{label}</label>
    {help && (
      <p class="help" id={`${id}-help`}>
        {help}
      </p>
    )}
    {children}
    {error && (
      <p class="field-error" id={`${id}-error`}>
        {error}
      </p>
    )}
  </div>
);

export const describedBy = (id: string, help?: string, error?: string) =>
  [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** Each screen's heading takes the focus when the screen opens, so a screen reader hears where it is. */
export const Heading = ({ children }: { children: ComponentChildren }) => {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
};

export const Loading = () => (
  <p class="loading" role="status">
    {t('app.loading')}
  </p>
);
