// The pages of a rating link, in the ticket's language, without script: opening the link shows the choice
// with its rating preselected and a comment box (`renderCsatChoice`), and sending that form (a POST of
// application/x-www-form-urlencoded to the same link) records the vote and thanks (`renderCsatPage`), with
// the form again to change it. Opening records nothing: mail scanners open every link. Every value is escaped.

import type { CsatChoice, CsatOutcome } from '#shared/domain/csat/csat.ts';
import { escapeHtml, RATING_LABELS } from '#shared/domain/mail/mail-templates.ts';

const STRINGS = {
  id: {
    ask: 'Penilaian layanan',
    question: (number: number) =>
      `Seberapa puas Anda dengan penanganan tiket #${number}? Nilai yang Anda pilih sudah ditandai; tekan Kirim untuk menyimpannya.`,
    previous: (rating: number) => `Nilai yang tersimpan sekarang: ${rating} dari 5.`,
    title: 'Terima kasih',
    thanks: (number: number, rating: number) => `Terima kasih! Penilaian Anda untuk tiket #${number}: ${rating} dari 5.`,
    saved: 'Komentar Anda sudah kami simpan.',
    change: 'Ingin mengubah nilai atau menambahkan komentar?',
    comment: 'Komentar (opsional)',
    send: 'Kirim',
  },
  en: {
    ask: 'Rate our service',
    question: (number: number) =>
      `How satisfied are you with how we handled ticket #${number}? The rating you chose is marked; press Send to save it.`,
    previous: (rating: number) => `Your rating saved so far: ${rating} out of 5.`,
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

type Strings = (typeof STRINGS)[keyof typeof STRINGS];

const page = (language: CsatChoice['language'], title: string, paragraphs: string[], form: string) =>
  [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">',
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`),
    form,
    '</body></html>',
  ].join('\n');

/** The form: five ratings (one checked), a comment box, Send; posted back to /csat/<token> (no query). */
const ratingForm = (language: CsatChoice['language'], t: Strings, token: string, checked: number, intro?: string) =>
  [
    // Relative to /csat/<token>: the same link, without its query.
    `<form method="post" action="${escapeHtml(encodeURIComponent(token))}">`,
    ...(intro ? [`<p>${escapeHtml(intro)}</p>`] : []),
    RATING_LABELS[language]
      .map((label, index) => {
        const value = index + 1;
        return `<label style="display:block"><input type="radio" name="rating" value="${value}"${value === checked ? ' checked' : ''}> ${escapeHtml(`${value} – ${label}`)}</label>`;
      })
      .join('\n'),
    `<p><label>${escapeHtml(t.comment)}<br><textarea name="comment" rows="4" cols="50" maxlength="2000"></textarea></label></p>`,
    `<p><button type="submit">${escapeHtml(t.send)}</button></p>`,
    '</form>',
  ].join('\n');

/** What a rating link opens: the question, the link's rating preselected, nothing recorded yet. */
export const renderCsatChoice = (choice: CsatChoice, token: string): string => {
  const t = STRINGS[choice.language];
  return page(
    choice.language,
    t.ask,
    [t.question(choice.number), ...(choice.current !== null ? [t.previous(choice.current)] : [])],
    ratingForm(choice.language, t, token, choice.rating),
  );
};

/** After the form was sent: thanks, and the form again to change the rating or the comment. */
export const renderCsatPage = (result: CsatOutcome, token: string, commentSaved = false): string => {
  const t = STRINGS[result.language];
  return page(
    result.language,
    t.title,
    [t.thanks(result.number, result.rating), ...(commentSaved ? [t.saved] : [])],
    ratingForm(result.language, t, token, result.rating, t.change),
  );
};
