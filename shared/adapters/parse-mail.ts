// Raw MIME → the domain's InboundMail, with postal-mime (charsets through the runtime's TextDecoder, base64
// and quoted-printable, encoded words). HTML-only mail is converted to text with block quotes kept as `>`
// lines, so the quote stripper sees them. A delivery status report's machine-readable parts become
// `deliveryStatus.text`, not attachments. postal-mime rather than mailparser: ~76 KiB bundled against
// ~1 MiB, most of it iconv-lite's code tables (docs/decisions.md, "postal-mime for inbound mail").
import PostalMime, { type Address } from 'postal-mime';
import type { InboundMail } from '#shared/domain/mail/inbound-mail.ts';
import { decodeFlowed } from './flowed-text.ts';

// postal-mime 4.0.0 unfolds format=flowed text across quote depths (flowed-text.ts); its text parts are unfolded
// with ours instead. MimeNode is not exported: its prototype is reached through a parser's root node.
const mimeNode = Object.getPrototypeOf((new PostalMime() as unknown as { root: object }).root) as {
  decodeFlowedText?: (text: string, delSp: boolean) => string;
};
if (typeof mimeNode.decodeFlowedText !== 'function')
  throw new Error('postal-mime no longer has MimeNode.decodeFlowedText: see shared/adapters/flowed-text.ts before upgrading it');
mimeNode.decodeFlowedText = decodeFlowed;

const addresses = (field: Address | Address[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((entry) => (entry.group ? entry.group : [entry]))
    .map((entry) => entry.address ?? '')
    .filter((address) => address.includes('@'));

const messageIds = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter(Boolean);

const REPORT_PARTS = [
  'message/rfc822',
  'message/delivery-status',
  'message/global-delivery-status',
  'text/rfc822-headers',
  'message/rfc822-headers',
];

/** An attachment's bytes, without a copy: an ArrayBuffer, as postal-mime gives it under its default `attachmentEncoding`. */
const bytesOf = (content: ArrayBuffer | Uint8Array | string): Buffer => Buffer.from(content as ArrayBuffer);

export type Envelope = { source?: string | undefined; recipients?: string[] | undefined };

/** Parses a raw mail; throws on input the parser cannot read at all (the caller reports it as malformed). */
export const parseMail = async (raw: Buffer, envelope: Envelope = {}): Promise<InboundMail> => {
  // A forwarded mail (message/rfc822) without `Content-Disposition: inline` stays a file on the ticket, as it did
  // with mailparser, not text merged into the body.
  const parsed = await PostalMime.parse(raw, { rfc822Attachments: true });
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (key in headers) continue;
    headers[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  // Every DKIM-Signature's signing domain (`d=`), for alignment with From: (inbound-mail.ts senderAuthenticated).
  const dkimDomains = parsed.headerLines
    .filter(({ key }) => key === 'dkim-signature')
    .map(({ line }) => {
      const tags = line.slice(line.indexOf(':') + 1).split(';');
      const d = tags.map((tag) => tag.replace(/\s+/g, '')).find((tag) => tag.toLowerCase().startsWith('d='));
      return d?.slice(2).toLowerCase() ?? '';
    });
  // `multipart/report; report-type=delivery-status`, however it is spaced, quoted or cased.
  const [type, ...params] = (headers['content-type'] ?? '').split(';').map((part) => part.replace(/[\s"]/g, '').toLowerCase());
  const isReport = type === 'multipart/report' && params.includes('report-type=delivery-status');
  const reportParts = parsed.attachments.filter((attachment) => REPORT_PARTS.includes(attachment.mimeType));
  // Line breaks as \n, however the part wrote them (a base64 part keeps its CRLFs).
  const written = parsed.text?.trim() ? parsed.text : undefined;
  // Mail with HTML only is rare: its converter is a chunk of its own, read then (html-as-text.ts).
  const converted =
    written === undefined && typeof parsed.html === 'string'
      ? (await import('#shared/adapters/html-as-text.ts')).htmlToText(parsed.html)
      : '';
  const text = (written ?? converted).replace(/\r\n?/g, '\n');
  const fromValue = (parsed.from?.group ?? (parsed.from ? [parsed.from] : [])).find((entry) => entry.address);
  const returnPath = envelope.source ?? (headers['return-path'] !== undefined ? headers['return-path'].replace(/[<>\s]/g, '') : undefined);
  return {
    messageId: parsed.messageId?.replace(/^<|>$/g, '').trim() || undefined,
    from: fromValue?.address ? { address: fromValue.address, name: fromValue.name || undefined } : undefined,
    returnPath,
    recipients: [
      ...new Set([...(envelope.recipients ?? []), ...addresses(parsed.to), ...addresses(parsed.cc)].map((a) => a.toLowerCase())),
    ],
    subject: parsed.subject ?? '',
    inReplyTo: messageIds(parsed.inReplyTo),
    references: messageIds(parsed.references),
    headers,
    dkimDomains,
    deliveryStatus: isReport ? { text: reportParts.map((part) => bytesOf(part.content).toString('utf8')).join('\n') } : undefined,
    text,
    attachments: parsed.attachments
      .filter((attachment) => !(isReport && REPORT_PARTS.includes(attachment.mimeType)))
      .map((attachment) => ({
        name: attachment.filename ?? undefined,
        contentType: attachment.mimeType,
        content: bytesOf(attachment.content),
      })),
  };
};
