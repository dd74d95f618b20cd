// Small helpers for the sandbox: free ports, waiting for a service, and errors meant for a person.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

/** An error whose message is the one line a person needs; printed without a stack. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/**
 * A free port held until `release()`: chosen now (a URL naming it can be handed out), listened on later by
 * its real server. Held meanwhile, so that no other process (another sandbox starting beside this one) is given
 * it by the kernel in between; released just before the real server listens.
 */
export const reservePort = (): Promise<{ port: number; release: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return reject(new Error('no port'));
      let released: Promise<void> | undefined;
      resolve({ port: address.port, release: () => (released ??= new Promise((done) => server.close(() => done()))) });
    });
  });

export const waitFor = async (probe: () => Promise<unknown>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (error instanceof SandboxError || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

/** A random 256-bit key in a file (base64), made once and kept, so signed links survive a restart. */
export const ensureSigningKeyFile = (file: string): string => {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return file;
};

/** A random token in a file (base64url: what Telegram's secret_token allows), made once and kept. */
export const ensureTokenFile = (file: string): string => {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  return file;
};

/** The sandbox's webhook secrets: a `whsec_` key for each configured subscription's secret name, made once and
 *  kept (a receiver verifies with the same file's contents). Returns the files it made. */
export const ensureWebhookSecrets = (dir: string, names: readonly string[], fileOf: (dir: string, name: string) => string): string[] => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return [...new Set(names)].flatMap((name) => {
    const file = fileOf(dir, name);
    if (existsSync(file)) return [];
    writeFileSync(file, `whsec_${randomBytes(32).toString('base64')}`, { mode: 0o600 });
    return [file];
  });
};
