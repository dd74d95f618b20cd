import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import { classifyTicket } from '#shared/domain/tickets/classify-ticket.ts';
import { testConfig, testConfigWith } from '#test/fixtures/test-config.ts';

describe('classifying with the bundled school configuration (DOMAIN.md)', () => {
  const config = loadConfig();

  it.each([
    ['Wi-Fi di lab mati', 'network', 'it-support'],
    ['printer kertas macet', 'hardware', 'it-support'],
    ['lupa kata sandi e-Rapor', 'accounts', 'it-support'],
    ['legalisir ijazah', 'administration', 'tata-usaha'],
    ['bayar SPP', 'finance', 'keuangan'],
    ['AC ruang kelas bocor', 'facilities', 'sarpras'],
    ['I forgot my password', 'accounts', 'it-support'],
    ['The projector shows no picture', 'hardware', 'it-support'],
    ['Invoice for the tuition fee', 'finance', 'keuangan'],
  ])('"%s" goes to %s, team %s, as a specialist ticket', (subject, category, team) => {
    // Act
    const result = classifyTicket(config, { subject });

    // Assert
    expect(result).toMatchObject({ category, team, tier: 'specialist', reason: 'keywords' });
    expect(result.matchedKeywords.length).toBeGreaterThan(0);
  });

  it('sends what no rule places to the fallback category, the triage team and first line', () => {
    expect(classifyTicket(config, { subject: 'Mohon info jadwal upacara bendera' })).toEqual({
      category: 'other',
      team: 'helpdesk',
      tier: 'first-line',
      reason: 'fallback',
      matchedKeywords: [],
    });
  });

  it('reads the description as well as the subject', () => {
    const result = classifyTicket(config, { subject: 'Tolong dibantu', description: 'Printer di ruang guru kertas macet lagi.' });
    expect(result).toMatchObject({ category: 'hardware', team: 'it-support' });
  });

  it('ignores case and accents', () => {
    expect(classifyTicket(config, { subject: 'WI-FI DI LAB MATI' }).category).toBe('network');
    expect(classifyTicket(config, { subject: 'Lupa KATA SÄNDI' }).category).toBe('accounts');
    expect(classifyTicket(config, { subject: 'Prínter kertas mácet' }).category).toBe('hardware');
  });

  it('matches whole words only: "ac" does not fire inside "akun" or "jacket"', () => {
    // Act
    const akun = classifyTicket(config, { subject: 'akun saya terkunci' });
    const jacket = classifyTicket(config, { subject: 'I left my jacket in the hall' });

    // Assert
    expect(akun.category).toBe('accounts');
    expect(akun.matchedKeywords).not.toContain('ac');
    expect(jacket).toMatchObject({ category: 'other', team: 'helpdesk', tier: 'first-line', reason: 'fallback' });
  });

  it('lets the requester’s chosen category win over the keywords', () => {
    // Arrange: the text says hardware; the requester says finance (say, a printer invoice).
    const input = { subject: 'printer kertas macet', category: 'finance' };

    // Act
    const result = classifyTicket(config, input);

    // Assert
    expect(result).toEqual({ category: 'finance', team: 'keuangan', tier: 'specialist', reason: 'requested', matchedKeywords: [] });
  });

  it('puts a requested fallback category with the triage team as first line', () => {
    expect(classifyTicket(config, { subject: 'printer kertas macet', category: 'other' })).toMatchObject({
      category: 'other',
      team: 'helpdesk',
      tier: 'first-line',
      reason: 'requested',
    });
  });

  it('picks the category with more matching keywords', () => {
    // Arrange: one network word (internet), two hardware words (printer, kertas macet).
    const subject = 'Internet putus dan printer kertas macet';

    // Act
    const result = classifyTicket(config, { subject });

    // Assert
    expect(result.category).toBe('hardware');
    expect(result.matchedKeywords).toEqual(expect.arrayContaining(['printer', 'kertas macet']));
  });
});

describe('classifying with a small test organisation', () => {
  it('picks the category with more matches regardless of where it sits in the configuration', () => {
    // network: "internet" (1); facilities: "ac", "ruang kelas" (2); facilities comes later in the list.
    const result = classifyTicket(testConfig, { subject: 'Internet dan AC di ruang kelas mati' });
    expect(result).toMatchObject({ category: 'facilities', team: 'sarpras', matchedKeywords: ['ac', 'ruang kelas'] });
  });

  it('breaks a tie by the configuration’s order', () => {
    // network: "internet"; hardware: "printer" — one each; network is listed first.
    expect(classifyTicket(testConfig, { subject: 'internet dan printer' }).category).toBe('network');
  });

  it('matches a multi-word keyword only as the whole phrase', () => {
    expect(classifyTicket(testConfig, { subject: 'kursi di lab rusak' }).category).toBe('other');
    expect(classifyTicket(testConfig, { subject: 'ada kursi rusak di lab' }).category).toBe('facilities');
  });

  it('matches an accented keyword from plain text', () => {
    expect(classifyTicket(testConfig, { subject: 'The CAFE fridge is off' }).category).toBe('facilities');
  });

  it('matches a hyphenated keyword however the requester writes it', () => {
    for (const subject of ['Wi-Fi mati', 'wi fi mati', 'WIFI mati', 'wifi mati'])
      expect(classifyTicket(testConfig, { subject }).category, subject).toBe('network');
  });

  it('matches a keyword written without punctuation when the requester hyphenates it ("wifi" ↔ "Wi-Fi")', () => {
    // Arrange: an organisation that lists the word as most people type it.
    const config = testConfigWith({
      categories: testConfig.categories.map((category) =>
        category.id === 'network' ? { ...category, keywords: { id: ['wifi'], en: [] } } : category,
      ),
    });

    // Act
    const result = classifyTicket(config, { subject: 'Wi-Fi di lab mati' });

    // Assert: normalise() promises that "Wi-Fi", "wi fi" and "WIFI" meet halfway.
    expect(result).toMatchObject({ category: 'network', team: 'it-support' });
  });

  it('decides the tier by the team: the triage team is first line, any other is specialist', () => {
    expect(classifyTicket(testConfig, { subject: 'x', category: 'other' }).tier).toBe('first-line');
    expect(classifyTicket(testConfig, { subject: 'x', category: 'hardware' }).tier).toBe('specialist');
    // An organisation whose triage team also owns a category: that category is first line.
    const config = testConfigWith({ triageTeam: 'it-support' });
    expect(classifyTicket(config, { subject: 'printer rusak' })).toMatchObject({ team: 'it-support', tier: 'first-line' });
  });
});
