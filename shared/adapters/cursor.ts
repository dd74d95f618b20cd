// Cursors are the last evaluated key, base64url-encoded. A cursor is only accepted for the partition it
// came from, so a requester cannot page into someone else's list by editing one.
import { validationError } from '#shared/domain/errors.ts';

export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export const decodeCursor = (
  cursor: string | undefined,
  partition: { name: string; value: string },
  sortPrefix?: { name: string; value: string },
) => {
  if (cursor === undefined) return undefined;
  const invalid = () => validationError([{ path: 'cursor', message: 'is not a cursor this list returned' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    Array.isArray(key) ||
    !Object.values(key).every((value) => typeof value === 'string') ||
    (key as Record<string, string>)[partition.name] !== partition.value ||
    // A cursor from another status filter would fail DynamoDB's key condition: refuse it here, clearly.
    (sortPrefix && !(key as Record<string, string>)[sortPrefix.name]?.startsWith(sortPrefix.value))
  )
    throw invalid();
  return key as Record<string, string>;
};
