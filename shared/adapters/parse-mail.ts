// Raw MIME → the domain's InboundMail, with mailparser (charsets, base64 and quoted-printable, encoded
// words). HTML-only mail is converted to text with block quotes kept as `>` lines, so the quote stripper
// sees them. A delivery status report's machine-readable parts become `deliveryStatus.text`, not
// attachments.
import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser';
import type { InboundMail } from '#shared/domain/mail/inbound-mail.ts';
import { htmlToText } from '#shared/domain/mail/reply-text.ts';

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((object) => object.value)
    .flatMap((entry) => (entry.group ? entry.group : [entry]))
    .map((entry) => entry.address ?? '')
    .filter((address) => address.includes('@'));

const messageIds = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? value.split(/\s+/) : []).map((id) => id.trim()).filter(Boolean);

const REPORT_PARTS = [
  'message/rfc822',
  'message/delivery-status',
  'message/global-delivery-status',
  'text/rfc822-headers',
  'message/rfc822-headers',
];

export type Envelope = { source?: string | undefined; recipients?: string[] | undefined };

/** Parses a raw mail; throws on input mailparser cannot read at all (the caller reports it as malformed). */
export const parseMail = async (raw: Buffer, envelope: Envelope = {}): Promise<InboundMail> => {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
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
  const contentType = parsed.headers.get('content-type') as (HeaderValue & { value?: string; params?: Record<string, string> }) | undefined;
  const isReport =
    typeof contentType === 'object' &&
    contentType !== null &&
    'value' in contentType &&
    contentType.value === 'multipart/report' &&
    (contentType.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
  const reportParts = parsed.attachments.filter((attachment) => REPORT_PARTS.includes(attachment.contentType.toLowerCase()));
  const text = parsed.text?.trim() ? parsed.text : typeof parsed.html === 'string' ? htmlToText(parsed.html) : '';
  const fromValue = parsed.from?.value.find((entry) => entry.address);
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
    deliveryStatus: isReport ? { text: reportParts.map((part) => part.content.toString('utf8')).join('\n') } : undefined,
    text,
    attachments: parsed.attachments
      .filter((attachment) => !(isReport && REPORT_PARTS.includes(attachment.contentType.toLowerCase())))
      .map((attachment) => ({ name: attachment.filename, contentType: attachment.contentType, content: attachment.content })),
  };
};
