// Phone requesters by E.164, however the number was written, read in the organisation's country.
import { describe, expect, it } from 'vitest';
import { e164, phoneRequesterId } from '#shared/domain/tickets/phone-number.ts';

describe('phone numbers', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['(021) 555 1234', '+62215551234'],
    ['+1 202 555 0143', '+12025550143'],
  ])('reads %s as %s', (written, international) => {
    expect(e164(written, 'ID')).toBe(international);
    expect(phoneRequesterId(written, 'ID')).toBe(`phone:${international}`);
  });

  it('keeps the digits of a number that does not parse, as requester ids did before', () => {
    expect(e164('12345', 'ID')).toBeUndefined();
    expect(phoneRequesterId('12-345', 'ID')).toBe('phone:12345');
  });
});
