// Unfolds text/plain; format=flowed (RFC 3676): a line ending in a space continues on the next line of the same
// quote depth. postal-mime unfolds it too, but joins lines whatever their quote depth, so a quoted line ending in a
// space swallowed the reply written under it ("> …wrote: " + "Hello" became one quoted line, and the quote stripper
// removed the reply with it). This is the unfolding mailparser did (libmime's decodeFlowed), which the inbound-mail
// tests and the reply corpus were written against; parse-mail.ts hands it to postal-mime.

/** A line's quote depth (its leading `>`s) and the length of its quote prefix, the one space after the `>`s included. */
const quoteOf = (line: string): { depth: number; prefixLength: number } => {
  let depth = 0;
  while (line.charCodeAt(depth) === 0x3e /* > */) depth++;
  return { depth, prefixLength: depth > 0 && line.charCodeAt(depth) === 0x20 ? depth + 1 : depth };
};

/** `delSp`: the Content-Type's `delsp=yes`, where the space before a soft break was added to fold and is removed. */
export const decodeFlowed = (text: string, delSp: boolean): string => {
  const lines = text.split(/\r?\n/);
  const result: string[] = [];
  // The paragraph being unfolded: its pieces (never empty ones, so the last holds its last character), its quote
  // depth and the quote prefix as its first line wrote it.
  let parts: string[] = [];
  let length = 0;
  let depth = 0;
  let prefix = '';
  const push = (part: string) => {
    if (!part) return;
    parts.push(part);
    length += part.length;
  };
  for (const [index, line] of lines.entries()) {
    const quote = quoteOf(line);
    const content = line.slice(quote.prefixLength);
    const last = parts.at(-1) ?? '';
    // "-- " alone is the signature separator, never a soft break.
    const isSignature = length === 3 && parts.join('') === '-- ';
    if (quote.depth === depth && last.endsWith(' ') && !isSignature) {
      if (delSp) {
        parts.pop();
        length -= last.length;
        push(last.slice(0, -1));
        push(content);
      } else {
        // A continuation line's space-stuffing (section 4.4); a quoted line's is part of its prefix.
        push(quote.depth > 0 ? content : content.replace(/^ /, ''));
      }
      continue;
    }
    if (index > 0) result.push(prefix + parts.join(''));
    parts = [];
    length = 0;
    depth = quote.depth;
    prefix = line.slice(0, quote.prefixLength);
    push(content);
  }
  if (length > 0 || prefix) result.push(prefix + parts.join(''));
  // The space-stuffing of each paragraph's first line.
  return result.join('\n').replace(/^ /gm, '');
};
