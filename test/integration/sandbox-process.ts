// A sandbox in its own process, as `npm start` runs it: the suite's shared one (global-setup.ts), and one
// of their own for tests that move the sandbox clock or restart it, so they do not disturb the shared one.
// Talk to one with api-client.ts's `clientFor(url)`.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_NODE_ARGS } from '#sandbox/node-args.ts';

/**
 * How the npm scripts run a TypeScript entry point: one node process with tsx's loader. (tsx's CLI would put a
 * second process in front that re-sends a signal its child has not acknowledged within 30 ms, which a
 * loaded machine turns into a second Ctrl-C.) The sandbox itself also gets its heap bound: SANDBOX_NODE_ARGS.
 */
export const TS_NODE_ARGS = ['--import', 'tsx'];

export type SandboxProcess = {
  url: string;
  /** The web console it serves. */
  consoleUrl: string;
  stop: () => Promise<{ code: number | null; stdout: string }>;
  /** Kills the process outright (SIGKILL), as a test runner's timeout would, and resolves once it is gone. */
  kill: () => Promise<void>;
  /** Closes the IPC channel, as this process ending would, and resolves once the sandbox has stopped. */
  disconnect: () => Promise<{ code: number | null; stdout: string }>;
  /** Everything the process has printed so far, stdout and stderr together. */
  output: () => string;
};

/** Memory-backed (tmpfs) where the machine has one we may write to; else undefined. */
const inMemoryTmp = (() => {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
})();

/**
 * A new directory for a test's sandbox data: in memory (/dev/shm) where there is one, else the system's temp
 * directory. DynamoDB Local's SQLite syncs every write, and on this suite's disk that made each write 3–4× slower
 * than in memory (300 PutItem: 6.5 s against 1.8 s on a loaded machine); most integration tests wait on those writes.
 */
export const sandboxDir = (prefix: string): string => mkdtempSync(join(inMemoryTmp ?? tmpdir(), prefix));

/** A sandbox's environment in a test: free ports everywhere, its own data directory, the console as last built, a quick start. */
export const sandboxEnv = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  PORT: '0',
  MAIL_VIEWER_PORT: '0',
  SMTP_PORT: '0',
  CONSOLE_PORT: '0',
  // These tests use the API; the console is built once by the suite's global setup, not per process.
  CONSOLE_BUILD: 'skip',
  SANDBOX_DIR: dir,
  // A test's sandbox lives for a file at most: DynamoDB Local with the JIT's first tier starts in half the time.
  DYNAMODB_LOCAL_QUICK_START: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** Starts `sandbox/start.ts` on free ports (API and mail viewer) and resolves once it prints its API URL. */
export const startSandboxProcess = (dir: string, env: Record<string, string> = {}) =>
  new Promise<SandboxProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [...SANDBOX_NODE_ARGS, 'sandbox/start.ts'], {
      // The IPC channel is how the sandbox knows the test run is still there: it stops when the channel
      // closes, however this process ends (sandbox/start.ts).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...sandboxEnv(dir), ...env },
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // A sandbox that does not come up in time is killed, so no Java process outlives the test.
    const startTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox did not start within 60 s: ${stdout}${stderr}`));
    }, 60_000);
    let all = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
      all += chunk;
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      all += chunk;
      const url = /API\s+(http:\/\/localhost:\d+)/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(startTimer);
        resolve({
          url,
          consoleUrl: /Console\s+(http:\/\/localhost:\d+)/.exec(stdout)?.[1] ?? '',
          stop: async () => {
            child.kill('SIGINT');
            // Ctrl-C, then the hard way if stopping hangs.
            const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
            const code = await exited;
            clearTimeout(force);
            return { code, stdout };
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          disconnect: async () => {
            child.disconnect();
            const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
            const code = await exited;
            clearTimeout(force);
            return { code, stdout };
          },
          output: () => all,
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(startTimer);
      reject(new Error(`sandbox exited early (${code}): ${stdout}${stderr}`));
    });
  });
