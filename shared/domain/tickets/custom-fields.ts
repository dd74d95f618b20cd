// Tags and custom fields: what a ticket may carry besides its standard fields, as the configuration declares it
// (`tags`, `customFields`). A value the desk does not know (a tag not on a closed list, an option not on a
// field's list, a NISN of nine digits, a field that does not exist or does not apply to the ticket's category)
// is refused with 422 naming the field; a field the caller's role may not set is 403. Pure.
import type { CustomField, HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Role } from '#shared/domain/access/identity.ts';
import { type FieldProblem, forbidden, unprocessable } from '#shared/domain/errors.ts';
import type { FieldValue } from './ticket.ts';

type Config = Pick<HelpdeskConfig, 'customFields' | 'tags' | 'categories'>;

export type FieldChange = { field: string; from: FieldValue | null; to: FieldValue | null };

/** The fields a ticket of this category carries. */
export const fieldsFor = (config: Pick<HelpdeskConfig, 'customFields'>, category: string): CustomField[] =>
  config.customFields.filter((field) => !field.categories || field.categories.includes(category));

const categoryName = (config: Config, category: string) =>
  config.categories.find((candidate) => candidate.id === category)?.name.en ?? category;

const isRealDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** The value as the field keeps it (a number typed into a form arrives as text), or what is wrong with it. */
const checkValue = (field: CustomField, value: FieldValue): { value: FieldValue } | { problem: string } => {
  switch (field.type) {
    case 'text': {
      const text = String(value).trim();
      if (text.length > field.maxLength) return { problem: `must be at most ${field.maxLength} characters` };
      if (/[\u0000-\u001F\u007F]/.test(text)) return { problem: 'must be one line without control characters' };
      if (field.pattern && !new RegExp(field.pattern, 'u').test(text))
        return { problem: `does not have the form this field needs (${field.pattern})` };
      return { value: text };
    }
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value.replace(',', '.'));
      if (!Number.isFinite(number) || (typeof value === 'string' && value.trim() === '')) return { problem: 'must be a number' };
      if (field.min !== undefined && number < field.min) return { problem: `must be at least ${field.min}` };
      if (field.max !== undefined && number > field.max) return { problem: `must be at most ${field.max}` };
      return { value: number };
    }
    case 'date':
      return typeof value === 'string' && isRealDate(value) ? { value } : { problem: 'must be a date as YYYY-MM-DD' };
    case 'list': {
      const options = field.options ?? [];
      return typeof value === 'string' && options.some((option) => option.id === value)
        ? { value }
        : { problem: `must be one of ${options.map((option) => option.id).join(', ')}` };
    }
  }
};

/**
 * The ticket's fields after `patch` (null clears one), and each change; refuses unknown fields, values the field
 * does not accept, fields that do not apply to the category (422) and fields the role may not set (403).
 * `role: 'system'` (a channel, the desk itself) may set any field.
 */
export const planFields = (
  config: Config,
  role: Role | 'system',
  category: string,
  current: Record<string, FieldValue> | undefined,
  patch: Record<string, FieldValue | null>,
): { fields: Record<string, FieldValue> | undefined; changes: FieldChange[] } => {
  const problems: FieldProblem[] = [];
  const next: Record<string, FieldValue> = { ...current };
  const changes: FieldChange[] = [];
  for (const [id, value] of Object.entries(patch)) {
    const path = `fields.${id}`;
    const field = config.customFields.find((candidate) => candidate.id === id);
    if (!field) {
      problems.push({
        path,
        message: `is not a field of this desk; the fields are ${config.customFields.map((candidate) => candidate.id).join(', ') || 'none'}`,
      });
      continue;
    }
    if (role !== 'system' && !field.setBy.includes(role)) throw forbidden(`You may not set the field ${id}.`);
    const before = current?.[id] ?? null;
    if (value === null) {
      if (before !== null) {
        delete next[id];
        changes.push({ field: id, from: before, to: null });
      }
      continue;
    }
    if (field.categories && !field.categories.includes(category)) {
      problems.push({ path, message: `does not apply to a ticket of category ${categoryName(config, category)}` });
      continue;
    }
    const checked = checkValue(field, value);
    if ('problem' in checked) {
      problems.push({ path, message: checked.problem });
      continue;
    }
    if (checked.value !== before) {
      next[id] = checked.value;
      changes.push({ field: id, from: before, to: checked.value });
    }
  }
  if (problems.length > 0) throw unprocessable(problems);
  return { fields: Object.keys(next).length > 0 ? next : undefined, changes };
};

/**
 * Required fields the ticket lacks for its category, among those the role may set (nobody is refused a
 * ticket over a field only someone else can fill in). Refused with 422, each field named.
 */
export const requireFields = (
  config: Config,
  role: Role | 'system',
  category: string,
  fields: Record<string, FieldValue> | undefined,
): void => {
  const missing = fieldsFor(config, category).filter(
    (field) =>
      field.requiredFor.includes(category) && (role === 'system' || field.setBy.includes(role)) && fields?.[field.id] === undefined,
  );
  if (missing.length > 0)
    throw unprocessable(
      missing.map((field) => ({
        path: `fields.${field.id}`,
        message: `is required for a ticket of category ${categoryName(config, category)}`,
      })),
      'Some fields this category needs are missing.',
    );
};

/** The ticket's tags after a change to `wanted`: sorted, each once; refuses too many, and unknown ones on a closed list (422). */
export const planTags = (
  config: Config,
  current: readonly string[] | undefined,
  wanted: readonly string[],
): { tags: string[] | undefined; added: string[]; removed: string[] } => {
  const tags = [...new Set(wanted)].sort();
  const problems: FieldProblem[] = [];
  if (tags.length > config.tags.maxPerTicket)
    problems.push({ path: 'tags', message: `must hold at most ${config.tags.maxPerTicket} tags` });
  if (!config.tags.free)
    wanted.forEach((tag, index) => {
      if (!config.tags.known.includes(tag))
        problems.push({ path: `tags.${index}`, message: `is not one of the desk's tags: ${config.tags.known.join(', ') || 'none'}` });
    });
  if (problems.length > 0) throw unprocessable(problems);
  const before = new Set(current ?? []);
  return {
    tags: tags.length > 0 ? tags : undefined,
    added: tags.filter((tag) => !before.has(tag)),
    removed: [...before].filter((tag) => !tags.includes(tag)).sort(),
  };
};
