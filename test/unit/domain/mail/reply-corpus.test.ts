// The quote and signature stripper against other projects' own test cases (DESIGN §9), copied with their
// licences into test/fixtures/corpus. Each case is compared at the stage its upstream test checks:
// email_reply_parser's visible text (quotes and signatures removed), talon's reply without quotations
// (talon keeps signatures: its iPhone and Sparrow cases expect them). The counts are in docs/inbound-mail.md;
// a case listed in KNOWN_DIFFERENCES must still differ, so the documented count stays true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '#shared/adapters/html-as-text.ts';
import { parseMail } from '#shared/adapters/parse-mail.ts';
import { stripQuotedHistory, tidy, visibleReplyText } from '#shared/domain/mail/reply-text.ts';

const CORPUS = join(import.meta.dirname, '../../../fixtures/corpus');
const normalise = (text: string) => tidy(text);
const noWhitespace = (text: string) => text.replace(/\s+/g, '');

type ErpCase = { name: string; body: string; expected: string; note: string };
type TalonCase = { file: string; expected: string; note: string };
const erp = JSON.parse(readFileSync(join(CORPUS, 'email-reply-parser/cases.json'), 'utf8')) as ErpCase[];
const talon = JSON.parse(readFileSync(join(CORPUS, 'talon/cases.json'), 'utf8')) as TalonCase[];

/** Cases the stripper does not reproduce, with the reason. Keep docs/inbound-mail.md in step. */
const KNOWN_DIFFERENCES: Record<string, string> = {};

const talonActual = async (file: string): Promise<{ actual: string; compare: (a: string) => string }> => {
  const raw = readFileSync(join(CORPUS, 'talon', file));
  if (file.endsWith('.html')) return { actual: stripQuotedHistory(htmlToText(raw.toString('utf8'))), compare: noWhitespace };
  // Parsed as the inbound-mail function parses it (format=flowed unfolded, charsets decoded).
  const parsed = await parseMail(raw);
  return { actual: stripQuotedHistory(parsed.text), compare: normalise };
};

const results: { name: string; match: boolean }[] = [];

describe('email_reply_parser corpus: visible text (quotes and signatures removed)', () => {
  it.each(erp.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const match = normalise(visibleReplyText(c.body)) === normalise(c.expected);
    results.push({ name, match });
    if (KNOWN_DIFFERENCES[name]) expect(match, KNOWN_DIFFERENCES[name]).toBe(false);
    else expect(normalise(visibleReplyText(c.body))).toBe(normalise(c.expected));
  });
});

describe('talon corpus: reply without quotations', () => {
  it.each(talon.map((c) => [c.file, c] as const))('%s', async (file, c) => {
    const { actual, compare } = await talonActual(file);
    const match = compare(actual) === compare(c.expected);
    results.push({ name: file, match });
    if (KNOWN_DIFFERENCES[file]) expect(match, KNOWN_DIFFERENCES[file]).toBe(false);
    else expect(compare(actual)).toBe(compare(c.expected));
  });
});

describe('corpus totals', () => {
  it('covers every case', () => {
    expect(erp.length + talon.length).toBe(30);
    expect(results.filter((r) => r.match).length).toBe(30 - Object.keys(KNOWN_DIFFERENCES).length);
  });
});
