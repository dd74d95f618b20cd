import { describe, expect, it } from 'vitest';
import type { Level, Priority } from '#shared/config/config-values.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { priorityFor } from '#shared/domain/tickets/priority.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

// DOMAIN.md, "Priority (ITIL urgency × impact)", copied cell by cell.
const DOMAIN_MATRIX: [urgency: Level, impact: Level, priority: Priority][] = [
  ['high', 'high', 'critical'],
  ['high', 'medium', 'high'],
  ['high', 'low', 'medium'],
  ['medium', 'high', 'high'],
  ['medium', 'medium', 'medium'],
  ['medium', 'low', 'low'],
  ['low', 'high', 'medium'],
  ['low', 'medium', 'low'],
  ['low', 'low', 'low'],
];

describe('priority from urgency × impact', () => {
  it.each(DOMAIN_MATRIX)('urgency %s × impact %s is %s in the bundled configuration', (urgency, impact, expected) => {
    expect(priorityFor(loadConfig(), urgency, impact)).toBe(expected);
  });

  it('reads the organisation’s own matrix rather than a built-in one', () => {
    // Arrange: an organisation that treats every low-urgency request as low.
    const config = { priorityMatrix: { ...testConfig.priorityMatrix, low: { high: 'low', medium: 'low', low: 'low' } } } as const;

    // Act / Assert
    expect(priorityFor(config, 'low', 'high')).toBe('low');
    expect(priorityFor(config, 'high', 'high')).toBe('critical');
  });

  it('fails loudly when a cell is missing (a config that bypassed validation)', () => {
    const config = { priorityMatrix: { high: { high: 'critical' } } } as unknown as Parameters<typeof priorityFor>[0];
    expect(() => priorityFor(config, 'low', 'low')).toThrow(/urgency=low impact=low/);
  });
});
