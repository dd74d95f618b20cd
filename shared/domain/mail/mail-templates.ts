// The mails a requester receives, in Indonesian and English, as plain text and HTML. Each mail is written
// once as a list of blocks (paragraphs, the requester's or an agent's own words, facts, a link); the two
// renderers below turn it into text and HTML, and the HTML renderer escapes every value it places, so no
// subject, name or comment can add markup to a mail.
import type { Language } from '#shared/config/config-values.ts';
import type { Status } from '#shared/domain/tickets/ticket-status.ts';

export type NotificationKind = 'received' | 'reply' | 'pending' | 'resolved';

/** What every mail of a ticket says: who it is for and which ticket. */
export type MailContext = {
  organisation: string;
  requesterName?: string | undefined;
  number: number;
  subject: string;
  /** The signed tracking link. */
  trackUrl: string;
};

/** What a mail of one kind adds. */
export type MailModel =
  | { kind: 'received'; category: string; description: string }
  | { kind: 'reply'; author: string; body: string }
  /** `needed`: the agent's latest public request, when there is one since the requester last wrote. */
  | { kind: 'pending'; needed?: string | undefined }
  /** `ratingUrls`: the five CSAT links, rating 1 to 5, each opening its page preselected (shared/domain/csat/csat.ts). */
  | { kind: 'resolved'; reopenWindowDays: number; ratingUrls?: string[] | undefined };

export type MailContent = { subject: string; text: string; html: string };

/** Status names as requesters see them (DOMAIN.md). */
export const STATUS_NAMES: Record<Language, Record<Status, string>> = {
  id: {
    new: 'Baru',
    open: 'Sedang diproses',
    pending: 'Menunggu tanggapan Anda',
    on_hold: 'Ditunda',
    resolved: 'Selesai',
    closed: 'Ditutup',
  },
  en: {
    new: 'New',
    open: 'In progress',
    pending: 'Waiting for your reply',
    on_hold: 'On hold',
    resolved: 'Resolved',
    closed: 'Closed',
  },
};

/** The longest description excerpt a "received" mail repeats back. */
export const DESCRIPTION_EXCERPT_MAX = 500;

export type Block =
  | { p: string }
  /** Someone's own words, kept as written (line breaks included). */
  | { words: string }
  | { facts: [label: string, value: string][] }
  | { link: string; url: string }
  /** Ratings: a question and the links, rating 1 (worst) to 5 (best). */
  | { question: string; ratings: [label: string, url: string][] };

type Strings = {
  prefix: Record<NotificationKind, string>;
  greeting: (name: string | undefined) => string;
  signature: (organisation: string) => string;
  footer: string;
  body: (context: MailContext, model: MailModel) => Block[];
};

const excerpt = (text: string) => {
  const trimmed = text.trim();
  return trimmed.length <= DESCRIPTION_EXCERPT_MAX ? trimmed : `${trimmed.slice(0, DESCRIPTION_EXCERPT_MAX).trimEnd()}…`;
};

export const RATING_LABELS: Record<Language, readonly string[]> = {
  id: ['Sangat tidak puas', 'Tidak puas', 'Biasa saja', 'Puas', 'Sangat puas'],
  en: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
};

const ratingBlock = (urls: string[] | undefined, question: string, labels: readonly string[]): Block[] =>
  urls && urls.length === labels.length
    ? [{ question, ratings: urls.map((url, index): [string, string] => [`${index + 1} – ${labels[index]}`, url]) }]
    : [];

