// Reads and validates the organisation's configuration once per process (cold start).
// An invalid file fails loudly with every offending field named; nothing runs on a half-valid SOP.

import { configSchema, type HelpdeskConfig } from './config-schema.ts';
import defaultConfig from './helpdesk.config.json' with { type: 'json' };

export class ConfigError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`Invalid helpdesk configuration:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const parseConfig = (raw: unknown): HelpdeskConfig => {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })));
};

let cached: HelpdeskConfig | undefined;

/** The configuration bundled with the code (`shared/config/helpdesk.config.json`). */
export const loadConfig = (): HelpdeskConfig => (cached ??= parseConfig(defaultConfig));
