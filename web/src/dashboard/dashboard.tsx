// The lead's dashboard: for a range of dates and a team (both in the URL, so a link shows the same), the
// report's figures as charts, each with its numbers as a table and as CSV; the forecast only where it beats
// repeating last week, saying so beside it; last week's trends with what to do about them. Leads see the
// teams they lead, administrators any team or the whole desk (the API decides; refusals in plain words).
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ForecastReport, ForecastSeries } from '#shared/domain/reports/forecast.ts';
import type { DurationStats, SummaryReport } from '#shared/domain/reports/reports.ts';
import type { TrendReport } from '#shared/domain/reports/trends.ts';
import {
  AdminError,
  type Cell,
  csvOf,
  DataTable,
  download,
  duration,
  type FigureTable,
  isLeadOrAdmin,
  NotForYou,
  num,
  percent,
} from '../admin/common.tsx';
import { ta, taKey } from '../admin/texts.ts';
import { type Described, describeError, request } from '../api.ts';
import type { Me } from '../auth.ts';
import { Field, Heading, Loading } from '../components.tsx';
import { config } from '../config.ts';
import { dateTime, nameOf } from '../format.ts';
import { tKey } from '../i18n.ts';
import { useResource } from '../load.ts';
import { location$, navigate, onLinkClick } from '../router.ts';
import { useSignal } from '../state.ts';
import { Chart, type ChartSpec } from './chart.tsx';

const DAY = 86_400_000;
/** Today in the organisation's zone, as YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: config().organisation.timeZone }).format(new Date());
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

type Query = { from: string; to: string; team: string };

const queryOf = (me: Me, search: string): Query => {
  const params = new URLSearchParams(search);
  const to = params.get('to') ?? today();
  return {
    from: params.get('from') ?? addDays(to, -27),
    to,
    // A lead starts on the first team they lead; an administrator on the whole desk.
    team: params.get('team') ?? (me.role === 'admin' ? '' : (me.teams[0] ?? '')),
  };
};

/** The whole desk is `team=` (empty): every part is always there. */
const urlOf = (query: Query) => `/dashboard?${new URLSearchParams({ from: query.from, to: query.to, team: query.team })}`;

type Loaded<T> = { data?: T; error?: Described };
/** A failure that trying again may cure (no answer, or the API's own fault); a refusal is not one. */
const passing = (error: Described) => error.kind === 'network' || error.status >= 500;
const settle = async <T,>(promise: Promise<T>): Promise<Loaded<T>> =>
  promise.then(
    (data) => ({ data }),
    (error: unknown) => ({ error: describeError(error) }),
  );

type Figures = { summary: Loaded<SummaryReport>; forecast: Loaded<ForecastReport>; trends: Loaded<TrendReport> };

const load = async (query: Query): Promise<Figures> => {
  const team = query.team ? `&team=${encodeURIComponent(query.team)}` : '';
  const [summary, forecast, trends] = await Promise.all([
    settle(request<SummaryReport>(`/reports/summary?from=${query.from}&to=${query.to}${team}`).then((reply) => reply.data)),
    settle(request<ForecastReport>(`/reports/forecast?days=14${team}`).then((reply) => reply.data)),
    settle(request<TrendReport>(`/reports/trends?${team.slice(1)}`).then((reply) => reply.data)),
  ]);
  return { summary, forecast, trends };
};

export const Dashboard = ({ me }: { me: Me }) => {
  const path = useSignal(location$);
  const complete = ['from=', 'to=', 'team='].every((part) => path.includes(part));
  // The range and the team are always in the URL, so that a bookmark or a shared link shows the same figures.
  useEffect(() => {
    if (!complete && isLeadOrAdmin(me))
      navigate(urlOf(queryOf(me, path.includes('?') ? path.slice(path.indexOf('?')) : '')), { replace: true });
  }, [complete]);
  if (!isLeadOrAdmin(me)) return <NotForYou />;
  return complete ? <DashboardScreen me={me} /> : <Loading />;
};

