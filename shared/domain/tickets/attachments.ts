// Files sent through the API (docs/decisions.md, "Attachments (issue 14)"). Three steps:
// 1. `requestUpload`: the caller says the type and size; within the configuration's limits they get a short-lived
//    presigned PUT for a quarantine key (`uploads/<caller's hash>/<upload id>`), which only they can link.
// 2. Linking (`linkUploads`, called by a comment or a new ticket before it is saved): each upload is read back
//    (its real size and its first bytes), refused if it is over the limit, missing, or not what its type says, and
//    only then copied to the final prefix (`attachments/api/<upload id>`, where mail attachments live). A comment
//    never references a file that is not there and checked.
// 3. `attachmentLink`: a short-lived signed GET, for a caller who may see the event the file came with (an internal
//    note's files never reach requesters).
import { createHash } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { ATTACHMENT_TYPES, type AttachmentType } from '#shared/config/config-values.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { callerOf, canSeeEvent, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { DomainError, type FieldProblem, notFound, unprocessable } from '#shared/domain/errors.ts';
import * as z from '#shared/domain/zod.ts';
import { addComment } from './add-comment.ts';
import type { TicketDeps } from './deps.ts';
import type { Clock, IdGenerator, TicketStore } from './ports.ts';
import type { AddCommentInput, AttachmentLinks, AttachmentRef, Ticket } from './ticket.ts';
import { historyPages } from './ticket-history.ts';

/** Where uploads wait until they are linked (a lifecycle rule deletes them after a day) and where linked files live. */
export const UPLOAD_PREFIX = 'uploads/';
export const LINKED_PREFIX = 'attachments/api/';
/** How long an upload URL and a download URL stay valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_SECONDS = 5 * 60;
/** How much of a file the type check reads. */
export const HEAD_BYTES = 4096;

/** What S3 (or the sandbox's stand-in) does with the files. */
export interface FileStore {
  /** A presigned PUT for exactly this key, type and size. */
  uploadUrl(key: string, contentType: string, size: number, seconds: number): Promise<string>;
  /** The stored object's size, type and first `headBytes` bytes; undefined when nothing is stored there. */
  inspect(key: string, headBytes: number): Promise<{ size: number; contentType: string; head: Uint8Array } | undefined>;
  copy(from: string, to: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** A presigned GET that saves the file under `name` with `contentType`. */
  downloadUrl(key: string, name: string, contentType: string, seconds: number): Promise<string>;
}

export type AttachmentDeps = { files: FileStore; config: HelpdeskConfig; clock: Clock; ids: IdGenerator };

const startsWith = (head: Uint8Array, bytes: number[] | string, offset = 0) => {
  const expected = typeof bytes === 'string' ? [...bytes].map((char) => char.charCodeAt(0)) : bytes;
  return expected.every((byte, index) => head[offset + index] === byte);
};
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** Text: no NUL byte and valid UTF-8 (a multi-byte character cut at the end of the head is allowed). */
const isText = (head: Uint8Array) => {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
};

/** Each accepted type's magic number (Office files are zip archives: only that much is checked). */
const SIGNATURES: Record<AttachmentType, (head: Uint8Array) => boolean> = {
  'image/png': (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (head) => startsWith(head, [0xff, 0xd8, 0xff]),
  'image/gif': (head) => startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a'),
  'image/webp': (head) => startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8),
  'application/pdf': (head) => startsWith(head, '%PDF-'),
  'text/plain': isText,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (head) => startsWith(head, ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (head) => startsWith(head, ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': (head) => startsWith(head, ZIP),
};

/** Whether the first bytes are what the type says. */
export const bytesMatchType = (contentType: string, head: Uint8Array): boolean =>
  (ATTACHMENT_TYPES as readonly string[]).includes(contentType) && SIGNATURES[contentType as AttachmentType](head);

export const uploadRequestSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    /** The file's type, as it will be sent in the PUT's Content-Type. */
    contentType: z.string().check(z.minLength(1), z.maxLength(200)),
    size: z.number().check(z.int(), z.positive()),
  }),
);
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

/** The caller's own quarantine folder: nobody else can link what they uploaded. */
const uploadKey = (identity: Identity, id: string) =>
  `${UPLOAD_PREFIX}${createHash('sha256').update(`upload:${identity.id}`).digest('hex').slice(0, 24)}/${id}`;

const tooLarge = (path: string, size: number, limit: number) =>
  new DomainError('payload-too-large', `The file is ${size} bytes; the limit is ${limit} bytes.`, {
    errors: [{ path, message: `must be at most ${limit} bytes` }],
  });

