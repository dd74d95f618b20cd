// ITIL priority: urgency × impact, looked up in the organisation's matrix (DOMAIN.md gives the default).
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Level, Priority } from '#shared/config/config-values.ts';

export const PRIORITY_RANK: Record<Priority, number> = { critical: 1, high: 2, medium: 3, low: 4 };

export const priorityFor = (config: Pick<HelpdeskConfig, 'priorityMatrix'>, urgency: Level, impact: Level): Priority => {
  const priority = config.priorityMatrix[urgency]?.[impact];
  // The config schema guarantees every cell; reaching here means the caller bypassed it.
  if (!priority) throw new Error(`priority matrix has no cell for urgency=${urgency} impact=${impact}`);
  return priority;
};
