// The configuration's fixed vocabularies, apart from its schema: domain code that needs only a list (the
// priorities, the statuses) imports it from here, so a Lambda bundle does not carry the schema's code for it
// (the configuration is validated when the bundle is built; docs/decisions.md, "Lean functions").

/** The file types the desk can check by their first bytes (shared/domain/tickets/attachments.ts). */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
/** The ticket's life cycle (shared/domain/tickets/ticket-status.ts says which moves are allowed). */
export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
export const LEVELS = ['high', 'medium', 'low'] as const;
export const LANGUAGES = ['id', 'en'] as const;
/** What a macro's reply may name, filled in from the ticket and the agent who applies it (shared/domain/macros/). */
export const MACRO_PLACEHOLDERS = [
  'requester.name',
  'ticket.number',
  'ticket.subject',
  'ticket.status',
  'ticket.category',
  'team.name',
  'agent.name',
  'organisation.name',
] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Level = (typeof LEVELS)[number];
export type Language = (typeof LANGUAGES)[number];
