// The signed reply address: short enough for any mail system, case-insensitive, unforgeable, expiring.
import { describe, expect, it } from 'vitest';
import { signToken } from '#shared/domain/access/signed-token.ts';
import { bounceAddress, LOCAL_PART_MAX, readBounceAddress, readReplyAddress, replyAddress } from '#shared/domain/mail/reply-address.ts';

const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);
const TICKET = '01HZZZZZZZZZZZZZZZZZZZZZZ1';
const NOW = new Date('2026-03-02T02:00:00Z');
const EXP = Math.floor(NOW.getTime() / 1000) + 90 * 86_400;

describe('reply addresses', () => {
  it('name their ticket, within 64 characters of local part', () => {
    // Act
    const address = replyAddress(KEY, TICKET, EXP, 'uji.example');

    // Assert
    expect(address).toMatch(/^reply\+[0-9a-z]+\.[0-9a-z]+\.[0-9a-z]{16}@uji\.example$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(LOCAL_PART_MAX);
    expect(readReplyAddress(KEY, address, NOW)).toEqual({ ticketId: TICKET, exp: EXP });
  });

  it('survive a mail system that changes their case', () => {
    const address = replyAddress(KEY, TICKET, EXP, 'uji.example');
    expect(readReplyAddress(KEY, address.toUpperCase(), NOW)?.ticketId).toBe(TICKET);
  });

  it('are refused when forged, altered, signed with another key or expired', () => {
    // Arrange
    const address = replyAddress(KEY, TICKET, EXP, 'uji.example');
    const [local, domain] = address.split('@') as [string, string];
    const [id, exp, mac] = local.slice('reply+'.length).split('.') as [string, string, string];
    const otherTicket = `${id.slice(0, -1)}2`;

    // Act / Assert
    expect(readReplyAddress(KEY, `reply+${otherTicket}.${exp}.${mac}@${domain}`, NOW)).toBeUndefined();
    expect(readReplyAddress(KEY, `reply+${id}.${(EXP + 86_400).toString(36)}.${mac}@${domain}`, NOW)).toBeUndefined();
    expect(readReplyAddress(KEY, `reply+${id}.0${exp}.${mac}@${domain}`, NOW)).toBeUndefined();
    expect(readReplyAddress(OTHER_KEY, address, NOW)).toBeUndefined();
    expect(readReplyAddress(KEY, address, new Date((EXP + 1) * 1000))).toBeUndefined();
    expect(readReplyAddress(KEY, 'helpdesk@uji.example', NOW)).toBeUndefined();
    expect(readReplyAddress(KEY, `reply+${'a'.repeat(400)}@uji.example`, NOW)).toBeUndefined();
  });

  it('are not the tracking-link token: one purpose cannot stand in for the other', () => {
    // Arrange: a genuine tracking token for the same ticket, put where a reply token goes
    const track = signToken(KEY, { purpose: 'track', ticketId: TICKET, exp: EXP });

    // Act / Assert
    expect(readReplyAddress(KEY, `reply+${track}@uji.example`, NOW)).toBeUndefined();
  });

  it('are made for ULID ticket ids only', () => {
    expect(() => replyAddress(KEY, 'not-a-ulid', EXP, 'uji.example')).toThrow(/ULID/);
  });
});

describe('bounce addresses', () => {
  it('name their ticket only together with the recipient they were made for, within 64 characters of local part', () => {
    // Act
    const address = bounceAddress(KEY, TICKET, EXP, 'Ani@Example.org', 'uji.example');

    // Assert
    expect(address).toMatch(/^bounce\+[0-9a-z]+\.[0-9a-z]+\.[0-9a-z]{16}@uji\.example$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(LOCAL_PART_MAX);
    expect(readBounceAddress(KEY, address.toUpperCase(), 'ani@example.org', NOW)).toEqual({ ticketId: TICKET });
    expect(readBounceAddress(KEY, address, 'mallory@example.org', NOW)).toBeUndefined();
    expect(readBounceAddress(OTHER_KEY, address, 'ani@example.org', NOW)).toBeUndefined();
    expect(readBounceAddress(KEY, address, 'ani@example.org', new Date((EXP + 1) * 1000))).toBeUndefined();
  });

  it('and reply addresses cannot stand in for each other', () => {
    const reply = replyAddress(KEY, TICKET, EXP, 'uji.example');
    const bounce = bounceAddress(KEY, TICKET, EXP, 'ani@example.org', 'uji.example');
    expect(readBounceAddress(KEY, reply.replace('reply+', 'bounce+'), 'ani@example.org', NOW)).toBeUndefined();
    expect(readReplyAddress(KEY, bounce.replace('bounce+', 'reply+'), NOW)).toBeUndefined();
    expect(readReplyAddress(KEY, bounce, NOW)).toBeUndefined();
  });
});
