// The organisation as its configuration defines it, read-only, each part with where it is set (a path in
// helpdesk.config.json, or the generated holiday file), the closed days of the coming year, and a check of
// what the configuration cannot know: whether every category's team has someone available to take its
// tickets now (the staff directory, read at run time). For leads and administrators.
import type { EscalationStep, HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language, Priority } from '#shared/config/config-values.ts';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import type { Identity } from '#shared/domain/access/identity.ts';
import { STAFF_PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { forbidden } from '#shared/domain/errors.ts';
import { localDate } from '#shared/domain/reports/stats.ts';
import { routableMembers, type StaffDirectory, teamMembers } from '#shared/domain/staff/staff.ts';

export const CONFIG_FILE = 'shared/config/helpdesk.config.json';
export const HOLIDAY_FILE = 'shared/config/public-holidays.json (npm run holidays)';

type Names = Record<Language, string>;
/** `set`: where the value comes from: a path in CONFIG_FILE, or HOLIDAY_FILE. */
type Sourced<T> = T & { set: string };

export type OrganisationView = {
  file: string;
  organisation: Sourced<Pick<HelpdeskConfig['organisation'], 'name' | 'timeZone' | 'country' | 'defaultLanguage' | 'languages'>>;
  businessHours: Sourced<HelpdeskConfig['businessHours']>;
  teams: Sourced<{
    id: string;
    name: Names;
    nextTier: string | null;
    escalation: Sourced<{ steps: EscalationStep[] }>;
    members: number;
    available: number;
  }>[];
  categories: Sourced<{ id: string; name: Names; team: string; keywords: { id: string[]; en: string[] } }>[];
  priorities: Sourced<{ matrix: HelpdeskConfig['priorityMatrix']; defaults: HelpdeskConfig['defaults'] }>;
  sla: Sourced<{ warningFraction: number; policies: Sourced<{ priority: Priority } & HelpdeskConfig['sla']['policies'][Priority]>[] }>;
  /** Tags: free or a closed list, and how many a ticket may carry. */
  tags: Sourced<HelpdeskConfig['tags']>;
  /** The typed fields tickets may carry, each with its rules (type, options, pattern, bounds, who sets it). */
  customFields: Sourced<HelpdeskConfig['customFields'][number]>[];
  /** The desk's default macros (staff write shared and personal ones at run time: GET /macros). */
  macros: Sourced<HelpdeskConfig['macros'][number]>[];
  /** Days the desk is closed from today for a year: the country's public holidays and the organisation's own. */
  closedDays: { from: string; to: string; days: Sourced<{ date: string; name: string; kind: 'public-holiday' | 'closed-date' }>[] };
  /** Categories whose tickets nobody can be given now: the team has no active member, or none is available. */
  coverage: { category: string; team: string; problem: 'no-members' | 'none-available' }[];
};

const DAY = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export const organisationView = async (
  deps: { staff: StaffDirectory; config: HelpdeskConfig; clock: { now(): Date } },
  identity: Identity,
): Promise<OrganisationView> => {
  if (STAFF_PERMISSIONS[identity.role]['staff:read'] !== 'all')
    throw forbidden('The organisation view is for team leads and administrators.');
  const { config } = deps;
  const members = await deps.staff.list();
  const today = localDate(deps.clock.now().getTime(), config.organisation.timeZone);
  const until = addDays(today, 365);
  const closedDays: OrganisationView['closedDays']['days'] = [
    ...holidayFile.holidays.map((holiday) => ({ ...holiday, kind: 'public-holiday' as const, set: HOLIDAY_FILE })),
    ...config.closedDates.map((entry, index) => ({ ...entry, kind: 'closed-date' as const, set: `closedDates[${index}]` })),
  ]
    .filter((day) => day.date >= today && day.date <= until)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const { name, timeZone, country, defaultLanguage, languages } = config.organisation;
  return {
    file: CONFIG_FILE,
    organisation: { name, timeZone, country, defaultLanguage, languages, set: 'organisation' },
    businessHours: { ...config.businessHours, set: 'businessHours' },
    teams: config.teams.map((team, index) => ({
      id: team.id,
      name: team.name,
      nextTier: team.nextTier ?? null,
      escalation: team.escalation
        ? { steps: team.escalation, set: `teams[${index}].escalation` }
        : { steps: config.sla.escalation, set: 'sla.escalation' },
      members: teamMembers(members, team.id).length,
      available: routableMembers(members, team.id).length,
      set: `teams[${index}]`,
    })),
    categories: config.categories.map((category, index) => ({
      id: category.id,
      name: category.name,
      team: category.team,
      keywords: category.keywords,
      set: `categories[${index}]`,
    })),
    priorities: { matrix: config.priorityMatrix, defaults: config.defaults, set: 'priorityMatrix, defaults' },
    sla: {
      warningFraction: config.sla.warningFraction,
      policies: (Object.keys(config.sla.policies) as Priority[]).map((priority) => ({
        priority,
        ...config.sla.policies[priority]!,
        set: `sla.policies.${priority}`,
      })),
      set: 'sla',
    },
    tags: { ...config.tags, set: 'tags' },
    customFields: config.customFields.map((field, index) => ({ ...field, set: `customFields[${index}]` })),
    macros: config.macros.map((macro, index) => ({ ...macro, set: `macros[${index}]` })),
    closedDays: { from: today, to: until, days: closedDays },
    coverage: config.categories.flatMap((category): OrganisationView['coverage'] => {
      if (teamMembers(members, category.team).length === 0) return [{ category: category.id, team: category.team, problem: 'no-members' }];
      if (routableMembers(members, category.team).length === 0)
        return [{ category: category.id, team: category.team, problem: 'none-available' }];
      return [];
    }),
  };
};
