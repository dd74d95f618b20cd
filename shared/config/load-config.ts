// Reads and validates the organisation's configuration once per process (cold start).
// An invalid file fails loudly with every offending field named; nothing runs on a half-valid SOP.

import { readFileSync } from 'node:fs';
import { TICKET_EVENT_TYPES } from '#shared/domain/tickets/ticket.ts';
import { configSchema, type HelpdeskConfig } from './config-schema.ts';
import defaultConfig from './helpdesk.config.json' with { type: 'json' };

export class ConfigError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`Invalid helpdesk configuration:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Fields earlier versions read, and where what they said lives now: named plainly rather than "unknown". */
const MOVED: Record<string, string> = {
  agents:
    'is no longer read: staff, their teams and roles live in the user pool (groups, custom:teams) and the staff directory; remove the field and invite staff as the README says',
  publicUrl: 'is no longer read: links in mail use the deployed API (or its custom domain, the context value domainName); remove the field',
};

const movedProblems = (raw: unknown) => {
  if (typeof raw !== 'object' || raw === null) return [];
  const problems = Object.entries(MOVED)
    .filter(([field]) => field in raw)
    .map(([path, message]) => ({ path, message }));
  const teams = (raw as { teams?: unknown }).teams;
  if (Array.isArray(teams))
    teams.forEach((team, index) => {
      if (typeof team === 'object' && team !== null && 'lead' in team)
        problems.push({
          path: `teams.${index}.lead`,
          message: "is no longer read: a team's leads are the people in the lead group whose teams include it",
        });
    });
  return problems;
};

/** Audit records (a staff member read a ticket, from which address) stay in the desk. */
const NOT_FOR_WEBHOOKS = new Set(['TicketViewed']);

/** Webhook event names are ticket event types (kept here, not in the schema: ticket.ts imports the schema). */
const webhookEventProblems = (config: HelpdeskConfig) =>
  config.webhooks.flatMap((webhook, index) =>
    webhook.events.flatMap((type, at) => {
      const path = `webhooks.${index}.events.${at}`;
      if (NOT_FOR_WEBHOOKS.has(type)) return [{ path, message: `${type} is an audit record and is not sent to other systems` }];
      if (!(TICKET_EVENT_TYPES as readonly string[]).includes(type))
        return [
          { path, message: `must be a ticket event type: ${TICKET_EVENT_TYPES.filter((name) => !NOT_FOR_WEBHOOKS.has(name)).join(', ')}` },
        ];
      return [];
    }),
  );

export const parseConfig = (raw: unknown): HelpdeskConfig => {
  const moved = movedProblems(raw);
  if (moved.length > 0) throw new ConfigError(moved);
  const result = configSchema.safeParse(raw);
  if (result.success) {
    const problems = webhookEventProblems(result.data);
    if (problems.length > 0) throw new ConfigError(problems);
    return result.data;
  }
  throw new ConfigError(result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })));
};

let cached: HelpdeskConfig | undefined;

/**
 * A configuration file to run with instead of the bundled one: the sandbox only (a test's own webhooks). Never
 * set in AWS: the functions run with the bundled file, and `cdk synth` refuses to run while it is set.
 */
export const SANDBOX_CONFIG_FILE_ENV = 'SANDBOX_CONFIG_FILE';

const rawConfig = (): unknown => {
  const file = process.env[SANDBOX_CONFIG_FILE_ENV];
  return file ? JSON.parse(readFileSync(file, 'utf8')) : defaultConfig;
};

/** The configuration bundled with the code (`shared/config/helpdesk.config.json`). */
export const loadConfig = (): HelpdeskConfig => (cached ??= parseConfig(rawConfig()));
