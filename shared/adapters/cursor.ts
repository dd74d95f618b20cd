// Cursors are the last evaluated key, base64url-encoded JSON: opaque to clients, and read back only in the
// shape the list hands out. Each list names exactly the key attributes its Query returns (the table's keys and
// the index's), what each must be (its partition, so a requester cannot page into someone else's list; a
// sort key of the right form and in the query's range) and how they must agree (the sort key ends with the
// ticket the table key names). Anything else (a partial or foreign key, an extra attribute, another type)
// is a 400 naming `cursor` before DynamoDB sees it: DynamoDB refuses a start key that does not fit the
// query with a ValidationException, which would be a 500.
import { validationError } from '#shared/domain/errors.ts';

/** What a list's cursor must be: exactly these attributes, each a string passing its check. */
export type CursorShape = Record<string, (value: string) => boolean>;

export const exactly = (expected: string) => (value: string) => value === expected;
export const matching = (pattern: RegExp) => (value: string) => pattern.test(value);

export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const invalidCursor = () => validationError([{ path: 'cursor', message: 'is not a cursor this list returned' }]);

/**
 * The start key a cursor stands for, if it has exactly the attributes of `shape`, each passing its check,
 * and `consistent` holds of the whole; otherwise a 400 naming `cursor`.
 */
export const decodeCursor = (
  cursor: string | undefined,
  shape: CursorShape,
  consistent: (key: Record<string, string>) => boolean = () => true,
): Record<string, string> | undefined => {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor();
  const entries = Object.entries(key);
  const fits =
    entries.length === Object.keys(shape).length &&
    entries.every(([name, value]) => Object.hasOwn(shape, name) && typeof value === 'string' && shape[name]!(value));
  if (!fits || !consistent(key as Record<string, string>)) throw invalidCursor();
  return key as Record<string, string>;
};
