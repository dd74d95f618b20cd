// Canned replies and macros: a name, an optional reply in Indonesian and English with placeholders, and
// changes to the ticket (status, priority, category, team, assignee, tags, fields). The desk's defaults live in
// the configuration; leads and admins add shared ones and every agent personal ones at run time, kept in the
// table (one partition: a desk has tens of macros, read whole). A personal macro is its owner's alone: to
// anyone else it does not exist (404).

import type { createMacroSchema, HelpdeskConfig, MacroDefinition } from '#shared/config/config-schema.ts';
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { DomainError, type FieldProblem, forbidden, notFound, unprocessable } from '#shared/domain/errors.ts';
import * as z from '#shared/domain/zod.ts';

export const MACRO_SCOPES = ['default', 'shared', 'personal'] as const;
export type MacroScope = (typeof MACRO_SCOPES)[number];

export type Macro = MacroDefinition & {
  id: string;
  /** `default`: the configuration's; `shared`: the desk's, written by a lead or admin; `personal`: its owner's. */
  scope: MacroScope;
  /** A personal macro's owner (staff id). */
  owner?: string | undefined;
  version: number;
  updatedAt: string;
  updatedBy: string;
};

export type CreateMacroInput = z.infer<typeof createMacroSchema>;

export const macroOutputSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    scope: z.enum(MACRO_SCOPES),
    owner: z.optional(z.string()),
    name: z.object({ id: z.string(), en: z.string() }),
    reply: z.optional(z.object({ id: z.string(), en: z.string() })),
    visibility: z.enum(['public', 'internal']),
    actions: z.record(z.string(), z.unknown()),
    version: z.number().check(z.int()),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
);

/** The macros kept in the table. */
export interface MacroStore {
  /** Every shared and personal macro (one Query). */
  listMacros(): Promise<Macro[]>;
  getMacro(id: string): Promise<Macro | undefined>;
  /** Writes the macro if the stored one is at `expectedVersion` (0: none stored, the id never used); false if not. */
  putMacro(macro: Macro, expectedVersion: number): Promise<boolean>;
  /** Deletes the macro if the stored one is at `expectedVersion`; false if not. */
  deleteMacro(id: string, expectedVersion: number): Promise<boolean>;
}

export type MacroDeps = {
  macros: MacroStore;
  clock: { now(): Date };
  ids: { next(): string };
  config: HelpdeskConfig;
};

const requireStaff = (identity: Identity) => {
  if (identity.role === 'requester') throw forbidden('Macros are for staff.');
};

/** The configuration's macros, as the list shows them. */
const defaults = (config: HelpdeskConfig): Macro[] =>
  config.macros.map((macro) => ({
    ...macro,
    scope: 'default',
    version: 1,
    updatedAt: '1970-01-01T00:00:00.000Z',
    updatedBy: 'configuration',
  }));

const mayUse = (identity: Identity, macro: Macro) => macro.scope !== 'personal' || macro.owner === identity.id;

/** The macros a staff member may apply: the desk's defaults and shared ones, and their own, by name. */
export const listMacros = async (deps: Pick<MacroDeps, 'macros' | 'config'>, identity: Identity): Promise<Macro[]> => {
  requireStaff(identity);
  const stored = (await deps.macros.listMacros()).filter((macro) => mayUse(identity, macro));
  return [...defaults(deps.config), ...stored].sort((a, b) => a.name.id.localeCompare(b.name.id, 'id'));
};

/** One macro the caller may apply; another's personal macro, or none, is 404. */
export const findMacro = async (deps: Pick<MacroDeps, 'macros' | 'config'>, identity: Identity, id: string): Promise<Macro> => {
  const configured = defaults(deps.config).find((macro) => macro.id === id);
  const macro = configured ?? (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await deps.macros.getMacro(id) : undefined);
  if (!macro || !mayUse(identity, macro)) throw notFound(`Macro ${id.slice(0, 64)} was not found.`);
  return macro;
};

/** What a macro names must exist: a team, a category, a field (422 naming it); the tags on a closed list. */
const checkReferences = (config: HelpdeskConfig, macro: MacroDefinition) => {
  const problems: FieldProblem[] = [];
  const { actions } = macro;
  if (actions.team && !config.teams.some((team) => team.id === actions.team))
    problems.push({ path: 'actions.team', message: `must be one of ${config.teams.map((team) => team.id).join(', ')}` });
  if (actions.category && !config.categories.some((category) => category.id === actions.category))
    problems.push({ path: 'actions.category', message: `must be one of ${config.categories.map((category) => category.id).join(', ')}` });
  for (const field of Object.keys(actions.fields ?? {}))
    if (!config.customFields.some((candidate) => candidate.id === field))
      problems.push({ path: `actions.fields.${field}`, message: 'is not a field of this desk' });
  if (!config.tags.free)
    (actions.addTags ?? []).forEach((tag, index) => {
      if (!config.tags.known.includes(tag)) problems.push({ path: `actions.addTags.${index}`, message: "is not one of the desk's tags" });
    });
  if (problems.length > 0) throw unprocessable(problems);
};

const requireWriter = (identity: Identity, scope: 'shared' | 'personal') => {
  requireStaff(identity);
  const action = scope === 'shared' ? 'macro:write-shared' : 'macro:write-personal';
  if (!can(callerOf(identity), action, undefined))
    throw forbidden(scope === 'shared' ? 'Shared macros are written by team leads and administrators.' : 'Only staff keep macros.');
};

export const createMacro = async (deps: MacroDeps, identity: Identity, input: CreateMacroInput): Promise<Macro> => {
  const { scope, ...definition } = input;
  requireWriter(identity, scope);
  checkReferences(deps.config, definition);
  const macro: Macro = {
    ...definition,
    id: deps.ids.next(),
    scope,
    ...(scope === 'personal' ? { owner: identity.id } : {}),
    version: 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actorOf(identity).id,
  };
  if (!(await deps.macros.putMacro(macro, 0))) throw new DomainError('conflict', 'A macro with this id exists; try again.');
  return macro;
};

/** The stored macro the caller may change: a default is the configuration's; a shared one a lead's or admin's. */
const writable = async (deps: MacroDeps, identity: Identity, id: string, ifMatch: number | undefined): Promise<Macro> => {
  const current = await findMacro(deps, identity, id);
  if (current.scope === 'default') throw forbidden('The desk’s default macros are changed in its configuration (macros).');
  requireWriter(identity, current.scope);
  if (ifMatch !== undefined && ifMatch !== current.version)
    throw new DomainError('precondition-failed', `The macro is at version ${current.version}, not ${ifMatch}; reload it and try again.`);
  return current;
};

export const updateMacro = async (
  deps: MacroDeps,
  identity: Identity,
  id: string,
  input: MacroDefinition,
  ifMatch?: number,
): Promise<Macro> => {
  const current = await writable(deps, identity, id, ifMatch);
  checkReferences(deps.config, input);
  const next: Macro = {
    ...input,
    id,
    scope: current.scope,
    ...(current.owner ? { owner: current.owner } : {}),
    version: current.version + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actorOf(identity).id,
  };
  if (!(await deps.macros.putMacro(next, current.version)))
    throw new DomainError('precondition-failed', 'The macro was changed by someone else; reload it and try again.');
  return next;
};

export const deleteMacro = async (deps: MacroDeps, identity: Identity, id: string, ifMatch?: number): Promise<void> => {
  const current = await writable(deps, identity, id, ifMatch);
  if (!(await deps.macros.deleteMacro(id, current.version)))
    throw new DomainError('precondition-failed', 'The macro was changed by someone else; reload it and try again.');
};
