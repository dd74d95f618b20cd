// The operations dashboard read back from a synthesized template: its widgets, each metric row, and the
// business metrics the dashboard and the alarms name (what the code must emit).
import type { Template } from 'aws-cdk-lib/assertions';
import type { Resource } from './template-queries.ts';

export type MetricRow = (string | Record<string, unknown>)[];
export type Widget = {
  type: string;
  width: number;
  properties: { title?: string; markdown?: string; alarms?: string[]; metrics?: MetricRow[] };
};

/** CloudFormation values inside the body, as readable placeholders: `{{Ref:X}}`, `{{X.Arn}}`. */
export const placeholder = (token: Record<string, unknown>): string => {
  if ('Ref' in token) return `{{Ref:${String(token.Ref)}}}`;
  if ('Fn::GetAtt' in token) return `{{${(token['Fn::GetAtt'] as string[]).join('.')}}}`;
  return '{{token}}';
};

/** The dashboard's widgets: the Fn::Join of its body, tokens replaced by placeholders, parsed. */
export const widgetsOf = (dashboard: Resource): Widget[] => {
  const body = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, (string | Record<string, unknown>)[]] };
  const text =
    typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : placeholder(part))).join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
};

/** A metric row as `namespace/name` plus its dimensions, or the expression of a math row. */
export const describeRow = (row: MetricRow) => {
  const options = (typeof row.at(-1) === 'object' ? row.at(-1) : {}) as Record<string, unknown>;
  if ('expression' in options) return { expression: options.expression as string, label: options.label as string | undefined };
  const [namespace, name, ...dimensions] = row.filter((part): part is string => typeof part === 'string');
  return {
    metric: `${namespace}/${name}`,
    dimensions: Object.fromEntries(Array.from({ length: dimensions.length / 2 }, (_, i) => [dimensions[2 * i], dimensions[2 * i + 1]])),
    label: options.label as string | undefined,
    stat: options.stat as string | undefined,
    visible: options.visible as boolean | undefined,
  };
};

/** A business metric the operations watch: its name, the dimensions it is selected by, and the values fixed. */
export type WatchedMetric = { metric: string; dimensions: string[]; values: Record<string, string>; by: string };

const SEARCH = /SEARCH\('\{([^}]+)\}\s+([^']*)'/;
const TERM = /(\w+)="([^"]*)"/g;

/**
 * Every metric of `namespace` the template's dashboards (rows and SEARCH expressions) and alarms name, with
 * the dimensions each selects it by: the one source of what the functions must emit.
 */
export const watchedMetrics = (template: Template, namespace: string): WatchedMetric[] => {
  const watched: WatchedMetric[] = [];
  const resources = Object.values(template.toJSON().Resources as Record<string, Resource>);
  for (const dashboard of resources.filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard'))
    for (const widget of widgetsOf(dashboard))
      for (const row of widget.properties.metrics ?? []) {
        const by = `dashboard: ${widget.properties.title}`;
        const described = describeRow(row);
        if ('expression' in described) {
          const search = SEARCH.exec(described.expression ?? '');
          if (!search) continue;
          const [space, ...dimensions] = search[1]!.split(',').map((part) => part.trim());
          const terms = Object.fromEntries([...search[2]!.matchAll(TERM)].map((term) => [term[1]!, term[2]!]));
          const { MetricName: metric, ...values } = terms;
          if (space === namespace && metric) watched.push({ metric, dimensions: dimensions.sort(), values, by });
        } else if (described.metric.startsWith(`${namespace}/`))
          watched.push({
            metric: described.metric.slice(namespace.length + 1),
            dimensions: Object.keys(described.dimensions).sort(),
            values: described.dimensions,
            by,
          });
      }
  for (const alarm of resources.filter(
    (resource) => resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties.Namespace === namespace,
  )) {
    const dimensions = (alarm.Properties.Dimensions ?? []) as { Name: string; Value: string }[];
    watched.push({
      metric: alarm.Properties.MetricName,
      dimensions: dimensions.map((dimension) => dimension.Name).sort(),
      values: Object.fromEntries(dimensions.map((dimension) => [dimension.Name, dimension.Value])),
      by: `alarm: ${String(alarm.Properties.AlarmDescription).slice(0, 60)}`,
    });
  }
  return watched;
};
