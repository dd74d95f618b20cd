// The organisation as its configuration defines it, read-only, each part with where it is set; the closed days
// of the coming year; and a warning for each category nobody can be given now. The sections are one list
// (SECTIONS), tags, custom fields and the default macros among them. Administrators also export everything here.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OrganisationView } from '#shared/domain/people/organisation.ts';
import type { ExportView } from '#shared/domain/portability/export-tickets.ts';
import { type Described, describeError, request } from '../api.ts';
import type { Me } from '../auth.ts';
import { Heading, Loading, Notice } from '../components.tsx';
import { dateTime, nameOf } from '../format.ts';
import { lang, t } from '../i18n.ts';
import { useResource } from '../load.ts';
import { AdminError, DataTable, isLeadOrAdmin, NotForYou, percent } from './common.tsx';
import { ta } from './texts.ts';

export const Organisation = ({ me }: { me: Me }) => (isLeadOrAdmin(me) ? <OrganisationScreen me={me} /> : <NotForYou />);

const SetIn = ({ path }: { path: string }) => (
  <p class="help">
    {ta('org.setIn')}: <code>{path}</code>
  </p>
);

const Section = ({ id, title, set, children }: { id: string; title: string; set: string; children: ComponentChildren }) => (
  <section class="card" aria-labelledby={`${id}-title`}>
    <h2 id={`${id}-title`}>{title}</h2>
    <SetIn path={set} />
    {children}
  </section>
);

const minutes = (n: number) => ta('org.minutes', { n });
const named = (names: Record<string, string>) => names[lang.get()] ?? Object.values(names)[0] ?? '';

type FieldView = OrganisationView['customFields'][number];
type MacroActions = OrganisationView['macros'][number]['actions'];

/** A field's rule in a few words: its pattern and length, its bounds, or its options. */
const fieldRule = (field: FieldView): string => {
  if (field.type === 'list') return (field.options ?? []).map((option) => named(option.name)).join(', ');
  if (field.type === 'number') return `${field.min ?? '…'} – ${field.max ?? '…'}`;
  if (field.type === 'text') return [field.pattern, `≤ ${field.maxLength}`].filter(Boolean).join(' · ');
  return '—';
};

/** What a macro changes, as `what: value` pairs in the configuration's words. */
const macroActions = (actions: MacroActions): string =>
  [
    actions.status && `${t('agent.status')}: ${t(`status.${actions.status}`)}`,
    actions.priority && `${t('agent.priority')}: ${t(`priority.${actions.priority}`)}`,
    actions.category && `${ta('org.categories')}: ${nameOf('categories', actions.category)}`,
    actions.team && `${ta('org.teams')}: ${nameOf('teams', actions.team)}`,
    actions.assignee && `${t('agent.assignee')}: ${actions.assignee}`,
    actions.addTags?.length && `+${actions.addTags.join(', +')}`,
    actions.removeTags?.length && `−${actions.removeTags.join(', −')}`,
    actions.fields &&
      Object.entries(actions.fields)
        .map(([field, value]) => `${field}: ${value ?? '—'}`)
        .join(', '),
  ]
    .filter(Boolean)
    .join('; ') || '—';

