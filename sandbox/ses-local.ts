// SES in the sandbox: aws-ses-v2-local, which answers the SES v1 and v2 send APIs, keeps the newest mails in
// memory and shows them in its mail viewer (`/`; `GET /store` returns them as JSON). It listens on
// MAIL_VIEWER_PORT, which a person opens in a browser, on the loopback interface only: the mails hold
// requesters' addresses and words. Its store lives in this process, so the server can stop listening and
// start again on the same port with every mail intact: that is how the sandbox shows SES being down.

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

type StartServer = (config: { host: string; port: number }) => Promise<Server>;

// A CommonJS module whose default export is `exports.default`.
const startSesServer = (createRequire(import.meta.url)('aws-ses-v2-local') as { default: StartServer }).default;

const HOST = '127.0.0.1';

/**
 * The mails the viewer keeps, the newest: a long day's worth. The emulator keeps every mail in this process, so
 * older ones are let go for the sandbox's memory to stay bounded (node-args.ts).
 */
export const KEPT_MAILS = 5_000;

const mailStore = (createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as { getStoreReadonly: () => { emails: unknown[] } })
  .getStoreReadonly;

const forgetOldMails = (kept: number) => {
  const { emails } = mailStore();
  if (emails.length > kept) emails.splice(0, emails.length - kept);
};

export type LocalSes = {
  /** Where SES clients send (AWS_ENDPOINT_URL_SESV2 / _SES). */
  endpoint: string;
  /** The mail viewer, for a person's browser. */
  viewerUrl: string;
  port: number;
  running(): boolean;
  setRunning(running: boolean): Promise<void>;
  stop(): Promise<void>;
};

/** Starts the emulator on `port` (0: a free one). The caller checks first that a fixed port is free. */
export const startLocalSes = async (port: number, keptMails = KEPT_MAILS): Promise<LocalSes> => {
  let server: Server | undefined = await startSesServer({ host: HOST, port });
  const chosen = (server.address() as AddressInfo).port;
  const trimming = setInterval(() => forgetOldMails(keptMails), 1_000).unref();
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  return {
    endpoint: `http://${HOST}:${chosen}`,
    viewerUrl: `http://localhost:${chosen}`,
    port: chosen,
    running: () => server !== undefined,
    setRunning: async (running) => {
      if (running && !server) server = await startSesServer({ host: HOST, port: chosen });
      if (!running && server) await close();
    },
    stop: () => {
      clearInterval(trimming);
      return close();
    },
  };
};
