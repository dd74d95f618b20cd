// HTML mail as plain text, for the mail that has no text part (rare: nearly every client sends both). Its own
// module because parse-mail.ts imports it with `import()`: html-to-text, with its HTML parser and entity tables
// (~190 KiB), is a chunk of the inbound-mail function read only when such a mail comes (docs/decisions.md,
// "Lazy chunks").
import { convert } from 'html-to-text';

/** HTML as plain text: block quotes become `>` lines (so the quote stripper sees them), links keep their text. */
export const htmlToText = (html: string): string =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'head', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
      { selector: 'hr', format: 'skip' },
    ],
  });