/** Each part of the view, in order. A new part of the configuration is one more entry here. */
const SECTIONS: { id: string; render: (view: OrganisationView) => ComponentChildren }[] = [
  {
    id: 'organisation',
    render: (view) => (
      <Section id="organisation" title={ta('org.organisation')} set={view.organisation.set}>
        <dl class="facts">
          <dt>{ta('org.organisation')}</dt>
          <dd>{view.organisation.name}</dd>
          <dt>{ta('org.timeZone')}</dt>
          <dd>{view.organisation.timeZone}</dd>
          <dt>{ta('org.country')}</dt>
          <dd>{view.organisation.country}</dd>
          <dt>{ta('org.languages')}</dt>
          <dd>{view.organisation.languages.join(', ')}</dd>
          <dt>{ta('org.hours')}</dt>
          <dd>
            {ta('org.hoursLine', {
              days: view.businessHours.days.join(', '),
              start: view.businessHours.start,
              end: view.businessHours.end,
            })}{' '}
            <span class="help">
              ({ta('org.setIn')} <code>{view.businessHours.set}</code>)
            </span>
          </dd>
        </dl>
      </Section>
    ),
  },
  {
    id: 'teams',
    render: (view) => (
      <Section id="teams" title={ta('org.teams')} set="teams">
        <DataTable
          caption={ta('org.teams')}
          table={{
            columns: [
              ta('org.teams'),
              ta('org.members'),
              ta('org.availableNow'),
              ta('org.nextTier'),
              ta('org.escalation'),
              ta('org.setIn'),
            ],
            rows: view.teams.map((team) => [
              named(team.name),
              team.members,
              team.available,
              team.nextTier ? nameOf('teams', team.nextTier) : '—',
              `${team.escalation.steps.map((step) => ta('org.step', { action: step.action, minutes: step.afterMinutes })).join('; ') || '—'} (${team.escalation.set})`,
              team.set,
            ]),
          }}
        />
      </Section>
    ),
  },
  {
    id: 'categories',
    render: (view) => (
      <Section id="categories" title={ta('org.categories')} set="categories">
        <DataTable
          caption={ta('org.categories')}
          table={{
            columns: [ta('org.categories'), ta('org.teams'), ta('org.keywords'), ta('org.setIn')],
            rows: view.categories.map((category) => [
              named(category.name),
              nameOf('teams', category.team),
              [...category.keywords.id, ...category.keywords.en].join(', ') || '—',
              category.set,
            ]),
          }}
        />
      </Section>
    ),
  },
  {
    id: 'priorities',
    render: (view) => {
      const levels = Object.keys(view.priorities.matrix);
      return (
        <Section id="priorities" title={ta('org.priorities')} set={view.priorities.set}>
          <DataTable
            caption={ta('org.priorities')}
            table={{
              columns: [ta('org.urgency'), ...levels.map((level) => ta('org.impact', { level }))],
              rows: levels.map((urgency) => [
                urgency,
                ...levels.map((impact) => t(`priority.${view.priorities.matrix[urgency as 'high']![impact as 'high']!}`)),
              ]),
            }}
          />
          <p>{ta('org.defaults', { urgency: view.priorities.defaults.urgency, impact: view.priorities.defaults.impact })}</p>
        </Section>
      );
    },
  },
  {
    id: 'sla',
    render: (view) => (
      <Section id="sla" title={ta('org.sla')} set={view.sla.set}>
        <DataTable
          caption={ta('org.sla')}
          table={{
            columns: [
              t('agent.priority'),
              ta('org.calendar'),
              ta('org.firstResponse'),
              ta('org.nextUpdate'),
              ta('org.resolutionTarget'),
              ta('org.setIn'),
            ],
            rows: view.sla.policies.map((policy) => [
              t(`priority.${policy.priority}`),
              policy.calendar,
              minutes(policy.firstResponseMinutes),
              minutes(policy.nextUpdateMinutes),
              minutes(policy.resolutionMinutes),
              policy.set,
            ]),
          }}
        />
        <p>{ta('org.warning', { percent: percent(view.sla.warningFraction) })}</p>
      </Section>
    ),
  },
  {
    id: 'tags',
    render: (view) => (
      <Section id="tags" title={ta('org.tags')} set={view.tags.set}>
        <p>{ta(view.tags.free ? 'org.tagsFree' : 'org.tagsClosed', { max: view.tags.maxPerTicket })}</p>
        {view.tags.known.length > 0 && <p>{ta('org.knownTags', { tags: view.tags.known.join(', ') })}</p>}
      </Section>
    ),
  },
  {
    id: 'fields',
    render: (view) => (
      <Section id="fields" title={ta('org.fields')} set="customFields">
        {view.customFields.length === 0 ? (
          <p>{ta('org.fieldsNone')}</p>
        ) : (
          <DataTable
            caption={ta('org.fields')}
            table={{
              columns: [
                ta('org.field'),
                ta('org.fieldType'),
                ta('org.fieldRule'),
                ta('org.fieldCategories'),
                ta('org.fieldRequired'),
                ta('org.fieldSetBy'),
                ta('org.fieldReport'),
                ta('org.setIn'),
              ],
              rows: view.customFields.map((field) => [
                `${named(field.name)} (${field.id})`,
                field.type,
                fieldRule(field),
                field.categories?.map((category) => nameOf('categories', category)).join(', ') ?? ta('org.allCategories'),
                field.requiredFor.map((category) => nameOf('categories', category)).join(', ') || '—',
                field.setBy.join(', '),
                ta(field.report ? 'org.yes' : 'org.no'),
                field.set,
              ]),
            }}
          />
        )}
      </Section>
    ),
  },
  {
    id: 'macros',
    render: (view) => (
      <Section id="macros" title={ta('org.macros')} set="macros">
        <p class="help">{ta('org.macrosRuntime')}</p>
        {view.macros.length === 0 ? (
          <p>{ta('org.macrosNone')}</p>
        ) : (
          <DataTable
            caption={ta('org.macros')}
            table={{
              columns: [ta('org.macro'), ta('org.macroReply'), ta('org.macroActions'), ta('org.setIn')],
              rows: view.macros.map((macro) => [
                named(macro.name),
                macro.reply ? `${named(macro.reply)} (${ta(macro.visibility === 'internal' ? 'org.internal' : 'org.public')})` : '—',
                macroActions(macro.actions),
                macro.set,
              ]),
            }}
          />
        )}
      </Section>
    ),
  },
  {
    id: 'closed-days',
    render: (view) => (
      <Section
        id="closed-days"
        title={ta('org.closedDays', { from: view.closedDays.from, to: view.closedDays.to })}
        set="closedDates, shared/config/public-holidays.json"
      >
        <DataTable
          caption={ta('org.closedDays', { from: view.closedDays.from, to: view.closedDays.to })}
          table={{
            columns: [ta('dash.date'), ta('people.name'), ta('org.kind'), ta('org.setIn')],
            rows: view.closedDays.days.map((day) => [
              day.date,
              day.name,
              ta(day.kind === 'public-holiday' ? 'org.holiday' : 'org.closedDate'),
              day.set,
            ]),
          }}
        />
      </Section>
    ),
  },
];

