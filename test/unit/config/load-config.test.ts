import { describe, expect, it } from 'vitest';
import bundled from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { ConfigError, loadConfig, parseConfig } from '#shared/config/load-config.ts';
import { TEST_CONFIG_RAW } from '#test/fixtures/test-config.ts';

type Raw = Record<string, any>;

/** The bundled configuration with one thing broken. */
const broken = (breakIt: (raw: Raw) => void): Raw => {
  const raw = structuredClone(bundled) as Raw;
  breakIt(raw);
  return raw;
};

const configErrorOf = (raw: unknown): ConfigError => {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
};

describe('the bundled configuration', () => {
  it('parses, with the school’s organisation, teams and categories', () => {
    // Act
    const config = loadConfig();

    // Assert
    expect(config.organisation).toMatchObject({ timeZone: 'Asia/Jakarta', defaultLanguage: 'id', country: 'ID' });
    expect(config.businessHours).toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '16:00' });
    expect(config.teams.map((team) => team.id)).toEqual(['helpdesk', 'it-support', 'tata-usaha', 'keuangan', 'sarpras']);
    expect(config.triageTeam).toBe('helpdesk');
    expect(config.sla.warningFraction).toBe(0.75);
    expect(config.limits.maxBodyBytes).toBe(65_536);
  });

  it('has DOMAIN.md’s SLA targets', () => {
    const { policies } = loadConfig().sla;
    expect(policies.critical).toMatchObject({ calendar: '24x7', firstResponseMinutes: 30, resolutionMinutes: 240 });
    expect(policies.high).toMatchObject({ calendar: 'business', firstResponseMinutes: 60, resolutionMinutes: 8 * 60 });
    expect(policies.medium).toMatchObject({ calendar: 'business', firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 8 * 60 });
    expect(policies.low).toMatchObject({ calendar: 'business', firstResponseMinutes: 8 * 60, resolutionMinutes: 5 * 8 * 60 });
  });

  it('maps every DOMAIN.md category to its team', () => {
    const teams = Object.fromEntries(loadConfig().categories.map((category) => [category.id, category.team]));
    expect(teams).toEqual({
      network: 'it-support',
      hardware: 'it-support',
      accounts: 'it-support',
      applications: 'it-support',
      administration: 'tata-usaha',
      finance: 'keuangan',
      facilities: 'sarpras',
      other: 'helpdesk',
    });
  });

  it('fills defaults for what a small organisation leaves out', () => {
    // Arrange: the test organisation's file has no limits, no closedDates.
    // Act
    const config = parseConfig(TEST_CONFIG_RAW);
    // Assert
    expect(config.limits.maxBodyBytes).toBe(65_536);
    expect(config.closedDates).toEqual([]);
    expect(config.sla.escalation).toEqual([]);
  });
});

