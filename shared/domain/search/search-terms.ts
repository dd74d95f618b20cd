// The words a ticket is found by, and the words of a search: the knowledge base's text processing
// (shared/domain/kb/text.ts: compounds, informal spellings, stop words, the Indonesian and English stemmers),
// so "printernya gak bisa" and "printer" meet on one stem. A requester's address and phone number are exact
// terms, hashed so that no key of the index shows them.
import { createHash } from 'node:crypto';
import { termsOf } from '#shared/domain/kb/text.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';

/** A word of the subject counts three times one of the description or a comment (as an article's title does). */
export const SUBJECT_WEIGHT = 3;
/**
 * A ticket is indexed under at most this many terms: every subject word first, then the weightiest words of the
 * description and the public comments. It bounds the writes of one re-index (one item per term) and the
 * storage of a ticket with a long thread; the words left out are the rarest in that ticket.
 */
export const MAX_TERMS_PER_TICKET = 64;
/** A search uses at most this many words (the rest of a pasted paragraph adds cost, not precision). */
export const MAX_QUERY_WORDS = 8;

const hashed = (kind: 'mail' | 'tel', value: string) => `${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;

/** Digits only, an Indonesian trunk prefix as the country code: 0812… and +62 812… are one number. */
export const phoneDigits = (phone: string): string => {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
};

export const emailTerm = (email: string) => hashed('mail', email.trim().toLowerCase());
export const phoneTerm = (phone: string) => hashed('tel', phoneDigits(phone));

/** What a ticket is indexed under: term → weight (how often, subject words weighing more), and its length. */
export type TicketTerms = { terms: Record<string, number>; length: number };

/** The terms of a ticket: its subject, description and public comments (never internal notes), and its requester's address and number. */
export const ticketTerms = (ticket: Pick<Ticket, 'subject' | 'description' | 'requester'>, publicComments: string[]): TicketTerms => {
  const weights = new Map<string, number>();
  const subject = new Set<string>();
  let length = 0;
  const add = (text: string, weight: number, isSubject = false) => {
    for (const { stem } of termsOf(text)) {
      weights.set(stem, (weights.get(stem) ?? 0) + weight);
      if (isSubject) subject.add(stem);
      length++;
    }
  };
  add(ticket.subject, SUBJECT_WEIGHT, true);
  add(ticket.description, 1);
  for (const comment of publicComments) add(comment, 1);
  // Map order is first occurrence: ties keep the earlier word.
  const kept = [...weights.entries()]
    .sort(([a, x], [b, y]) => Number(subject.has(b)) - Number(subject.has(a)) || y - x)
    .slice(0, MAX_TERMS_PER_TICKET);
  const terms: Record<string, number> = Object.fromEntries(kept);
  if (ticket.requester.email) terms[emailTerm(ticket.requester.email)] = 1;
  if (ticket.requester.phone) terms[phoneTerm(ticket.requester.phone)] = 1;
  return { terms, length };
};

/** A search as the index reads it: ticket numbers, exact terms (an address, a phone number), words. */
export type ParsedQuery = { numbers: number[]; exact: string[]; words: string[] };

const EMAIL = /[^\s@<>(),;"]+@[^\s@<>(),;"]+\.[a-z]{2,}/gi;
/** A run of digits (with the usual separators) standing alone, not inside a word such as kd86293031. */
const PHONE = /(?<![\p{L}\d])\+?\d[\d ().-]{6,}\d(?![\p{L}\d])/gu;
const NUMBER = /(?:^|\s)#?(\d{1,9})(?=\s|$)/g;

export const parseQuery = (q: string): ParsedQuery => {
  const exact: string[] = [];
  let rest = q.replace(EMAIL, (email) => {
    exact.push(emailTerm(email));
    return ' ';
  });
  rest = rest.replace(PHONE, (phone) => {
    // Eight digits or more is a phone number; a shorter run is a ticket number or a word.
    if (phoneDigits(phone).length < 8) return phone;
    exact.push(phoneTerm(phone));
    return ' ';
  });
  const numbers = [...rest.matchAll(NUMBER)].map((match) => Number(match[1]));
  // `#19` names a ticket and nothing else; a bare 19 may also be a word (a room, a class).
  const words = [...new Set(termsOf(rest.replace(/#\d+/g, ' ')).map((term) => term.stem))].slice(0, MAX_QUERY_WORDS);
  return { numbers: [...new Set(numbers)], exact: [...new Set(exact)], words };
};
