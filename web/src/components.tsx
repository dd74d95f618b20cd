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

/**
 * A refusal in plain words with each field the API named. A screen with words of its own names its fields
 * (`fieldName`), may say a refusal its own way (`message`) and offer another action than trying again.
 */
export const ErrorNotice = ({
  error,
  retry,
  action,
  fieldName = (path) => tKey(`field.${path}`),
  message,
}: {
  error: Described | undefined;
  retry?: (() => void) | undefined;
  action?: { label: string; run: () => void } | undefined;
  fieldName?: (path: string) => string;
  message?: string | undefined;
}) => {
  if (!error) return null;
  const offered = action ?? (retry ? { label: t('error.retryNow'), run: retry } : undefined);
  return (
    <Notice kind="error" {...(offered ? { action: offered } : {})}>
      {message ?? error.message}
      {listed(error).length > 0 && (
        <ul class="field-errors">
          {listed(error).map(([path, text]) => (
            <li key={path}>
              {fieldName(path)}: {text}
            </li>
          ))}
        </ul>
      )}
    </Notice>
  );
};

/** A delete that asks first: the question in words, why it failed or that it waits for the connection, yes and no. */
export const ConfirmDelete = ({
  id,
  question,
  yes,
  no,
  remove,
  fieldName,
  onYes,
  onNo,
}: {
  id: string;
  question: string;
  yes: string;
  no: string;
  remove: { busy: boolean; offline: boolean; error?: Described | undefined; retryNow: () => void };
  fieldName?: (path: string) => string;
  onYes: () => void;
  onNo: () => void;
}) => (
  <div class="notice notice-warning confirm" role="alertdialog" aria-labelledby={id}>
    <p id={id}>{question}</p>
    <ErrorNotice error={remove.error} {...(fieldName ? { fieldName } : {})} />
    {remove.offline && (
      <Notice kind="warning" action={{ label: t('error.retryNow'), run: remove.retryNow }}>
        {t('error.retrying')}
      </Notice>
    )}
    <div class="actions">
      <button type="button" class="primary danger" disabled={remove.busy} onClick={onYes}>
        {yes}
      </button>
      <button type="button" class="link-button" onClick={onNo}>
        {no}
      </button>
    </div>
  </div>
);

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

/** Radio buttons under their legend, the one of `value` checked (at least 44 px each, for thumbs). */
export const Choices = <V extends string>({
  name,
  legend,
  value,
  options,
  onChange,
}: {
  name: string;
  legend: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) => (
  <fieldset class="field">
    <legend>{legend}</legend>
    <div class="choices">
      {options.map((option) => (
        <label key={option.value} class="choice">
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
          {option.label}
        </label>
      ))}
    </div>
  </fieldset>
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
