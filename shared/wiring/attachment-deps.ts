// The ports of the attachment routes: the files in the mail bucket (S3), the clock, ids and configuration.
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { s3FileStore } from '#shared/adapters/file-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { AttachmentDeps } from '#shared/domain/tickets/attachments.ts';

let deps: AttachmentDeps | undefined;

export const attachmentDeps = (): AttachmentDeps =>
  (deps ??= { files: s3FileStore, clock: systemClock, ids: ulidGenerator(systemClock), config: loadConfig() });
