// A cursor is read back only in the shape its list hands out: exactly the named attributes, each passing
// its check, and consistent as a whole; anything else is a 400 naming `cursor`.
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, exactly, matching } from '#shared/adapters/cursor.ts';
import { DomainError } from '#shared/domain/errors.ts';

const shape = { pk: exactly('TICKET#A1'), sk: matching(/^EVENT#\w+$/) };
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const refusal = (cursor: string, consistent?: (key: Record<string, string>) => boolean) => {
  try {
    decodeCursor(cursor, shape, consistent);
  } catch (error) {
    return error instanceof DomainError ? { kind: error.kind, paths: error.details.errors?.map((e) => e.path) } : error;
  }
  return 'accepted';
};

describe('decodeCursor', () => {
  it('reads back what encodeCursor made, in the shape of its list', () => {
    const key = { pk: 'TICKET#A1', sk: 'EVENT#E2' };
    expect(decodeCursor(encodeCursor(key), shape)).toEqual(key);
    expect(decodeCursor(undefined, shape)).toBeUndefined();
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['a missing attribute', b64({ pk: 'TICKET#A1' })],
    ['an extra attribute', b64({ pk: 'TICKET#A1', sk: 'EVENT#E2', gsi1pk: 'x' })],
    ['another partition', b64({ pk: 'TICKET#B2', sk: 'EVENT#E2' })],
    ['a sort key of another form', b64({ pk: 'TICKET#A1', sk: 'TICKET' })],
    ['a number', b64({ pk: 'TICKET#A1', sk: 7 })],
    ['a nested object', b64({ pk: { S: 'TICKET#A1' }, sk: 'EVENT#E2' })],
    ['__proto__', '{"pk":"TICKET#A1","__proto__":"EVENT#E2"}'.replace(/.*/, (text) => b64(text))],
    ['an array', b64([{ pk: 'TICKET#A1', sk: 'EVENT#E2' }])],
    ['null', b64(null)],
    ['not JSON', b64('pk=TICKET#A1')],
    ['not base64url JSON at all', '%%%'],
  ])('refuses %s with a 400 naming cursor', (_what, cursor) => {
    expect(refusal(cursor)).toEqual({ kind: 'validation', paths: ['cursor'] });
  });

  it('refuses a key whose attributes do not agree', () => {
    const cursor = b64({ pk: 'TICKET#A1', sk: 'EVENT#E2' });
    expect(refusal(cursor, (key) => key.sk === 'EVENT#E3')).toEqual({ kind: 'validation', paths: ['cursor'] });
    expect(refusal(cursor, (key) => key.sk === 'EVENT#E2')).toBe('accepted');
  });
});
