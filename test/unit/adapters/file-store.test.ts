// The API's file store on mocked S3: presigned URLs that sign the size (and no empty-body checksum), a ranged
// read that reports the whole size, a missing key as "not there", a copy within the bucket, a delete.
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3FileStore } from '#shared/adapters/file-store.ts';

const s3 = mockClient(S3Client);
const BUCKET = 'helpdesk-mail-test';

beforeAll(() => {
  process.env.MAIL_BUCKET = BUCKET;
});
afterAll(() => {
  delete process.env.MAIL_BUCKET;
});
beforeEach(() => s3.reset());

describe('the S3 file store', () => {
  it('signs an upload URL that binds the size and carries no checksum of an empty body', async () => {
    // Act
    const url = new URL(await s3FileStore.uploadUrl('uploads/abc/01J1', 'image/png', 2048, 900));

    // Assert
    expect(`${url.hostname}${url.pathname}`).toMatch(new RegExp(`^${BUCKET}\\.s3\\..*/uploads/abc/01J1$`));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    expect(url.searchParams.has('x-amz-checksum-crc32')).toBe(false);
  });

  it('signs a download URL that saves the file under its name with the type given', async () => {
    // Act
    const url = new URL(await s3FileStore.downloadUrl('attachments/api/01J1', 'foto "ku" ✓.png', 'image/png', 300));

    // Assert
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="foto _ku_ _.png"; filename*=UTF-8''foto%20%22ku%22%20%E2%9C%93.png`,
    );
  });

  it('reads the first bytes of an upload and the whole size from Content-Range', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({
      ContentRange: 'bytes 0-3/123456',
      ContentLength: 4,
      ContentType: 'image/png',
      Body: { transformToByteArray: async () => new Uint8Array([0x89, 0x50, 0x4e, 0x47]) } as never,
    });

    // Act
    const stored = await s3FileStore.inspect('uploads/abc/01J1', 4096);

    // Assert
    expect(stored).toEqual({ size: 123456, contentType: 'image/png', head: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: 'uploads/abc/01J1', Range: 'bytes=0-4095' });
  });

  it('takes a whole (unranged) answer of a small file at its length', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ ContentLength: 3, Body: { transformToByteArray: async () => new Uint8Array([1, 2, 3]) } as never });

    // Act
    const stored = await s3FileStore.inspect('uploads/abc/01J1', 4096);

    // Assert
    expect(stored).toEqual({ size: 3, contentType: '', head: new Uint8Array([1, 2, 3]) });
  });

  it('reports a missing upload as not there, and any other failure as a failure', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Key: 'uploads/a/missing' })
      .rejects(new NoSuchKey({ message: 'gone', $metadata: {} }))
      .on(GetObjectCommand, { Key: 'uploads/a/head-missing' })
      .rejects(new S3ServiceException({ name: 'NotFound', $fault: 'client', message: 'nf', $metadata: { httpStatusCode: 404 } }))
      .on(GetObjectCommand, { Key: 'uploads/a/denied' })
      .rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'no', $metadata: { httpStatusCode: 403 } }));

    // Act
    const missing = await s3FileStore.inspect('uploads/a/missing', 4096);
    const headMissing = await s3FileStore.inspect('uploads/a/head-missing', 4096);
    const denied = s3FileStore.inspect('uploads/a/denied', 4096);

    // Assert
    expect(missing).toBeUndefined();
    expect(headMissing).toBeUndefined();
    await expect(denied).rejects.toThrow('no');
  });

  it('copies within the bucket and deletes by key', async () => {
    // Arrange
    s3.on(CopyObjectCommand).resolves({}).on(DeleteObjectCommand).resolves({});

    // Act
    await s3FileStore.copy('uploads/abc/01J1', 'attachments/api/01J1');
    await s3FileStore.remove('uploads/abc/01J1');

    // Assert
    expect(s3.commandCalls(CopyObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'attachments/api/01J1',
      CopySource: `${BUCKET}/uploads/abc/01J1`,
    });
    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: 'uploads/abc/01J1' });
  });
});
