// Files sent through the API, in the mail bucket beside mail attachments (shared/domain/tickets/attachments.ts):
// presigned PUTs into uploads/, a ranged read of the first bytes to check the type, a server-side copy to
// attachments/api/, presigned GETs. The endpoint comes from the SDK's own variables (AWS_ENDPOINT_URL_S3 in the
// sandbox), path-style so a local stand-in needs no DNS.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileStore } from '#shared/domain/tickets/attachments.ts';
import { mailBucket } from './mail-bucket.ts';

let client: S3Client | undefined;
// No flexible checksums: the SDK would sign a CRC32 of the empty body into the presigned PUT, and S3 would refuse
// every real upload; nor a checksum check of a ranged read (the checksum covers the whole object).
const s3 = () =>
  (client ??= new S3Client({
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
    maxAttempts: 5,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }));

/** RFC 6266: an ASCII fallback and the UTF-8 name, so a name with quotes or non-ASCII letters survives. */
const disposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const s3FileStore: FileStore = {
  // Content-Length is signed (S3 refuses a body of another size); the presigner never signs Content-Type, so the
  // type is checked again, against the bytes, when the upload is linked.
  uploadUrl: (key, contentType, size, seconds) =>
    getSignedUrl(s3(), new PutObjectCommand({ Bucket: mailBucket().bucket, Key: key, ContentType: contentType, ContentLength: size }), {
      expiresIn: seconds,
    }),

  async inspect(key, headBytes) {
    try {
      const object = await s3().send(new GetObjectCommand({ Bucket: mailBucket().bucket, Key: key, Range: `bytes=0-${headBytes - 1}` }));
      // A ranged answer's Content-Range ends in the whole size (`bytes 0-4095/123456`).
      const total = Number(object.ContentRange?.split('/')[1] ?? object.ContentLength ?? 0);
      const head = await object.Body!.transformToByteArray();
      return { size: Number.isFinite(total) && total > 0 ? total : head.length, contentType: object.ContentType ?? '', head };
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  },

  async copy(from, to) {
    const { bucket } = mailBucket();
    await s3().send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}` }));
  },

  async remove(key) {
    await s3().send(new DeleteObjectCommand({ Bucket: mailBucket().bucket, Key: key }));
  },

  downloadUrl: (key, name, contentType, seconds) =>
    getSignedUrl(
      s3(),
      new GetObjectCommand({
        Bucket: mailBucket().bucket,
        Key: key,
        ResponseContentDisposition: disposition(name),
        ResponseContentType: contentType,
      }),
      { expiresIn: seconds },
    ),
};