const STRINGS: Record<Language, Strings> = {
  id: {
    prefix: { received: 'Tiket diterima', reply: 'Balasan baru', pending: 'Menunggu tanggapan Anda', resolved: 'Selesai' },
    greeting: (name) => `Halo ${name ?? 'Bapak/Ibu'},`,
    signature: (organisation) => `Salam,\nHelpdesk ${organisation}`,
    footer: 'Email ini dikirim otomatis oleh helpdesk. Balas email ini untuk menambahkan tanggapan ke tiket Anda.',
    body: (context, model) => {
      switch (model.kind) {
        case 'received':
          return [
            { p: `Permintaan Anda sudah kami terima dan tercatat sebagai tiket #${context.number}.` },
            {
              facts: [
                ['Nomor tiket', `#${context.number}`],
                ['Subjek', context.subject],
                ['Kategori', model.category],
                ['Status', STATUS_NAMES.id.new],
              ],
            },
            ...(model.description.trim() ? [{ words: excerpt(model.description) }] : []),
            { link: 'Ikuti perkembangan tiket Anda', url: context.trackUrl },
            { p: `Ingin menambahkan informasi? Cukup balas email ini; balasan Anda akan masuk ke tiket #${context.number}.` },
          ];
        case 'reply':
          return [
            { p: `${model.author} membalas tiket #${context.number} (${context.subject}):` },
            { words: model.body },
            { p: 'Balas email ini untuk menanggapi.' },
            { link: 'Lihat tiket', url: context.trackUrl },
          ];
        case 'pending':
          return [
            { p: `Tiket #${context.number} (${context.subject}) kini berstatus "${STATUS_NAMES.id.pending}".` },
            ...(model.needed
              ? [{ p: 'Agar kami dapat melanjutkan, kami memerlukan hal berikut dari Anda:' }, { words: model.needed }]
              : [{ p: 'Agar kami dapat melanjutkan, mohon kirimkan keterangan tambahan atau konfirmasi yang kami perlukan.' }]),
            { p: 'Balas email ini untuk menanggapi; tiket akan kami proses kembali begitu balasan Anda masuk.' },
            { link: 'Lihat tiket', url: context.trackUrl },
          ];
        case 'resolved':
          return [
            { p: `Tiket #${context.number} (${context.subject}) telah diselesaikan (status: ${STATUS_NAMES.id.resolved}).` },
            {
              p:
                model.reopenWindowDays > 0
                  ? `Jika masalahnya belum teratasi, balas email ini dalam ${model.reopenWindowDays} hari dan tiket akan dibuka kembali. Setelah itu, silakan buat tiket baru.`
                  : 'Jika masalahnya belum teratasi, silakan buat tiket baru.',
            },
            ...ratingBlock(
              model.ratingUrls,
              'Seberapa puas Anda dengan penanganan tiket ini? Pilih salah satu nilai, lalu tekan Kirim di halaman yang terbuka (1 = sangat tidak puas, 5 = sangat puas):',
              RATING_LABELS.id,
            ),
            { link: 'Lihat tiket', url: context.trackUrl },
          ];
      }
    },
  },
  en: {
    prefix: { received: 'Ticket received', reply: 'New reply', pending: 'Waiting for your reply', resolved: 'Resolved' },
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    signature: (organisation) => `Kind regards,\n${organisation} Helpdesk`,
    footer: 'This email was sent automatically by the helpdesk. Reply to it to add to your ticket.',
    body: (context, model) => {
      switch (model.kind) {
        case 'received':
          return [
            { p: `We have received your request and recorded it as ticket #${context.number}.` },
            {
              facts: [
                ['Ticket number', `#${context.number}`],
                ['Subject', context.subject],
                ['Category', model.category],
                ['Status', STATUS_NAMES.en.new],
              ],
            },
            ...(model.description.trim() ? [{ words: excerpt(model.description) }] : []),
            { link: 'Follow your ticket', url: context.trackUrl },
            { p: `Anything to add? Just reply to this email; your reply is added to ticket #${context.number}.` },
          ];
        case 'reply':
          return [
            { p: `${model.author} replied to ticket #${context.number} (${context.subject}):` },
            { words: model.body },
            { p: 'Reply to this email to respond.' },
            { link: 'View your ticket', url: context.trackUrl },
          ];
        case 'pending':
          return [
            { p: `Ticket #${context.number} (${context.subject}) is now "${STATUS_NAMES.en.pending}".` },
            ...(model.needed
              ? [{ p: 'To continue, we need the following from you:' }, { words: model.needed }]
              : [{ p: 'To continue, please send us the further details or confirmation we need.' }]),
            { p: 'Reply to this email to respond; work on your ticket resumes as soon as your reply arrives.' },
            { link: 'View your ticket', url: context.trackUrl },
          ];
        case 'resolved':
          return [
            { p: `Ticket #${context.number} (${context.subject}) has been resolved (status: ${STATUS_NAMES.en.resolved}).` },
            {
              p:
                model.reopenWindowDays > 0
                  ? `If the problem is not solved, reply to this email within ${model.reopenWindowDays} days and the ticket will be reopened. After that, please file a new ticket.`
                  : 'If the problem is not solved, please file a new ticket.',
            },
            ...ratingBlock(
              model.ratingUrls,
              'How satisfied are you with how we handled this ticket? Choose a rating, then press Send on the page that opens (1 = very dissatisfied, 5 = very satisfied):',
              RATING_LABELS.en,
            ),
            { link: 'View your ticket', url: context.trackUrl },
          ];
      }
    },
  },
};

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** One line, however the subject was written (a mail header cannot hold a line break). */
export const oneLine = (value: string) => value.replace(/[\r\n\t]+/g, ' ').trim();