export const requestUpload = async (deps: AttachmentDeps, identity: Identity, input: UploadRequest) => {
  const { maxBytes, types } = deps.config.attachments;
  if (input.size > maxBytes) throw tooLarge('size', input.size, maxBytes);
  if (!(types as string[]).includes(input.contentType))
    throw unprocessable(
      [{ path: 'contentType', message: `must be one of ${types.join(', ')}` }],
      'The desk does not accept this type of file.',
    );
  const id = deps.ids.next();
  const expiresAt = new Date(deps.clock.now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
  const url = await deps.files.uploadUrl(uploadKey(identity, id), input.contentType, input.size, UPLOAD_URL_SECONDS);
  return {
    upload: id,
    url,
    method: 'PUT' as const,
    headers: { 'content-type': input.contentType },
    maxBytes,
    expiresAt,
  };
};

/**
 * Checks every named upload and copies the good ones to the final prefix; one bad upload refuses them all (and
 * the comment), naming it (`attachments.<n>`). A refused upload is deleted: it was checked and is not wanted.
 */
export const linkUploads = async (
  deps: Pick<AttachmentDeps, 'files' | 'config'>,
  identity: Identity,
  links: AttachmentLinks,
): Promise<{ attachments: AttachmentRef[]; uploaded: string[] }> => {
  const { maxBytes, types, perMessage } = deps.config.attachments;
  if (links.length > perMessage)
    throw unprocessable([{ path: 'attachments', message: `must name at most ${perMessage} files` }], 'Too many files.');
  const found = await Promise.all(
    links.map(async (link, index) => {
      const key = uploadKey(identity, link.upload);
      return { link, index, key, stored: await deps.files.inspect(key, HEAD_BYTES) };
    }),
  );
  const problems: FieldProblem[] = [];
  let largest: { path: string; size: number } | undefined;
  for (const { index, stored } of found) {
    const path = `attachments.${index}.upload`;
    if (!stored) problems.push({ path, message: 'was never uploaded, or its upload expired' });
    else if (stored.size > maxBytes) largest = { path, size: stored.size };
    else if (!(types as string[]).includes(stored.contentType))
      problems.push({ path, message: `was sent as a type the desk does not accept (one of ${types.join(', ')})` });
    else if (!bytesMatchType(stored.contentType, stored.head))
      problems.push({ path, message: `is not a ${stored.contentType} file (its content does not match its type)` });
  }
  if (largest || problems.length > 0) {
    await Promise.all(found.filter(({ stored }) => stored).map(({ key }) => deps.files.remove(key)));
    if (largest) throw tooLarge(largest.path, largest.size, maxBytes);
    throw unprocessable(problems, 'An attached file was refused.');
  }
  const attachments = await Promise.all(
    found.map(async ({ link, key, stored }) => {
      const ref: AttachmentRef = {
        name: link.name,
        size: stored!.size,
        contentType: stored!.contentType,
        key: `${LINKED_PREFIX}${link.upload}`,
      };
      await deps.files.copy(key, ref.key);
      return ref;
    }),
  );
  return { attachments, uploaded: found.map(({ key }) => key) };
};

/**
 * A comment with the files it names: linked once the caller may comment (a refused comment copies nothing), and
 * their quarantine copies deleted once it is saved (else the lifecycle rule deletes them a day later).
 */
export const addCommentWithFiles = async (deps: TicketDeps, files: FileStore, identity: Identity, id: string, input: AddCommentInput) => {
  const links = input.attachments ?? [];
  if (links.length === 0) return addComment(deps, identity, id, input);
  let uploaded: string[] = [];
  const result = await addComment(deps, identity, id, input, async () => {
    const linked = await linkUploads({ files, config: deps.config }, identity, links);
    uploaded = linked.uploaded;
    return linked.attachments;
  });
  await Promise.all(uploaded.map((key) => files.remove(key)));
  return result;
};

/** A signed download link for the `index`th file of event `eventId`, for a caller who may see that event. */
export const attachmentLink = async (
  deps: Pick<AttachmentDeps, 'files' | 'clock'> & { tickets: Pick<TicketStore, 'getTicket' | 'listEvents'> },
  identity: Identity,
  ticketId: string,
  eventId: string,
  index: number,
) => {
  const caller = callerOf(identity);
  const ticket: Ticket = requireVisibleTicket(caller, await deps.tickets.getTicket(ticketId), ticketId);
  for await (const page of historyPages(deps.tickets, ticketId)) {
    const event = page.find((item) => item.id === eventId);
    if (!event) continue;
    const files = event.type === 'TicketCreated' || event.type === 'CommentAdded' ? (event.data.attachments ?? []) : [];
    const file = files[index];
    // An event the caller may not see (an internal note, for a requester) has no files for them either.
    if (!file || !canSeeEvent(caller, ticket, event) || !file.key.startsWith('attachments/')) break;
    const expiresAt = new Date(deps.clock.now().getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
    // A mail's file keeps the type its sender claimed; one the desk never checked is served as plain bytes.
    const served = (ATTACHMENT_TYPES as readonly string[]).includes(file.contentType) ? file.contentType : 'application/octet-stream';
    const url = await deps.files.downloadUrl(file.key, file.name, served, DOWNLOAD_URL_SECONDS);
    return { url, name: file.name, contentType: file.contentType, size: file.size, expiresAt };
  }
  throw notFound('No such attachment.');
};
