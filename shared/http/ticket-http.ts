// HTTP details shared by the ticket routes: the ETag / If-Match version (articles use it too), the path id,
// Idempotency-Key.
import { notFound, validationError } from '#shared/domain/errors.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';

export const etagOf = (ticket: Ticket) => `"${ticket.version}"`;

export const ticketHeaders = (ticket: Ticket): Record<string, string> => ({ etag: etagOf(ticket) });

/** Ticket ids are ULIDs; anything else cannot name a ticket, so it is simply not found. */
export const ticketIdFrom = (pathParameters: Record<string, string>): string => {
  const id = pathParameters.id ?? '';
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw notFound(`Ticket ${id.slice(0, 64)} was not found.`);
  return id;
};

/** `If-Match: "3"` (or W/"3", or 3) → 3; absent → undefined; anything else is a 400 naming the header. */
export const ifMatchVersion = (headers: Record<string, string>): number | undefined => {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(raw);
  if (!match) throw validationError([{ path: 'If-Match', message: 'must be the ETag you read, such as "3"' }]);
  return Number(match[1]);
};

/** Printable ASCII, 1–255 characters, as the IETF Idempotency-Key draft suggests for a UUID or similar. */
export const idempotencyKeyFrom = (headers: Record<string, string>): string | undefined => {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw validationError([{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters, such as a UUID' }]);
  return key;
};