/**
 * An administrator's full export (GET /admin/export, docs/integrations.md): started here and asked after every
 * few seconds until its one-hour link is ready. A second start while one runs joins it, as the API does.
 */
const ExportCard = () => {
  const [job, setJob] = useState<ExportView>();
  const [error, setError] = useState<Described>();
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      let view = (await request<ExportView>('/admin/export')).data;
      while (mounted.current) {
        setJob(view);
        if (view.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        view = (await request<ExportView>(`/admin/export/${encodeURIComponent(view.id)}`)).data;
      }
    } catch (failure) {
      if (mounted.current) setError(describeError(failure));
    } finally {
      if (mounted.current) setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">{ta('export.title')}</h2>
      <p>{ta('export.intro')}</p>
      <AdminError error={error} />
      <div role="status">
        {job?.status === 'running' && <p>{ta('export.running', { tickets: job.counts.tickets })}</p>}
        {job?.status === 'done' && (
          <Notice kind="success">
            {ta('export.done', { tickets: job.counts.tickets, events: job.counts.events, files: job.counts.files })}
          </Notice>
        )}
        {job?.status === 'failed' && <Notice kind="error">{ta('export.failed')}</Notice>}
      </div>
      {job?.download && (
        <p>
          <a class="button primary" href={job.download.url} download>
            {ta('export.download', { until: dateTime(job.download.expiresAt) })}
          </a>
        </p>
      )}
      <button type="button" class="secondary" disabled={busy} onClick={() => void start()}>
        {busy ? ta('export.busy') : job ? ta('export.again') : ta('export.start')}
      </button>
    </section>
  );
};

const OrganisationScreen = ({ me }: { me: Me }) => {
  const view = useResource(async () => (await request<OrganisationView>('/admin/organisation')).data, []);
  return (
    <section class="page">
      <Heading>{ta('org.title')}</Heading>
      <AdminError error={view.error} retry={() => void view.reload()} />
      {view.loading && !view.data && <Loading />}
      {view.data && (
        <>
          <p>{ta('org.intro', { file: view.data.file })}</p>
          {view.data.coverage.length === 0 ? (
            <Notice kind="success">{ta('org.coverageOk')}</Notice>
          ) : (
            <Notice kind="warning">
              {view.data.coverage.map((gap) => (
                <span key={gap.category} class="block">
                  {ta(`org.coverage.${gap.problem}`, { category: nameOf('categories', gap.category), team: nameOf('teams', gap.team) })}
                </span>
              ))}
            </Notice>
          )}
          {SECTIONS.map((section) => (
            <div key={section.id}>{section.render(view.data!)}</div>
          ))}
          {me.role === 'admin' && <ExportCard />}
        </>
      )}
    </section>
  );
};
