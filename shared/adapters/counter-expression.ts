// The `ADD` update of a set of counters, shared by the statistics (stats-store.ts) and the knowledge base's
// counters (kb-store.ts). A module of its own so that the knowledge base's bundles do not bring the ticket
// store (and the ticket's schemas) along with stats-store.ts.
import type { StatsCounters } from '#shared/domain/reports/stats.ts';

const COUNTER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `ADD` of each counter (names checked: they come from the domain, never from input). */
export const addExpression = (counters: StatsCounters) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = Object.entries(counters).map(([name, increment], index) => {
    if (!COUNTER_NAME.test(name)) throw new Error(`not a counter name: ${name}`);
    names[`#c${index}`] = name;
    values[`:c${index}`] = increment;
    return `#c${index} :c${index}`;
  });
  return { expression: `ADD ${adds.join(', ')} SET entity = :entity`, names, values: { ...values, ':entity': 'stats' } };
};
