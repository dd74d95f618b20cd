// The web console in the sandbox: the built app (web/dist) with the same security headers CloudFront adds,
// /config.json pointing at this sandbox's API with the local sign-in, and the SPA fallback to index.html.
// Files are gzipped, as CloudFront compresses them.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_HEADERS, consoleCsp } from '#shared/console/console-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type ConsoleServer = { url: string; port: number; stop(): Promise<void> };

export type ConsoleServerOptions = {
  port: number;
  /** The interface to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** The built console (`vite build` output). */
  distDir: string;
  /** /config.json, asked for on each request (the API's port is known only once it listens). */
  config: () => unknown;
  /** Origins the console calls (connect-src): the sandbox's API. */
  connect: () => string[];
};

export const DEFAULT_CONSOLE_DIST = resolve(import.meta.dirname, '../web/dist');

export const startConsoleServer = async (options: ConsoleServerOptions): Promise<ConsoleServer> => {
  const root = resolve(options.distDir);
  const cache = new Map<string, { body: Buffer; gzip: Buffer }>();
  // Hashed assets never change, so they are compressed once; anything else is read afresh (a new build).
  const read = (file: string) => {
    const cached = cache.get(file);
    if (cached) return cached;
    const body = readFileSync(file);
    const entry = { body, gzip: gzipSync(body, { level: 9 }) };
    if (file.startsWith(`${root}/assets/`)) cache.set(file, entry);
    return entry;
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const headers: Record<string, string> = { ...CONSOLE_HEADERS, 'content-security-policy': consoleCsp(options.connect()) };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/config.json') {
      response.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(options.config()));
      return;
    }
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      response.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      response.end('The console is not built yet: run `npm run build:web` (npm start does it for you).\n');
      return;
    }
    // As CloudFront's function does: files are the assets and the few at the root; any other path is a route
    // of the app (/tickets/…, /auth/callback, /track/<token with dots>) and gets index.html.
    const asFile = url.pathname.startsWith('/assets/') || /^\/[^/]+\.[A-Za-z0-9]+$/.test(url.pathname);
    const wanted = normalize(join(root, decodeURIComponent(url.pathname)));
    const isFile = asFile && wanted.startsWith(`${root}/`) && existsSync(wanted);
    if (asFile && !isFile) {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const file = isFile ? wanted : index;
    const { body, gzip } = read(file);
    const zipped = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    response.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // Hashed assets never change; index.html is read afresh so a new build shows at once.
      'cache-control': file.includes(`${root}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(zipped ? { 'content-encoding': 'gzip' } : {}),
      'content-length': String((zipped ? gzip : body).length),
    });
    response.end(request.method === 'HEAD' ? undefined : zipped ? gzip : body);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
};
