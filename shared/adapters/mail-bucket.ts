// The mail bucket: SES's S3 action writes each received mail under `<prefix><SES message id>`; attachments
// are kept beside them under `attachments/`. When SES receives mail in another region (CDK context
// `mailReceiving=<region>`), the raw mail is in a bucket of that region (RAW_MAIL_BUCKET, RAW_MAIL_REGION)
// and only attachments are here. The endpoint comes from the SDK's own variables (AWS_ENDPOINT_URL_S3 in the
// sandbox), path-style so a local stand-in needs no DNS.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AttachmentStore } from '#shared/domain/mail/inbound-mail.ts';

export const MAIL_BUCKET_ENV = 'MAIL_BUCKET';
export const MAIL_PREFIX_ENV = 'MAIL_PREFIX';
/** Set only when SES receives mail in another region: the bucket there and its region. */
export const RAW_MAIL_BUCKET_ENV = 'RAW_MAIL_BUCKET';
export const RAW_MAIL_REGION_ENV = 'RAW_MAIL_REGION';
/** Mail above this size is stored (SES did that) and reported, never parsed. */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;

const clients = new Map<string, S3Client>();
/** One client per region: the function's own, or the receiving region's for its raw mail. */
const s3 = (region?: string) => {
  const key = region ?? '';
  let client = clients.get(key);
  if (!client) {
    client = new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined, maxAttempts: 5, ...(region ? { region } : {}) });
    clients.set(key, client);
  }
  return client;
};

export const mailBucket = () => {
  const bucket = process.env[MAIL_BUCKET_ENV];
  if (!bucket) throw new Error(`${MAIL_BUCKET_ENV} is not set`);
  return { bucket, prefix: process.env[MAIL_PREFIX_ENV] ?? '' };
};

/** Where SES stores raw mail: this bucket, or the receiving region's (`mailReceiving=<region>`). */
export const rawMailBucket = (): { bucket: string; prefix: string; region?: string } => {
  const { bucket, prefix } = mailBucket();
  const remote = process.env[RAW_MAIL_BUCKET_ENV];
  const region = process.env[RAW_MAIL_REGION_ENV];
  return remote && region ? { bucket: remote, prefix, region } : { bucket, prefix };
};

/** The raw mail SES stored for this message id, or `{tooLarge}` without reading it. */
export const readRawMail = async (messageId: string): Promise<{ raw: Buffer } | { tooLarge: number }> => {
  const { bucket, prefix, region } = rawMailBucket();
  const key = `${prefix}${messageId}`;
  const client = s3(region);
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if ((head.ContentLength ?? 0) > MAX_MAIL_BYTES) return { tooLarge: head.ContentLength ?? 0 };
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
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