describe('an invalid configuration is refused with a ConfigError naming the field', () => {
  it.each<[string, (raw: Raw) => void, string]>([
    ['a category names an unknown team', (raw) => void (raw.categories[0].team = 'it'), 'categories.0.team'],
    ['the time zone does not exist', (raw) => void (raw.organisation.timeZone = 'Asia/Jakarat'), 'organisation.timeZone'],
    ['a priority matrix cell is missing', (raw) => void delete raw.priorityMatrix.low.medium, 'priorityMatrix.low.medium'],
    ['the triage team is unknown', (raw) => void (raw.triageTeam = 'front-desk'), 'triageTeam'],
    [
      'business hours end before they start',
      (raw) => void Object.assign(raw.businessHours, { start: '16:00', end: '08:00' }),
      'businessHours.end',
    ],
    [
      'business hours end when they start',
      (raw) => void Object.assign(raw.businessHours, { start: '08:00', end: '08:00' }),
      'businessHours.end',
    ],
    [
      'the sender address is not an email',
      (raw) => void (raw.organisation.senderAddress = 'helpdesk at sekolah'),
      'organisation.senderAddress',
    ],
    ['a team hands over to an unknown team', (raw) => void (raw.teams[0].nextTier = 'dapur'), 'teams.0.nextTier'],
    ['a team hands over to itself', (raw) => void (raw.teams[1].nextTier = 'it-support'), 'teams.1.nextTier'],
    [
      "a team's ladder hands over to the next tier and the team names none",
      (raw) => void (raw.sla.escalation = [{ action: 'next-tier', afterMinutes: 60 }]),
      // The helpdesk names one; IT support (teams.1) does not.
      'teams.1.nextTier',
    ],
    [
      "a team's own ladder hands over and the team names no next tier",
      (raw) =>
        void (raw.teams[2].escalation = [
          { action: 'notify-lead', afterMinutes: 0 },
          { action: 'next-tier', afterMinutes: 30 },
        ]),
      'teams.2.nextTier',
    ],
    [
      "a team's own ladder goes back in time",
      (raw) =>
        void (raw.teams[2].escalation = [
          { action: 'notify-lead', afterMinutes: 30 },
          { action: 'raise-priority', afterMinutes: 10 },
        ]),
      'teams.2.escalation.1.afterMinutes',
    ],
    [
      'a ladder step is not one of notify-lead, raise-priority, next-tier',
      (raw) => void (raw.sla.escalation = [{ action: 'call-the-head', afterMinutes: 0 }]),
      'sla.escalation.0.action',
    ],
    ['staff are still listed as agents (people are data now)', (raw) => void (raw.agents = [{ id: 'budi' }]), 'agents'],
    ['a team still names its lead (leads are people in the lead group)', (raw) => void (raw.teams[1].lead = 'budi'), 'teams.1.lead'],
    [
      'the public URL is still configured (it comes from the deployment)',
      (raw) => void (raw.publicUrl = 'https://help.example'),
      'publicUrl',
    ],
    ['the fallback category is unknown', (raw) => void (raw.fallbackCategory = 'misc'), 'fallbackCategory'],
    ['an SLA policy is missing', (raw) => void delete raw.sla.policies.low, 'sla.policies.low'],
    ['business hours are not HH:MM', (raw) => void (raw.businessHours.start = '8am'), 'businessHours.start'],
    ['the default language is not offered', (raw) => void (raw.organisation.languages = ['en']), 'organisation.defaultLanguage'],
  ])('when %s', (_, breakIt, path) => {
    // Arrange
    const raw = broken(breakIt);

    // Act
    const error = configErrorOf(raw);

    // Assert
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(`${path}: `);
    expect(error.problems.map((problem) => problem.path)).toContain(path);
  });

  it('names every problem at once, not only the first', () => {
    // Arrange
    const raw = broken((r) => {
      r.triageTeam = 'front-desk';
      r.categories[6].team = 'maintenance';
    });

    // Act
    const error = configErrorOf(raw);

    // Assert
    expect(error.problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['triageTeam', 'categories.6.team']));
  });

  it('refuses a misspelt field instead of silently using the default', () => {
    // Arrange: "reopenWindowDay" (sic) would leave the default 14 days in force without a word.
    const raw = broken((r) => {
      delete r.reopenWindowDays;
      r.reopenWindowDay = 30;
    });

    // Act
    const error = configErrorOf(raw);

    // Assert
    expect(error.message).toContain('reopenWindowDay');
  });
});

