// Small helpers for the sandbox: free ports, waiting for a service, and errors meant for a person.
import { createServer } from 'node:net';

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
