// A tag's form, in a module of its own without zod so the console checks typed tags exactly as the API does.

/** A tag: lower-case letters, digits and dashes, as typed on a ticket (`wifi-outage`, `lab-2`). */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