export const mailSubject = (language: Language, kind: NotificationKind, number: number, subject: string): string =>
  `[#${number}] ${STRINGS[language].prefix[kind]}: ${oneLine(subject)}`;

const textOf = (blocks: Block[]): string =>
  blocks
    .map((block) => {
      if ('p' in block) return block.p;
      if ('words' in block) return block.words.trim();
      if ('facts' in block) return block.facts.map(([label, value]) => `${label}: ${value}`).join('\n');
      if ('ratings' in block) return [block.question, ...block.ratings.map(([label, url]) => `${label}:\n${url}`)].join('\n');
      return `${block.link}:\n${block.url}`;
    })
    .join('\n\n');

const PARAGRAPH = 'margin:0 0 16px';
const htmlOf = (blocks: Block[]): string =>
  blocks
    .map((block) => {
      if ('p' in block) return `<p style="${PARAGRAPH}">${escapeHtml(block.p)}</p>`;
      if ('words' in block)
        return `<blockquote style="${PARAGRAPH};padding:8px 12px;border-left:3px solid #c7d2e0;white-space:pre-wrap">${escapeHtml(block.words.trim())}</blockquote>`;
      if ('facts' in block)
        return `<table role="presentation" style="${PARAGRAPH};border-collapse:collapse">${block.facts
          .map(
            ([label, value]) =>
              `<tr><td style="padding:2px 16px 2px 0;color:#555">${escapeHtml(label)}</td><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
          )
          .join('')}</table>`;
      if ('ratings' in block)
        return `<p style="${PARAGRAPH}">${escapeHtml(block.question)}</p>\n<p style="${PARAGRAPH}">${block.ratings
          .map(
            ([label, url]) =>
              `<a href="${escapeHtml(url)}" style="display:inline-block;margin:0 8px 8px 0;padding:6px 10px;border:1px solid #c7d2e0;border-radius:4px;text-decoration:none">${escapeHtml(label)}</a>`,
          )
          .join('\n')}</p>`;
      return `<p style="${PARAGRAPH}"><a href="${escapeHtml(block.url)}">${escapeHtml(block.link)}</a></p>`;
    })
    .join('\n');

/** A whole mail from its parts: greeting, blocks, signature and footer, as text and as escaped HTML. */
export const renderDocument = (
  language: Language,
  parts: { subject: string; greeting: string; blocks: Block[]; signature: string; footer: string },
): MailContent => {
  const { subject, greeting, blocks, signature, footer } = parts;
  const text = `${[greeting, textOf(blocks), signature, footer].join('\n\n')}\n`;
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933">',
    `<p style="${PARAGRAPH}">${escapeHtml(greeting)}</p>`,
    htmlOf(blocks),
    `<p style="${PARAGRAPH};white-space:pre-line">${escapeHtml(signature)}</p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#6b7280">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
};

/** The mail of one kind for one ticket, in the requester's language. */
export const renderMail = (language: Language, context: MailContext, model: MailModel): MailContent => {
  const strings = STRINGS[language];
  return renderDocument(language, {
    subject: mailSubject(language, model.kind, context.number, context.subject),
    greeting: strings.greeting(context.requesterName),
    blocks: strings.body({ ...context, subject: oneLine(context.subject) }, model),
    signature: strings.signature(context.organisation),
    footer: strings.footer,
  });
};