const DashboardScreen = ({ me }: { me: Me }) => {
  const path = useSignal(location$);
  const query = queryOf(me, path.includes('?') ? path.slice(path.indexOf('?')) : '');
  const figures = useResource(() => load(query), [query.from, query.to, query.team]);
  const teamName = query.team ? nameOf('teams', query.team) : ta('dash.wholeDesk');
  const summary = figures.data?.summary.data;
  const refusal = figures.data?.summary.error;
  const panels = useMemo(() => (summary ? summaryPanels(summary) : []), [summary]);
  const forecastPanels = useMemo(
    () => (figures.data?.forecast.data ? forecastPanelsOf(figures.data.forecast.data) : undefined),
    [figures.data],
  );

  const exportAll = () =>
    download(
      `helpdesk-${query.from}-${query.to}${query.team ? `-${query.team}` : ''}.csv`,
      csvOf([...panels, ...(forecastPanels?.shown ?? [])].map(({ title, table }) => ({ title, table }))),
    );

  return (
    <section class="page dashboard">
      <div class="page-head">
        <Heading>{ta('dash.title')}</Heading>
        {summary && (
          <button type="button" class="secondary" onClick={exportAll}>
            {ta('dash.exportAll')}
          </button>
        )}
      </div>
      <RangeForm me={me} query={query} reload={() => void figures.reload()} />
      <p class="help">{ta('dash.range', { from: query.from, to: query.to, team: teamName })}</p>
      {figures.loading && !figures.data && <Loading />}
      <AdminError error={refusal} {...(refusal && passing(refusal) ? { retry: () => void figures.reload() } : {})} />
      {summary && (
        <>
          <p class="help">
            {ta('dash.generated', { when: dateTime(summary.generatedAt), asOf: dateTime(summary.backlog?.asOf ?? summary.generatedAt) })}
          </p>
          <div class="panels">
            {panels.map((panel) => (
              <Panel key={panel.id} {...panel} />
            ))}
          </div>
          <CsatComments report={summary} />
          <KnowledgeBase report={summary} />
        </>
      )}
      {/* A refused range or team is said once, above; the forecast and trends would only repeat it. */}
      {figures.data && !refusal && <ForecastSection loaded={figures.data.forecast} panels={forecastPanels} />}
      {figures.data && !refusal && <Trends loaded={figures.data.trends} />}
    </section>
  );
};

/**
 * The range and the team; submitting changes the URL, so the browser's back button and a shared link keep them.
 * Submitting the range already shown fetches the figures again (the lead wants today's latest).
 */
