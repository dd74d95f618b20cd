// A minimal S3 stand-in for the sandbox: PutObject, GetObject, HeadObject, DeleteObject and multipart uploads
// (create, upload part, complete, abort), CopyObject, ranged GET, path-style (`/<bucket>/<key>`), objects kept as files under the
// sandbox directory. That is all the mail path (the SMTP server stores raw mail as SES's S3 action does, the
// inbound handler reads it and stores attachments), the export (one multipart upload, a presigned GET) and API
// uploads (a presigned PUT, a ranged read, a copy) use; the stand-in checks no signature. The console's browser
// PUTs its files here, so the stand-in answers CORS as the mail bucket's rule does on AWS (UPLOAD_CORS: PUT from
// the console's origins). No npm S3 emulator fitted: s3rver 3.7 is unmaintained
// and pulls in a web framework. Handlers reach it through AWS_ENDPOINT_URL_S3, like any other endpoint.

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { CORS_MAX_AGE_SECONDS, UPLOAD_CORS } from '#shared/console/console-headers.ts';

export type LocalS3 = { endpoint: string /** Still accepting connections. */; running(): boolean; stop(): Promise<void> };

const notFound = (key: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key.replace(/[<>&"']/g, '')}</Key></Error>`;

/**
 * S3's CORS for one rule (origins, UPLOAD_CORS's methods and headers): a preflight matching it gets the allowed
 * method and headers, any other preflight 403 (as S3 answers); a matching request gets Access-Control-Allow-Origin.
 */
const corsOf = (request: IncomingMessage, origins: string[]): { preflight?: 'allowed' | 'refused'; headers: Record<string, string> } => {
  const origin = request.headers.origin;
  const asked = request.headers['access-control-request-method'];
  const preflight = request.method === 'OPTIONS' && typeof asked === 'string';
  const method = preflight ? asked : (request.method ?? '');
  const wanted = String(request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((header) => header.trim().toLowerCase())
    .filter(Boolean);
  const matches =
    typeof origin === 'string' &&
    origins.includes(origin) &&
    (UPLOAD_CORS.methods as readonly string[]).includes(method) &&
    wanted.every((header) => (UPLOAD_CORS.headers as readonly string[]).includes(header));
  if (!matches) return { ...(preflight ? { preflight: 'refused' as const } : {}), headers: {} };
  const headers = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (!preflight) return { headers };
  return {
    preflight: 'allowed',
    headers: {
      ...headers,
      'access-control-allow-methods': UPLOAD_CORS.methods.join(', '),
      'access-control-allow-headers': UPLOAD_CORS.headers.join(', '),
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    },
  };
};

/** `corsOrigins`: the origins browsers may PUT from (the console's), asked on each request (known once it listens). */
export const startLocalS3 = async (dataDir: string, corsOrigins: () => string[] = () => []): Promise<LocalS3> => {
  mkdirSync(dataDir, { recursive: true });
  const fileOf = (bucket: string, key: string) => join(dataDir, encodeURIComponent(bucket), encodeURIComponent(key));
  const uploadDir = (uploadId: string) => join(dataDir, '.uploads', encodeURIComponent(uploadId));
  const readBody = (request: IncomingMessage, then: (body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => then(Buffer.concat(chunks)));
  };
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>${body}`;
  const etagOf = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;
  const server: Server = createServer((request, response) => {
    const cors = corsOf(request, corsOrigins());
    for (const [name, value] of Object.entries(cors.headers)) response.setHeader(name, value);
    if (cors.preflight === 'allowed') {
      response.writeHead(200).end();
      return;
    }
    if (cors.preflight === 'refused') {
      response.writeHead(403, { 'content-type': 'application/xml' });
      response.end(xml('<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>'));
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!bucket || !key) {
      response.writeHead(400).end();
      return;
    }
    const file = fileOf(decodeURIComponent(bucket), key);
    const uploadId = url.searchParams.get('uploadId');
    if (request.method === 'POST' && url.searchParams.has('uploads')) {
      const id = randomUUID();
      mkdirSync(uploadDir(id), { recursive: true });
      writeFileSync(join(uploadDir(id), 'type'), String(request.headers['content-type'] ?? 'application/octet-stream'));
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(
        xml(
          `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
        ),
      );
      return;
    }
    if (uploadId && !existsSync(uploadDir(uploadId))) {
      response.writeHead(404, { 'content-type': 'application/xml' }).end(xml('<Error><Code>NoSuchUpload</Code></Error>'));
      return;
    }
    if (request.method === 'PUT' && uploadId) {
      const part = Number(url.searchParams.get('partNumber'));
      readBody(request, (body) => {
        writeFileSync(join(uploadDir(uploadId), `part-${part}`), body);
        response.writeHead(200, { etag: etagOf(body) }).end();
      });
      return;
    }
    if (request.method === 'POST' && uploadId) {
      readBody(request, (body) => {
        // The parts named in the request, in its order (each must have been uploaded).
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((match) => Number(match[1]));
        const parts = numbers.map((number) => join(uploadDir(uploadId), `part-${number}`));
        if (parts.length === 0 || parts.some((part) => !existsSync(part))) {
          response.writeHead(400, { 'content-type': 'application/xml' }).end(xml('<Error><Code>InvalidPart</Code></Error>'));
          return;
        }
        const whole = Buffer.concat(parts.map((part) => readFileSync(part)));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, whole);
        writeFileSync(`${file}.type`, readFileSync(join(uploadDir(uploadId), 'type'), 'utf8'));
        rmSync(uploadDir(uploadId), { recursive: true, force: true });
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(
          xml(
            `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>${etagOf(whole)}</ETag></CompleteMultipartUploadResult>`,
          ),
        );
      });
      return;
    }
    if (request.method === 'DELETE' && uploadId) {
      rmSync(uploadDir(uploadId), { recursive: true, force: true });
      response.writeHead(204).end();
      return;
    }
    const copySource = request.headers['x-amz-copy-source'];
    if (request.method === 'PUT' && typeof copySource === 'string') {
      // CopyObject: `<bucket>/<key>` (URL-encoded), the type kept.
      const [sourceBucket = '', ...sourceKey] = decodeURIComponent(copySource.replace(/^\//, '')).split('/');
      const source = fileOf(sourceBucket, sourceKey.join('/'));
      if (!existsSync(source)) {
        response.writeHead(404, { 'content-type': 'application/xml' }).end(notFound(sourceKey.join('/')));
        return;
      }
      const body = readFileSync(source);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
      if (existsSync(`${source}.type`)) writeFileSync(`${file}.type`, readFileSync(`${source}.type`));
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(xml(`<CopyObjectResult><ETag>${etagOf(body)}</ETag></CopyObjectResult>`));
      return;
    }
    if (request.method === 'PUT') {
      readBody(request, (body) => {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, body);
        writeFileSync(`${file}.type`, String(request.headers['content-type'] ?? 'application/octet-stream'));
        response.writeHead(200, { etag: etagOf(body) }).end();
      });
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (!existsSync(file)) {
        response.writeHead(404, { 'content-type': 'application/xml' }).end(request.method === 'GET' ? notFound(key) : undefined);
        return;
      }
      const size = statSync(file).size;
      // A presigned GET may override the type and disposition, as S3 does.
      const type =
        url.searchParams.get('response-content-type') ??
        (existsSync(`${file}.type`) ? readFileSync(`${file}.type`, 'utf8') : 'application/octet-stream');
      const disposition = url.searchParams.get('response-content-disposition');
      const headers = { 'content-type': type, ...(disposition ? { 'content-disposition': disposition } : {}) };
      // `Range: bytes=<first>-<last>` (the upload check reads a file's first bytes): 206 with Content-Range.
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ''));
      if (range && request.method === 'GET' && size > 0) {
        const first = Number(range[1]);
        const last = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
        const part = readFileSync(file).subarray(first, last + 1);
        response.writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${first}-${last}/${size}` });
        response.end(part);
        return;
      }
      response.writeHead(200, { ...headers, 'content-length': size });
      response.end(request.method === 'GET' ? readFileSync(file) : undefined);
      return;
    }
    if (request.method === 'DELETE') {
      // S3 answers 204 whether or not the key existed.
      rmSync(file, { force: true });
      rmSync(`${file}.type`, { force: true });
      response.writeHead(204).end();
      return;
    }
    response.writeHead(405).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    running: () => server.listening,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
