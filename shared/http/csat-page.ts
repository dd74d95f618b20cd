// The page a rating link opens: thanks in the ticket's language, and a form (no script) to change the rating
// and add a comment, posted to the same link as application/x-www-form-urlencoded. Every value is escaped.

import type { CsatOutcome } from '#shared/domain/csat/csat.ts';
import { escapeHtml, RATING_LABELS } from '#shared/domain/mail/mail-templates.ts';

const STRINGS = {
  id: {
    title: 'Terima kasih',
    thanks: (number: number, rating: number) => `Terima kasih! Penilaian Anda untuk tiket #${number}: ${rating} dari 5.`,
    saved: 'Komentar Anda sudah kami simpan.',
    change: 'Ingin mengubah nilai atau menambahkan komentar?',
    comment: 'Komentar (opsional)',
    send: 'Kirim',
  },
  en: {
    title: 'Thank you',
    thanks: (number: number, rating: number) => `Thank you! Your rating for ticket #${number}: ${rating} out of 5.`,
    saved: 'Your comment has been saved.',
    change: 'Want to change your rating or add a comment?',
    comment: 'Comment (optional)',
    send: 'Send',
  },
} as const;

/** Headers of the page: nothing loads from elsewhere, the form posts only back here, no referrer leaks the token. */
export const CSAT_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
} as const;

export const renderCsatPage = (result: CsatOutcome, token: string, commentSaved = false): string => {
  const t = STRINGS[result.language];
  const options = RATING_LABELS[result.language]
    .map((label, index) => {
      const value = index + 1;
      return `<label style="display:block"><input type="radio" name="rating" value="${value}"${value === result.rating ? ' checked' : ''}> ${escapeHtml(`${value} – ${label}`)}</label>`;
    })
    .join('\n');
  return [
    '<!doctype html>',
    `<html lang="${result.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(t.title)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">',
    `<h1>${escapeHtml(t.title)}</h1>`,
    `<p>${escapeHtml(t.thanks(result.number, result.rating))}</p>`,
    ...(commentSaved ? [`<p>${escapeHtml(t.saved)}</p>`] : []),
    // Relative to /csat/<token>: the same link, without its query.
    `<form method="post" action="${escapeHtml(encodeURIComponent(token))}">`,
    `<p>${escapeHtml(t.change)}</p>`,
    options,
    `<p><label>${escapeHtml(t.comment)}<br><textarea name="comment" rows="4" cols="50" maxlength="2000"></textarea></label></p>`,
    `<p><button type="submit">${escapeHtml(t.send)}</button></p>`,
    '</form>',
    '</body></html>',
  ].join('\n');
};
