// The visible part of a mail reply: what the sender wrote, without the quoted history their mail client
// appended and without their signature. Two stages, tested separately against the peer corpora
// (test/fixtures/corpus): `stripQuotedHistory` removes quotations (what talon's tests check), and
// `visibleReplyText` also removes signatures (what email_reply_parser's tests check, and what a ticket
// comment keeps).
//
// Quoted history is recognised by the forms mail clients write:
// - `>`-quoted blocks, with the attribution paragraph above them ("On … wrote:", "Pada … menulis:",
//   "Le … a écrit :", "… написал:", a date and an address ending in a colon);
// - an attribution line with unquoted history below it (cut there);
// - Outlook / AOL / Yahoo separators: "-----Original Message-----", "----- Original Message -----", a
//   line of underscores, "-----Pesan Asli-----", and a header block ("From:" then "Sent:"/"Date:"/"To:"/
//   "Subject:" within a few lines, in English, Indonesian and Russian; bold `*From:*` too).
// Signatures: a "-- " line (and "--"), a trailing line of underscores (mailing-list footers), a short
// last line starting "-Name", and mobile footers: "Sent from my iPhone", "Dikirim dari iPhone saya",
// "Get Outlook for Android"…

const ATTRIBUTION_END = /(wrote|writes|said|menulis|a écrit|schrieb|escribió|ha scritto|schreef|escreveu|написал[а]?|пишет)\s*:\s*$/i;
const ATTRIBUTION_START = /^\s*(on|pada|le|am|el|il|op|em)\s/i;
const SEPARATOR =
  /^\s*(-{2,}\s*(original message|pesan asli|forwarded message|pesan yang diteruskan|исходное сообщение)\s*-{2,}|_{10,}|-{10,})\s*$/i;
const HEADER_FROM = /^\s*\*?(from|dari|von|de|от)\s*:\*?\s+\S/i;
const HEADER_OTHER = /^\s*\*?(sent|date|to|subject|cc|dikirim|tanggal|kepada|perihal|subjek|отправлено|дата|кому|тема)\s*:\*?(\s|$)/i;
const QUOTED = /^\s*>/;

const normaliseNewlines = (text: string): string => text.replace(/\r\n?/g, '\n');

/** A header block starting at line i: "From:" and at least two other header lines among its next lines. */
const isHeaderBlock = (lines: string[], i: number): boolean => {
  const isHeader = (line: string) => HEADER_FROM.test(line) || HEADER_OTHER.test(line);
  if (!isHeader(lines[i]!)) return false;
  let from = 0;
  let others = 0;
  for (let j = i; j < Math.min(lines.length, i + 6) && isHeader(lines[j]!); j++)
    if (HEADER_FROM.test(lines[j]!)) from++;
    else others++;
  return from >= 1 && others >= 2;
};

/** Lines i..k (k ≤ i+2) form an attribution ("On … wrote:") possibly wrapped over up to three lines. */
const attributionEndingAt = (lines: string[], i: number): number | undefined => {
  for (let k = i; k < Math.min(lines.length, i + 3); k++) {
    if (k > i && lines[k]!.trim() === '') return undefined;
    if (ATTRIBUTION_END.test(lines[k]!)) return k;
  }
  return undefined;
};

/** A paragraph right above a quote that ends in a colon and names a date or an address: an attribution. */
const looksLikeAttribution = (paragraph: string): boolean =>
  /:\s*$/.test(paragraph) && (ATTRIBUTION_END.test(paragraph) || (/\d/.test(paragraph) && /@|<|\d{1,2}[:.]\d{2}/.test(paragraph)));

/** The text without quoted history. */
export const stripQuotedHistory = (input: string): string => {
  const lines = normaliseNewlines(input).split('\n');
  // 1. A separator, a header block, or an attribution with unquoted history below: cut everything from it.
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (QUOTED.test(line)) continue;
    if (SEPARATOR.test(line) || isHeaderBlock(lines, i)) {
      cut = i;
      break;
    }
    if (ATTRIBUTION_START.test(line)) {
      const end = attributionEndingAt(lines, i);
      if (end === undefined) continue;
      let next = end + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      if (next < lines.length && QUOTED.test(lines[next]!)) continue; // a quote block: handled below
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut);
  // 2. Quote blocks (and the attribution paragraph right above each one) are removed; text around them
  //    stays, so a bottom-posted or interleaved reply keeps its own words.
  const drop = new Set<number>();
  for (let i = 0; i < kept.length; i++) {
    if (!QUOTED.test(kept[i]!) || (i > 0 && QUOTED.test(kept[i - 1]!))) continue;
    let above = i - 1;
    while (above >= 0 && kept[above]!.trim() === '') above--;
    if (above < 0) continue;
    // The attribution may wrap over up to three lines; it starts with "On"/"Pada"… or with a date.
    let start = above;
    for (let k = above - 2; k <= above; k++) {
      if (k < 0 || kept.slice(k, above + 1).some((line) => line.trim() === '')) continue;
      if (ATTRIBUTION_START.test(kept[k]!) || /\d/.test(kept[k]!)) {
        start = k;
        break;
      }
    }
    if (looksLikeAttribution(kept.slice(start, above + 1).join(' '))) for (let j = start; j <= above; j++) drop.add(j);
  }
  return tidy(kept.filter((line, i) => !QUOTED.test(line) && !drop.has(i)).join('\n'));
};

const MOBILE_FOOTER =
  /^\s*(sent from my [\w.-]+( [\w.-]+){0,3}|sent from [\w.-]+( [\w.-]+){0,3} for [\w.-]+|get outlook for [\w.-]+|dikirim dari [\w.-]+( [\w.-]+){0,3}|sent with [\w.-]+( \([^)]*\))?)\s*$/i;

/** The text without a trailing signature. */
export const stripSignature = (input: string): string => {
  const lines = tidy(input).split('\n');
  let end = lines.length;
  const dash = lines.findIndex((line) => /^--\s?$/.test(line));
  if (dash > 0) end = dash;
  const underscores = lines.findIndex((line, i) => i > 0 && i < end && /^_{2,}\s*$/.test(line));
  if (underscores > 0) end = underscores;
  const body = lines.slice(0, end);
  // Mobile footers and a "-Name" sign-off, as the last non-empty lines.
  for (;;) {
    while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
    const last = body[body.length - 1];
    if (body.length > 1 && last !== undefined && (MOBILE_FOOTER.test(last) || /^-\w[\w .'-]{0,40}$/.test(last))) body.pop();
    else break;
  }
  if (body.length === 0) return tidy(input);
  return tidy(body.join('\n'));
};

/** What a person wrote: quoted history and signature removed. Never empty when the input was not. */
export const visibleReplyText = (text: string): string => {
  const unquoted = stripQuotedHistory(text);
  return stripSignature(unquoted === '' ? text : unquoted);
};

/** Trailing spaces off each line, runs of blank lines collapsed, the whole trimmed. */
export const tidy = (text: string): string =>
  normaliseNewlines(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
