// A mention in an internal note: `@` and a staff member's handle (the local part of their address, or their id)
// at a word start. Its own module without zod, so the console highlights exactly what the API mails.
export const MENTION = /(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g;

/** The handle a mention names: trailing dots, dashes and underscores are punctuation, not part of it. */
export const handleOf = (mention: string): string => mention.replace(/[._-]+$/, '').toLowerCase();
