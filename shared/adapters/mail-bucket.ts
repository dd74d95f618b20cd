// The mail bucket: SES's S3 action writes each received mail under `<prefix><SES message id>`; attachments
// are kept beside them under `attachments/`. The endpoint comes from the SDK's own variables
// (AWS_ENDPOINT_URL_S3 in the sandbox), path-style so a local stand-in needs no DNS.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AttachmentStore } from '#shared/domain/mail/inbound-mail.ts';

export const MAIL_BUCKET_ENV = 'MAIL_BUCKET';
export const MAIL_PREFIX_ENV = 'MAIL_PREFIX';
/** Mail above this size is stored (SES did that) and reported, never parsed. */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;

let client: S3Client | undefined;
const s3 = () => (client ??= new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined, maxAttempts: 5 }));

export const mailBucket = () => {
  const bucket = process.env[MAIL_BUCKET_ENV];
  if (!bucket) throw new Error(`${MAIL_BUCKET_ENV} is not set`);
  return { bucket, prefix: process.env[MAIL_PREFIX_ENV] ?? '' };
};

/** The raw mail SES stored for this message id, or `{tooLarge}` without reading it. */
export const readRawMail = async (messageId: string): Promise<{ raw: Buffer } | { tooLarge: number }> => {
  const { bucket, prefix } = mailBucket();
  const key = `${prefix}${messageId}`;
  const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if ((head.ContentLength ?? 0) > MAX_MAIL_BYTES) return { tooLarge: head.ContentLength ?? 0 };
  const object = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { raw: Buffer.from(await object.Body!.transformToByteArray()) };
};

export const s3AttachmentStore: AttachmentStore = {
  async putAttachment(key, content, contentType) {
    await s3().send(new PutObjectCommand({ Bucket: mailBucket().bucket, Key: key, Body: content, ContentType: contentType }));
  },
};

/** Deletes stored attachments (erasure); a key that is already gone is no error. */
export const deleteAttachments = async (keys: string[]): Promise<void> => {
  for (const key of keys) await s3().send(new DeleteObjectCommand({ Bucket: mailBucket().bucket, Key: key }));
};
