// The tracking link's page, for a requester who opens it from their mail in a browser: status and the
// newest public history in their language (saying so when older items are not shown), every value escaped, and
// each comment's files as links that download them (GET /track/{token}/events/{id}/attachments/{n}, which sends a
// browser on to the file). No script, no external resources, no form that needs a token in the page (comments go
// through the JSON API or a reply to the mail).

import type { TrackedTicket } from '#shared/domain/access/track-ticket.ts';
import { escapeHtml, STATUS_NAMES } from '#shared/domain/mail/mail-templates.ts';
import { formatBytes } from '#shared/domain/tickets/file-size.ts';

const STRINGS = {
  id: {
    title: 'Tiket',
    status: 'Status',
    filed: 'Dibuat',
    history: 'Riwayat',
    you: 'Anda',
    staff: 'Petugas',
    moved: 'Status menjadi',
    reply: 'Balas email pemberitahuan untuk menambahkan tanggapan.',
    older: 'Pesan yang lebih lama tidak ditampilkan; yang terbaru ada di bawah.',
    files: 'Berkas',
  },
  en: {
    title: 'Ticket',
    status: 'Status',
    filed: 'Filed',
    history: 'History',
    you: 'You',
    staff: 'Staff',
    moved: 'Status set to',
    reply: 'Reply to a notification mail to add to your ticket.',
    older: 'Older messages are not shown; the newest are below.',
    files: 'Files',
  },
} as const;

/**
 * The page of the ticket the tracking link `token` opens. The file links are relative to the page's own address
 * (/track/{token}), so they hold whatever prefix a custom domain puts before it.
 */
export const renderTrackingPage = (ticket: TrackedTicket, timeZone: string, token: string): string => {
  const t = STRINGS[ticket.language];
  const files = (entry: TrackedTicket['history'][number]) =>
    entry.files?.length
      ? `<p style="margin:4px 0 0"><small>${escapeHtml(t.files)}:</small></p><ul style="margin:0">${entry.files
          .map(
            (file, index) =>
              `<li><a href="${escapeHtml(`${encodeURIComponent(token)}/events/${encodeURIComponent(entry.id)}/attachments/${index}`)}" download>${escapeHtml(file.name)}</a> <small>(${escapeHtml(formatBytes(file.size, ticket.language))})</small></li>`,
          )
          .join('')}</ul>`
      : '';
  const when = (iso: string) =>
    new Intl.DateTimeFormat(ticket.language === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      new Date(iso),
    );
  const items = ticket.history
    .map((entry) => {
      const who = entry.by === 'you' ? t.you : t.staff;
      const what =
        entry.type === 'StatusChanged'
          ? `${t.moved} <strong>${escapeHtml(STATUS_NAMES[ticket.language][entry.status as TrackedTicket['status']] ?? entry.status ?? '')}</strong>`
          : `<blockquote style="white-space:pre-wrap;margin:4px 0 0">${escapeHtml(entry.body ?? '')}</blockquote>`;
      return `<li><small>${escapeHtml(when(entry.at))} · ${escapeHtml(who)}</small><br>${what}${files(entry)}</li>`;
    })
    .join('\n');
  return [
    '<!doctype html>',
    `<html lang="${ticket.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(`${t.title} #${ticket.number}`)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">',
    `<h1>${escapeHtml(`#${ticket.number} ${ticket.subject}`)}</h1>`,
    `<p>${escapeHtml(t.status)}: <strong>${escapeHtml(STATUS_NAMES[ticket.language][ticket.status])}</strong> · ${escapeHtml(t.filed)} ${escapeHtml(when(ticket.createdAt))}</p>`,
    `<h2>${escapeHtml(t.history)}</h2>`,
    ...(ticket.olderNotShown ? [`<p><small>${escapeHtml(t.older)}</small></p>`] : []),
    `<ol>${items}</ol>`,
    `<p><small>${escapeHtml(t.reply)}</small></p>`,
    '</body></html>',
  ].join('\n');
};
