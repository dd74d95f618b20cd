// Tags, custom fields and mentions as the console shows them: which fields a person may fill in on a ticket of a
// category, what a field's form is in plain words, why the API refused a value (422), the tags typed into a
// box, and an internal note's `@handle` mentions. Pure apart from the catalogue, so unit tests cover it.
import type { Language } from '#shared/config/config-values.ts';
import type { ConsoleField } from '#shared/console/console-config.ts';
import type { Role } from '#shared/domain/access/identity.ts';
import { MENTION } from '#shared/domain/staff/mention.ts';
import { TAG_PATTERN } from '#shared/domain/tickets/tag-pattern.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { lang, t } from './i18n.ts';

/**
 * The fields `role` may set on a ticket of `category`. With no category yet (a requester who lets the desk
 * decide) only the fields every category carries: one bound to a category could be refused once it is known.
 */
export const fieldsFor = (fields: readonly ConsoleField[], role: Role, category: string | undefined): ConsoleField[] =>
  fields.filter(
    (field) => field.setBy.includes(role) && (!field.categories || (category !== undefined && field.categories.includes(category))),
  );

export const isRequired = (field: ConsoleField, category: string | undefined) =>
  category !== undefined && field.requiredFor.includes(category);

export const fieldName = (field: ConsoleField) => field.name[lang.get() as Language];

/** A value as a person reads it: a list option by its name, anything else as it is. */
export const valueLabel = (field: ConsoleField | undefined, value: string | number | null): string => {
  if (value === null) return '—';
  const option = field?.options?.find((candidate) => candidate.id === value);
  return option ? option.name[lang.get() as Language] : String(value);
};

const CLASSES: Record<string, 'digits' | 'upper' | 'lower' | 'letters' | 'alnum'> = {
  '[0-9]': 'digits',
  '\\d': 'digits',
  '[A-Z]': 'upper',
  '[a-z]': 'lower',
  '[A-Za-z]': 'letters',
  '[A-Za-z0-9]': 'alnum',
  '[A-Z0-9]': 'alnum',
};

/**
 * A simple pattern in words ("10 angka", "2–5 huruf besar, lalu “-”, lalu 3–6 angka"): character classes with
 * counts and literal dashes, slashes, dots or spaces between them. Anything richer: undefined (the console
 * then says only that the form is wrong, and the desk's admin can name the form in the field's name).
 */
export const describePattern = (pattern: string): string | undefined => {
  const body = /^\^(.*)\$$/.exec(pattern)?.[1];
  if (body === undefined) return undefined;
  const parts: string[] = [];
  const token = /(\[[^\]]+\]|\\d)(?:\{(\d+)(?:,(\d+))?\})?|\\?([-/. ])/gy;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const found = token.exec(body);
    if (!found) return undefined;
    at = token.lastIndex;
    if (found[4] !== undefined) {
      parts.push(t('custom.pattern.literal', { text: found[4] }));
      continue;
    }
    const kind = CLASSES[found[1]!];
    if (!kind) return undefined;
    const count = found[2] === undefined ? '1' : found[3] === undefined ? found[2] : `${found[2]}–${found[3]}`;
    parts.push(t(`custom.pattern.${kind}`, { n: count }));
  }
  return parts.length > 0 ? parts.join(t('custom.pattern.then')) : undefined;
};

/** What a field accepts, for its help line; undefined when there is nothing to say beyond its name. */
export const fieldHelp = (field: ConsoleField): string | undefined => {
  if (field.type === 'text' && field.pattern) {
    const form = describePattern(field.pattern);
    return form ? t('custom.help.pattern', { form }) : undefined;
  }
  if (field.type === 'number' && (field.min !== undefined || field.max !== undefined))
    return t('custom.help.range', { min: field.min ?? '…', max: field.max ?? '…' });
  return undefined;
};

/**
 * Why the API refused `value` for `field` (its 422 names `fields.<id>`), in the words of the language shown:
 * the field's own rules are checked again here to say which one; the API's sentence when none explains it.
 */
export const explainRefusal = (field: ConsoleField, value: string | number | null | undefined, apiMessage: string): string => {
  const name = fieldName(field);
  if (/is required/.test(apiMessage)) return t('custom.refused.required', { name });
  if (/does not apply/.test(apiMessage)) return t('custom.refused.category', { name });
  const text = value === null || value === undefined ? '' : String(value).trim();
  switch (field.type) {
    case 'text': {
      if (text.length > field.maxLength) return t('custom.refused.tooLong', { name, max: field.maxLength });
      if (field.pattern && !new RegExp(field.pattern, 'u').test(text)) {
        const form = describePattern(field.pattern);
        return form ? t('custom.refused.patternForm', { name, form }) : t('custom.refused.pattern', { name });
      }
      break;
    }
    case 'number': {
      const number = Number(text.replace(',', '.'));
      if (text === '' || !Number.isFinite(number)) return t('custom.refused.number', { name });
      if ((field.min !== undefined && number < field.min) || (field.max !== undefined && number > field.max))
        return t('custom.refused.range', { name, min: field.min ?? '…', max: field.max ?? '…' });
      break;
    }
    case 'date':
      return t('custom.refused.date', { name });
    case 'list':
      return t('custom.refused.option', { name });
  }
  return `${name}: ${apiMessage}`;
};

/** Tags typed into a box (commas or spaces between them), lower case, each once; those that cannot be tags apart. */
export const parseTags = (text: string): { tags: string[]; invalid: string[] } => {
  const words = text
    .split(/[\s,;]+/)
    .map((word) => word.trim().toLowerCase().replace(/^#/, ''))
    .filter(Boolean);
  const tags = [...new Set(words.filter((word) => TAG_PATTERN.test(word)))];
  return { tags, invalid: words.filter((word) => !TAG_PATTERN.test(word)) };
};

/** An internal note cut at its `@handle` mentions, so the console can mark them (the API mails the same ones). */
export const splitMentions = (body: string): { text: string; mention: boolean }[] => {
  const parts: { text: string; mention: boolean }[] = [];
  let last = 0;
  for (const match of body.matchAll(MENTION)) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index), mention: false });
    // A full stop or dash after the name ends the sentence; it is not part of the mention.
    const mention = match[0].replace(/[._-]+$/, '');
    parts.push({ text: mention, mention: true });
    last = match.index + mention.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last), mention: false });
  return parts;
};

/** What the details form changes: the standard fields, the whole tag list, and custom fields as typed ('' clears one). */
export type TicketPatch = Partial<Pick<Ticket, 'status' | 'priority' | 'category' | 'team' | 'assignee'>> & {
  tags?: string[];
  fields?: Record<string, string>;
};

/** Only what differs from the ticket: a tag list that is the same set, or a field typed back to its value, is no change. */
export const changesOf = (ticket: Ticket, patch: TicketPatch): TicketPatch => {
  const changes: TicketPatch = {};
  for (const key of ['status', 'priority', 'category', 'team', 'assignee'] as const)
    if (key in patch && patch[key] !== ticket[key]) Object.assign(changes, { [key]: patch[key] });
  if (patch.tags && [...patch.tags].sort().join(' ') !== [...(ticket.tags ?? [])].sort().join(' ')) changes.tags = patch.tags;
  const fields = Object.entries(patch.fields ?? {}).filter(([id, next]) => next.trim() !== String(ticket.fields?.[id] ?? ''));
  if (fields.length > 0) changes.fields = Object.fromEntries(fields);
  return changes;
};
