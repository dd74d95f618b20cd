// The runtime configuration (/config.json, written per stage at deploy time or by the sandbox): read once at
// start and checked by hand, so zod stays out of the console's bundle.
import type { ConsoleConfig } from '#shared/console/console-config.ts';

export type { ConsoleConfig };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const parseConsoleConfig = (raw: unknown): ConsoleConfig => {
  if (!isObject(raw) || typeof raw.apiUrl !== 'string' || !isObject(raw.signIn) || !isObject(raw.organisation))
    throw new Error('config.json lacks apiUrl, signIn or organisation');
  const signIn = raw.signIn;
  if (signIn.mode === 'cognito') {
    for (const key of ['domain', 'clientId', 'redirectUri', 'logoutUri'])
      if (typeof signIn[key] !== 'string') throw new Error(`config.json signIn.${key} is missing`);
  } else if (signIn.mode !== 'local' || !Array.isArray(signIn.people)) throw new Error('config.json signIn.mode must be local or cognito');
  if (!Array.isArray(raw.teams) || !Array.isArray(raw.categories)) throw new Error('config.json lacks teams or categories');
  // A config.json written before tags, custom fields and files reached the console: none shown, any tag allowed,
  // no file offered (the console cannot tell what the API accepts).
  return {
    tags: { free: true, known: [], maxPerTicket: 10 },
    customFields: [],
    attachments: { maxBytes: 0, types: [], perMessage: 0 },
    ...raw,
  } as unknown as ConsoleConfig;
};

let current: ConsoleConfig | undefined;

export const loadConsoleConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  current = parseConsoleConfig(await response.json());
  return current;
};

export const config = (): ConsoleConfig => {
  if (!current) throw new Error('configuration not loaded');
  return current;
};