const RangeForm = ({ me, query, reload }: { me: Me; query: Query; reload: () => void }) => {
  const [from, setFrom] = useState(query.from);
  const [to, setTo] = useState(query.to);
  const [team, setTeam] = useState(query.team);
  const teams = me.role === 'admin' ? config().teams.map((one) => one.id) : me.teams;
  const submit = (event: Event) => {
    event.preventDefault();
    if (from === query.from && to === query.to && team === query.team) reload();
    else navigate(urlOf({ from, to, team }));
  };
  return (
    <form class="card range" onSubmit={submit}>
      <Field id="range-from" label={ta('dash.from')}>
        <input id="range-from" type="date" required value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
      </Field>
      <Field id="range-to" label={ta('dash.to')}>
        <input id="range-to" type="date" required value={to} onInput={(event) => setTo(event.currentTarget.value)} />
      </Field>
      <Field id="range-team" label={ta('dash.team')}>
        <select id="range-team" value={team} onChange={(event) => setTeam(event.currentTarget.value)}>
          {me.role === 'admin' && <option value="">{ta('dash.wholeDesk')}</option>}
          {/* A team in the URL that is not offered stays visible, so the refusal below makes sense. */}
          {[...new Set([...teams, ...(query.team ? [query.team] : [])])].map((id) => (
            <option key={id} value={id}>
              {nameOf('teams', id)}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" class="primary">
        {ta('dash.show')}
      </button>
    </form>
  );
};

type PanelProps = { id: string; title: string; summary: string; chart?: ChartSpec; table: FigureTable; extra?: ComponentChildren };

const Panel = ({ id, title, summary, chart, table, extra }: PanelProps) => (
  <figure class="card panel" aria-labelledby={`${id}-title`}>
    <figcaption>
      <h2 id={`${id}-title`}>{title}</h2>
      <p>{summary}</p>
    </figcaption>
    {chart && <Chart spec={chart} summary={`${title}. ${summary}`} />}
    {extra}
    <details>
      <summary>{ta('dash.table')}</summary>
      <DataTable caption={title} table={table} />
    </details>
    <button type="button" class="link-button" onClick={() => download(`${id}.csv`, csvOf([{ title, table }]))}>
      {ta('dash.export')} · {title}
    </button>
  </figure>
);

const entries = (record: Record<string, number>, name: (key: string) => string): [string, number][] =>
  Object.entries(record).map(([key, value]) => [name(key), value]);

const barsOf = (rows: [string, number][], label: string): ChartSpec => ({
  kind: 'bars',
  labels: rows.map(([key]) => key),
  series: [{ label, values: rows.map(([, value]) => value) }],
});

const durationPanel = (id: string, title: string, business: DurationStats, wall: DurationStats): PanelProps => {
  const bands = Object.keys(business.bands);
  return {
    id,
    title,
    summary: ta('dash.durationSummary', {
      businessMedian: duration(business.medianMs),
      wallMedian: duration(wall.medianMs),
      businessP90: duration(business.p90Ms),
      wallP90: duration(wall.p90Ms),
      count: wall.count,
    }),
    chart: {
      kind: 'bars',
      labels: bands,
      series: [
        { label: ta('dash.business'), values: bands.map((band) => business.bands[band] ?? 0) },
        { label: ta('dash.wallClock'), values: bands.map((band) => wall.bands[band] ?? 0) },
      ],
    },
    table: {
      columns: [ta('dash.band'), ta('dash.business'), ta('dash.wallClock')],
      rows: [
        ...bands.map((band): Cell[] => [band, business.bands[band] ?? 0, wall.bands[band] ?? 0]),
        [ta('dash.median'), duration(business.medianMs), duration(wall.medianMs)],
        [ta('dash.p90'), duration(business.p90Ms), duration(wall.p90Ms)],
        [ta('dash.count'), business.count, wall.count],
      ],
    },
  };
};

const summaryPanels = (report: SummaryReport): PanelProps[] => {
  const byCategory = entries(report.volume.byCategory, (key) => nameOf('categories', key));
  const byChannel = entries(report.volume.byChannel, (key) => tKey(`channel.${key}`));
  const priorities = Object.entries(report.sla.byPriority);
  const totalBreaches = Object.values(report.sla.breaches).reduce((sum, value) => sum + value, 0);
  // No backlog for a tag or field filter (the console asks for neither): no bars rather than a failure.
  const byStatus = entries(report.backlog?.byStatus ?? {}, (key) => tKey(`status.${key}`));
  const byAge = entries(report.backlog?.byAge ?? {}, (key) => key);
  const ratings = entries(report.csat.byRating, (key) => key);
  return [
    {
      id: 'volume-by-day',
      title: ta('dash.volume'),
      summary: ta('dash.volumeSummary', { total: report.volume.total, resolved: report.resolution.resolved }),
      chart: {
        kind: 'lines',
        labels: report.volume.byDay.map((day) => day.date),
        series: [
          { label: ta('dash.created'), values: report.volume.byDay.map((day) => day.created) },
          { label: ta('dash.resolved'), values: report.volume.byDay.map((day) => day.resolved) },
        ],
      },
      table: {
        columns: [ta('dash.date'), ta('dash.created'), ta('dash.resolved')],
        rows: report.volume.byDay.map((day) => [day.date, day.created, day.resolved]),
      },
    },
    {
      id: 'volume-by-category',
      title: ta('dash.byCategory'),
      summary: byCategory.map(([name, value]) => `${name} ${value}`).join(', ') || ta('dash.empty'),
      chart: barsOf(byCategory, ta('dash.tickets')),
      table: { columns: [ta('dash.category'), ta('dash.tickets')], rows: byCategory },
    },
    {
      id: 'volume-by-channel',
      title: ta('dash.byChannel'),
      summary: byChannel.map(([name, value]) => `${name} ${value}`).join(', ') || ta('dash.empty'),
      chart: barsOf(byChannel, ta('dash.tickets')),
      table: { columns: [ta('dash.channel'), ta('dash.tickets')], rows: byChannel },
    },
    durationPanel('first-response', ta('dash.firstResponse'), report.firstResponse.business, report.firstResponse.wallClock),
    durationPanel('resolution', ta('dash.resolution'), report.resolution.business, report.resolution.wallClock),
    {
      id: 'sla',
      title: ta('dash.sla'),
      summary: ta('dash.slaSummary', {
        fr: percent(report.sla.firstResponse.compliance),
        res: percent(report.sla.resolution.compliance),
        breaches: totalBreaches,
      }),
      chart: {
        kind: 'bars',
        percent: true,
        labels: priorities.map(([priority]) => tKey(`priority.${priority}`)),
        series: [
          { label: ta('dash.frCompliance'), values: priorities.map(([, figures]) => figures.firstResponse.compliance) },
          { label: ta('dash.resCompliance'), values: priorities.map(([, figures]) => figures.resolution.compliance) },
        ],
      },
      table: {
        columns: [ta('dash.priority'), ta('dash.frCompliance'), ta('dash.resCompliance'), ta('dash.breaches')],
        rows: priorities.map(([priority, figures]) => [
          tKey(`priority.${priority}`),
          percent(figures.firstResponse.compliance),
          percent(figures.resolution.compliance),
          figures.breaches,
        ]),
      },
    },
    {
      id: 'backlog-status',
      title: `${ta('dash.backlog')}: ${ta('dash.byStatus').toLowerCase()}`,
      summary: ta('dash.backlogSummary', { total: report.backlog?.total ?? 0 }),
      chart: barsOf(byStatus, ta('dash.tickets')),
      table: { columns: [ta('dash.status'), ta('dash.tickets')], rows: byStatus },
    },
    {
      id: 'backlog-age',
      title: `${ta('dash.backlog')}: ${ta('dash.byAge').toLowerCase()}`,
      summary: ta('dash.backlogSummary', { total: report.backlog?.total ?? 0 }),
      chart: barsOf(byAge, ta('dash.tickets')),
      table: { columns: [ta('dash.age'), ta('dash.tickets')], rows: byAge },
    },
    {
      id: 'csat',
      title: ta('dash.csat'),
      summary: ta('dash.csatSummary', {
        mean: num(report.csat.mean),
        responses: report.csat.responses,
        rate: percent(report.csat.responseRate),
      }),
      chart: barsOf(ratings, ta('dash.ratings')),
      table: { columns: [ta('dash.rating'), ta('dash.ratings')], rows: ratings },
    },
  ];
};

const CsatComments = ({ report }: { report: SummaryReport }) => (
  <section class="card" aria-labelledby="comments-title">
    <h2 id="comments-title">{ta('dash.comments')}</h2>
    {report.csat.comments.length === 0 ? (
      <p class="empty">{ta('dash.noComments')}</p>
    ) : (
      <ul class="comments">
        {report.csat.comments.map((comment) => (
          <li key={comment.ticketId}>
            <blockquote>{comment.comment}</blockquote>
            <p class="help">
              <a href={`/agent/tickets/${comment.ticketId}`} onClick={onLinkClick}>
                {ta('dash.commentLine', { number: comment.number, rating: comment.rating })}
              </a>{' '}
              · {nameOf('categories', comment.category)}
            </p>
          </li>
        ))}
      </ul>
    )}
  </section>
);

const KnowledgeBase = ({ report }: { report: SummaryReport }) => {
  const kb = report.knowledgeBase;
  if (!kb) return null;
  const table: FigureTable = {
    columns: [ta('dash.figure'), ta('dash.value')],
    rows: [
      [ta('dash.kb.shown'), kb.deflection.suggestionsShown],
      [ta('dash.kb.opened'), kb.deflection.articlesOpened],
      [ta('dash.kb.withdrawn'), kb.deflection.requestsWithdrawn],
      [ta('dash.kb.conversations'), kb.chat.conversations],
      [ta('dash.kb.answered'), kb.chat.answered],
      [ta('dash.kb.handoffs'), kb.chat.handoffs],
    ],
  };
  return (
    <Panel
      id="knowledge-base"
      title={ta('dash.kb')}
      summary={ta('dash.kbSummary', {
        withdrawn: kb.deflection.requestsWithdrawn,
        shown: kb.deflection.suggestionsShown,
        rate: percent(kb.deflection.rate),
        answered: kb.chat.answered,
        answerRate: percent(kb.chat.answerRate),
      })}
      table={table}
    />
  );
};

type ForecastPanels = { shown: PanelProps[]; hidden: string[] };

const accuracyText = (key: 'dash.forecastShown' | 'dash.forecastHidden', series: ForecastSeries, name: string) =>
  ta(key, {
    series: name,
    weeks: series.accuracy.weeks,
    mape: percent(series.accuracy.model.mape),
    naiveMape: percent(series.accuracy.seasonalNaive.mape),
    wape: percent(series.accuracy.model.wape),
    naiveWape: percent(series.accuracy.seasonalNaive.wape),
  });

/** Only the series that beat seasonal naive become charts; the others are named, with their figures. */
const forecastPanelsOf = (report: ForecastReport): ForecastPanels | undefined => {
  if (report.insufficientHistory) return undefined;
  const all: [string, string, ForecastSeries][] = [
    ['forecast-total', ta('dash.forecastAll'), report.total],
    ...Object.entries(report.byCategory).map(([category, series]): [string, string, ForecastSeries] => [
      `forecast-${category}`,
      nameOf('categories', category),
      series,
    ]),
  ];
  const shown: PanelProps[] = [];
  const hidden: string[] = [];
  for (const [id, name, series] of all) {
    if (!series.accuracy.beatsSeasonalNaive) {
      hidden.push(accuracyText('dash.forecastHidden', series, name));
      continue;
    }
    shown.push({
      id,
      title: `${ta('dash.forecast')}: ${name}`,
      summary: accuracyText('dash.forecastShown', series, name),
      chart: {
        kind: 'lines',
        labels: series.days.map((day) => day.date),
        series: [{ label: ta('dash.expected'), values: series.days.map((day) => day.expected) }],
        band: {
          low: series.days.map((day) => day.low),
          high: series.days.map((day) => day.high),
          lowLabel: ta('dash.low'),
          highLabel: ta('dash.high'),
        },
      },
      table: {
        columns: [ta('dash.date'), ta('dash.dayKind'), ta('dash.expected'), ta('dash.low'), ta('dash.high')],
        rows: series.days.map((day) => [day.date, taKey(`dash.kind.${day.kind}`), day.expected, day.low, day.high]),
      },
    });
  }
  return { shown, hidden };
};

const ForecastSection = ({ loaded, panels }: { loaded: Loaded<ForecastReport>; panels: ForecastPanels | undefined }) => (
  <section class="forecast" aria-labelledby="forecast-title">
    <h2 id="forecast-title">{ta('dash.forecast')}</h2>
    <AdminError error={loaded.error} />
    {loaded.data?.insufficientHistory && (
      <p class="card empty">
        {ta('dash.forecastInsufficient', { required: loaded.data.history.required, days: loaded.data.history.daysWithData })}
      </p>
    )}
    {panels && (
      <>
        <div class="panels">
          {panels.shown.map((panel) => (
            <Panel key={panel.id} {...panel} />
          ))}
        </div>
        {panels.hidden.length > 0 && (
          <ul class="card forecast-hidden">
            {panels.hidden.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </>
    )}
  </section>
);

const Trends = ({ loaded }: { loaded: Loaded<TrendReport> }) => {
  const report = loaded.data;
  return (
    <section class="card" aria-labelledby="trends-title">
      <h2 id="trends-title">
        {report ? ta('dash.trends', { from: report.week.from, to: report.week.to }) : ta('dash.trends', { from: '…', to: '…' })}
      </h2>
      <AdminError error={loaded.error} />
      {report && report.trends.length === 0 && <p class="empty">{ta('dash.noTrends', { weeks: report.weeks })}</p>}
      {report && report.trends.length > 0 && (
        <ul class="trends">
          {report.trends.map((trend) => (
            <li key={trend.category}>
              <strong>
                {ta('dash.trendLine', {
                  category: nameOf('categories', trend.category),
                  count: trend.count,
                  mean: num(trend.mean),
                  direction: ta(trend.direction === 'rise' ? 'dash.rise' : 'dash.fall'),
                })}
              </strong>{' '}
              {taKey(`dash.rec.${trend.recommendation}`)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
