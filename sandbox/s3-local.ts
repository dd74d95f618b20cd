// A minimal S3 stand-in for the sandbox: PutObject, GetObject and HeadObject, path-style
// (`/<bucket>/<key>`), objects kept as files under the sandbox directory. That is all the mail path uses
// (the SMTP server stores raw mail as SES's S3 action does, the inbound handler reads it and stores
// attachments). No npm S3 emulator fitted: s3rver 3.7 is unmaintained and pulls in a web framework; this
// is about sixty lines. Handlers reach it through AWS_ENDPOINT_URL_S3, like any other endpoint.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

export type LocalS3 = { endpoint: string /** Still accepting connections. */; running(): boolean; stop(): Promise<void> };

const notFound = (key: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key.replace(/[<>&"']/g, '')}</Key></Error>`;

export const startLocalS3 = async (dataDir: string): Promise<LocalS3> => {
  mkdirSync(dataDir, { recursive: true });
  const fileOf = (bucket: string, key: string) => join(dataDir, encodeURIComponent(bucket), encodeURIComponent(key));
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!bucket || !key) {
      response.writeHead(400).end();
      return;
    }
    const file = fileOf(decodeURIComponent(bucket), key);
    if (request.method === 'PUT') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, body);
        writeFileSync(`${file}.type`, String(request.headers['content-type'] ?? 'application/octet-stream'));
        response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      });
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (!existsSync(file)) {
        response.writeHead(404, { 'content-type': 'application/xml' }).end(request.method === 'GET' ? notFound(key) : undefined);
        return;
      }
      const size = statSync(file).size;
      const type = existsSync(`${file}.type`) ? readFileSync(`${file}.type`, 'utf8') : 'application/octet-stream';
      response.writeHead(200, { 'content-length': size, 'content-type': type });
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
