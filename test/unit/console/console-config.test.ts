import { describe, expect, it } from 'vitest';
import { consoleConfig } from '#shared/console/console-config.ts';
import { consoleCsp } from '#shared/console/console-headers.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

describe('the console’s config.json', () => {
  it('names the API without a trailing slash, the sign-in, and the organisation’s names and zone, and no address', () => {
    // Act
    const config = consoleConfig(testConfig, 'https://api.example.org/', { mode: 'local', people: [] });

    // Assert
    expect(config.apiUrl).toBe('https://api.example.org');
    expect(config.organisation).toEqual({
      name: testConfig.organisation.name,
      timeZone: testConfig.organisation.timeZone,
      defaultLanguage: testConfig.organisation.defaultLanguage,
      languages: testConfig.organisation.languages,
    });
    expect(config.teams.map((team) => team.id)).toEqual(testConfig.teams.map((team) => team.id));
    expect(config.categories[0]).toEqual({
      id: testConfig.categories[0]!.id,
      name: testConfig.categories[0]!.name,
      team: testConfig.categories[0]!.team,
    });
    expect(JSON.stringify(config)).not.toContain('@');
  });

  it('carries the desk’s tags and custom fields as the API checks them, without the reports’ flag', () => {
    // Act
    const config = consoleConfig(testConfig, 'https://api.example.org', { mode: 'local', people: [] });

    // Assert
    expect(config.tags).toEqual(testConfig.tags);
    expect(config.customFields.map((field) => field.id)).toEqual(testConfig.customFields.map((field) => field.id));
    expect(config.customFields[0]).toMatchObject({ type: testConfig.customFields[0]!.type, setBy: testConfig.customFields[0]!.setBy });
    expect(config.customFields.some((field) => 'report' in field)).toBe(false);
  });

  it('carries the limits of attached files, so the console refuses a file before uploading it', () => {
    // Arrange
    const limited = { ...testConfig, attachments: { maxBytes: 2048, types: ['image/png' as const], perMessage: 2 } };

    // Act
    const config = consoleConfig(limited, 'https://api.example.org', { mode: 'local', people: [] });

    // Assert
    expect(config.attachments).toEqual({ maxBytes: 2048, types: ['image/png'], perMessage: 2 });
  });
});

describe('the console’s Content-Security-Policy', () => {
  it('allows script and style from the console alone, calls only to the named origins, and no framing', () => {
    const csp = consoleCsp(['https://api.example.org', 'https://login.example.org']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' https://api.example.org https://login.example.org");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });
});
