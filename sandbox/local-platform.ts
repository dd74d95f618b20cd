// What the sandbox's stand-ins for the chat platforms share: an HTTP server on the loopback interface that
// can stop listening and start again on the same port with its state intact (how the sandbox shows a
// platform being down), and JSON in and out.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const HOST = '127.0.0.1';

export type LocalPlatform = {
  /** Where the desk's adapters send (TELEGRAM_API_URL, WHATSAPP_API_URL). */
  endpoint: string;
  running(): boolean;
  setRunning(running: boolean): Promise<void>;
  stop(): Promise<void>;
};

export type PlatformHandler = (request: IncomingMessage, url: URL, body: Buffer) => Promise<{ status: number; body: unknown }>;

export const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

export const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

const reply = (response: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
};

/** Starts the server on a free port; the handler answers every request. */
export const startLocalPlatform = async (handler: PlatformHandler, log?: (line: string) => void): Promise<LocalPlatform> => {
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(async (request, response) => {
        try {
          const body = await readBody(request);
          const result = await handler(request, new URL(request.url ?? '/', 'http://localhost'), body);
          reply(response, result.status, result.body);
        } catch (error) {
          log?.(`! chat platform stand-in: ${(error as Error).message}`);
          if (!response.headersSent) reply(response, 500, { error: 'internal' });
        }
      });
      server.once('error', reject);
      server.listen(port, HOST, () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  await listen();
  return {
    endpoint: `http://${HOST}:${port}`,
    running: () => server !== undefined,
    setRunning: async (running) => {
      if (running && !server) await listen();
      if (!running && server) await close();
    },
    stop: close,
  };
};
