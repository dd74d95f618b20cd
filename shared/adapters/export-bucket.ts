// Where exports are written: the stacks' bucket (the mail bucket, under exports/, deleted by a lifecycle rule
// after EXPORT_DAYS), one multipart upload per export, and a presigned GET for the download. The endpoint comes
// from the SDK's own variables (AWS_ENDPOINT_URL_S3 in the sandbox), path-style so a local stand-in needs no DNS.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportSink } from '#shared/domain/portability/export-tickets.ts';
import { mailBucket } from './mail-bucket.ts';

let client: S3Client | undefined;
const s3 = () => (client ??= new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined, maxAttempts: 5 }));

export const s3ExportSink: ExportSink = {
  async begin(key) {
    const { UploadId } = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: mailBucket().bucket, Key: key, ContentType: 'application/x-ndjson; charset=utf-8' }),
    );
    if (!UploadId) throw new Error('S3 gave the export no upload id');
    return UploadId;
  },

  async part(key, uploadId, number, body) {
    const { ETag } = await s3().send(
      new UploadPartCommand({ Bucket: mailBucket().bucket, Key: key, UploadId: uploadId, PartNumber: number, Body: body }),
    );
    if (!ETag) throw new Error(`S3 gave part ${number} of the export no ETag`);
    return ETag;
  },

  async complete(key, uploadId, parts) {
    await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: mailBucket().bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((part) => ({ PartNumber: part.number, ETag: part.etag })) },
      }),
    );
  },

  link: (key, seconds) =>
    getSignedUrl(s3(), new GetObjectCommand({ Bucket: mailBucket().bucket, Key: key, ResponseContentDisposition: 'attachment' }), {
      expiresIn: seconds,
    }),
};