describe('webhooks', () => {
  const hook = { id: 'erp', url: 'https://erp.sekolah.example/hook', events: ['TicketCreated'], secret: 'helpdesk/webhooks/erp' };

  it('takes a subscription and fills its defaults: no filter, no internal notes, 5 s', () => {
    // Act
    const config = parseConfig(broken((raw) => void (raw.webhooks = [hook])));

    // Assert
    expect(config.webhooks).toEqual([{ ...hook, filter: {}, internalNotes: false, timeoutSeconds: 5 }]);
    expect(loadConfig().webhooks).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['plain http to another host', { url: 'http://erp.sekolah.example/hook' }, 'webhooks.0.url', 'https://'],
    ['a URL with a password', { url: 'https://user:pw@erp.example/hook' }, 'webhooks.0.url', 'password'],
    ['an unknown event type', { events: ['TicketCreatd'] }, 'webhooks.0.events.0', 'must be a ticket event type'],
    ['the audit record', { events: ['TicketViewed'] }, 'webhooks.0.events.0', 'audit record'],
    ['no event type', { events: [] }, 'webhooks.0.events', 'at least one'],
    ['the key itself instead of its name', { secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0' }, 'webhooks.0.secret', 'not the key itself'],
    ['an unknown team in the filter', { filter: { teams: ['dapur'] } }, 'webhooks.0.filter.teams.0', 'unknown team'],
    ['an unknown category in the filter', { filter: { categories: ['kantin'] } }, 'webhooks.0.filter.categories.0', 'unknown category'],
    ['a timeout above 10 s', { timeoutSeconds: 30 }, 'webhooks.0.timeoutSeconds', ''],
  ])('refuses %s', (_what, change, path, words) => {
    // Act
    const error = configErrorOf(broken((raw) => void (raw.webhooks = [{ ...hook, ...change }])));

    // Assert
    const problem = error.problems.find((candidate) => candidate.path === path);
    expect(problem, JSON.stringify(error.problems)).toBeDefined();
    expect(problem!.message).toContain(words);
  });

  it('refuses two subscriptions with one id', () => {
    // Act
    const error = configErrorOf(broken((raw) => void (raw.webhooks = [hook, { ...hook }])));

    // Assert
    expect(error.problems).toContainEqual({ path: 'webhooks.1.id', message: 'duplicate webhook "erp"' });
  });

  it('allows plain http to localhost, for the sandbox', () => {
    expect(parseConfig(broken((raw) => void (raw.webhooks = [{ ...hook, url: 'http://127.0.0.1:8080/hook' }]))).webhooks[0]!.url).toBe(
      'http://127.0.0.1:8080/hook',
    );
  });
});

describe('tags and custom fields in the configuration', () => {
  it('ships the school’s fields: a NISN, a class, a room to report on, an asset tag, a count and a date', () => {
    const fields = loadConfig().customFields;
    expect(fields.map((field) => [field.id, field.type])).toEqual([
      ['nisn', 'text'],
      ['kelas', 'text'],
      ['ruang', 'list'],
      ['tag-aset', 'text'],
      ['jumlah-unit', 'number'],
      ['tanggal-kejadian', 'date'],
    ]);
    expect(fields.filter((field) => field.report).map((field) => field.id)).toEqual(['ruang']);
    expect(loadConfig().tags).toMatchObject({ free: true, maxPerTicket: 10 });
  });

  it('refuses fields the desk could not carry out, naming each', () => {
    // Arrange
    const field = (overrides: Raw) => ({ id: 'f', name: { id: 'F', en: 'F' }, type: 'text', ...overrides });
    const raw = broken((config) => {
      config.customFields = [
        field({ id: 'a', type: 'list' }),
        field({ id: 'b', options: [{ id: 'x', name: { id: 'X', en: 'X' } }] }),
        field({ id: 'c', type: 'number', min: 5, max: 1 }),
        field({ id: 'd', categories: ['nope'], requiredFor: ['network'] }),
        field({ id: 'e', report: true, pattern: '([' }),
        field({ id: 'a' }),
      ];
    });

    // Act
    const error = configErrorOf(raw);

    // Assert
    expect(error.problems).toEqual(
      expect.arrayContaining([{ path: 'customFields.4.pattern', message: 'must be a valid regular expression' }]),
    );
    const fixed = broken((config) => {
      config.customFields = raw.customFields.map((one: Raw) => ({ ...one, pattern: undefined }));
    });
    expect(configErrorOf(fixed).problems).toEqual([
      { path: 'customFields.0.options', message: 'is needed: a list field offers at least one option' },
      { path: 'customFields.1.options', message: 'is for list fields; this one is text' },
      { path: 'customFields.2.max', message: 'must not be below min' },
      { path: 'customFields.3.categories.0', message: 'names unknown category "nope"' },
      { path: 'customFields.3.requiredFor.0', message: `names category "network", which the field's categories leave out` },
      { path: 'customFields.4.report', message: 'is for list fields: a report counts tickets by a known set of values' },
      { path: 'customFields.5.id', message: 'duplicate field "a"' },
    ]);
  });

  it('refuses a tag that is not lower-case letters, digits and dashes', () => {
    const error = configErrorOf(broken((config) => (config.tags.known = ['Wifi Lab'])));
    expect(error.problems).toEqual([{ path: 'tags.known.0', message: 'must be lower-case letters, digits and dashes (at most 40)' }]);
  });
});

describe('macros in the configuration', () => {
  it('ships the school’s default macros, each with a reply in both languages', () => {
    const macros = loadConfig().macros;
    expect(macros.map((macro) => macro.id)).toEqual(['minta-info', 'reset-kata-sandi', 'gangguan-wifi-lab', 'selesai', 'eskalasi-it']);
    expect(macros.every((macro) => macro.reply?.id && macro.reply.en)).toBe(true);
  });

  it('refuses macros the desk could not carry out, naming each', () => {
    // Arrange
    const macro = (overrides: Raw) => ({ id: 'm', name: { id: 'M', en: 'M' }, actions: { status: 'open' }, ...overrides });
    const raw = broken((config) => {
      config.tags = { free: false, known: ['ujian'] };
      config.macros = [
        macro({ id: 'a', actions: { team: 'kantin', category: 'kantin', fields: { warna: 'merah' }, addTags: ['lab'] } }),
        macro({ id: 'b', actions: {} }),
        macro({ id: 'c', reply: { id: 'Halo {{requester.nama}}', en: 'Hello' } }),
        macro({ id: 'a' }),
      ];
    });

    // Act
    const error = configErrorOf(raw);

    // Assert
    expect(error.problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['macros.1.actions', 'macros.2.reply.id']));
    expect(error.problems.find((problem) => problem.path === 'macros.2.reply.id')?.message).toContain('{{requester.name}}');
    const fixed = broken((config) => {
      config.tags = { free: false, known: ['ujian'] };
      config.macros = [raw.macros[0], raw.macros[3]];
    });
    expect(configErrorOf(fixed).problems).toEqual([
      { path: 'macros.0.actions.team', message: 'names unknown team "kantin"' },
      { path: 'macros.0.actions.category', message: 'names unknown category "kantin"' },
      { path: 'macros.0.actions.fields.warna', message: 'names unknown field "warna"' },
      { path: 'macros.0.actions.addTags', message: 'names "lab", which is not one of tags.known' },
      { path: 'macros.1.id', message: 'duplicate macro "a"' },
    ]);
  });
});
