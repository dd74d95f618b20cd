// What the web console reads from /config.json at start: the API's base URL, how people sign in, and the
// organisation's names and zone. One build of the console serves every stage: CDK writes this file at
// deploy time from the stacks' outputs, the sandbox writes it when it starts. No secrets: it is public.
import type { CustomField, HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language } from '#shared/config/config-values.ts';
import type { Role } from '#shared/domain/access/identity.ts';

/** A person the sandbox's local sign-in page offers (no passwords: the sandbox mints any token). */
export type LocalPerson = { sub: string; name: string; email?: string; role: Role; teams: string[] };

export type ConsoleSignIn =
  | { mode: 'local'; people: LocalPerson[] }
  | {
      mode: 'cognito';
      /** The hosted sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
      domain: string;
      clientId: string;
      /** `<console>/auth/callback` (one of the web client's callback URLs). */
      redirectUri: string;
      /** Where Cognito's /logout sends the browser back to (one of the web client's logout URLs). */
      logoutUri: string;
    };

type Named = { id: string; name: Record<Language, string> };

export type ConsoleConfig = {
  apiUrl: string;
  signIn: ConsoleSignIn;
  organisation: { name: string; timeZone: string; defaultLanguage: Language; languages: Language[] };
  teams: Named[];
  categories: (Named & { team: string })[];
  /** Days after a resolution in which a requester may reopen (the console offers it only then). */
  reopenWindowDays: number;
  /** The desk's tags (offered first; `free: false` refuses others) and its custom fields, as the API checks them. */
  tags: HelpdeskConfig['tags'];
  customFields: ConsoleField[];
  /** The files a message may carry (types, largest size, how many), so the console refuses one before uploading it. */
  attachments: HelpdeskConfig['attachments'];
};

/** A custom field as the console shows it: what the API checks (type, options, form, who sets it, where it is required). */
export type ConsoleField = Omit<CustomField, 'report'>;

export const consoleConfig = (config: HelpdeskConfig, apiUrl: string, signIn: ConsoleSignIn): ConsoleConfig => ({
  apiUrl: apiUrl.replace(/\/+$/, ''),
  signIn,
  organisation: {
    name: config.organisation.name,
    timeZone: config.organisation.timeZone,
    defaultLanguage: config.organisation.defaultLanguage,
    languages: config.organisation.languages,
  },
  teams: config.teams.map((team) => ({ id: team.id, name: team.name })),
  categories: config.categories.map((category) => ({ id: category.id, name: category.name, team: category.team })),
  reopenWindowDays: config.reopenWindowDays,
  tags: config.tags,
  customFields: config.customFields.map(({ report: _report, ...field }) => field),
  attachments: config.attachments,
});
