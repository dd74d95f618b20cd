// A second sandbox in its own process, as `npm start` runs it: for tests that move the sandbox clock or
// restart it, so they do not disturb the suite's shared sandbox.
import { spawn } from 'node:child_process';

/**
 * How `npm start` runs a TypeScript entry point: one node process with tsx's loader. (tsx's CLI would put a
 * second process in front that re-sends a signal its child has not acknowledged within 30 ms, which a
 * loaded machine turns into a second Ctrl-C.)
 */
export const TS_NODE_ARGS = ['--import', 'tsx'];

export type SandboxProcess = {
  url: string;
  stop: () => Promise<{ code: number | null; stdout: string }>;
  /** Kills the process outright (SIGKILL), as a test runner's timeout would, and resolves once it is gone. */
  kill: () => Promise<void>;
  /** Everything the process has printed so far, stdout and stderr together. */
  output: () => string;
};

/** Starts `sandbox/start.ts` on free ports (API and mail viewer) and resolves once it prints its API URL. */
export const startSandboxProcess = (dir: string, env: Record<string, string> = {}) =>
  new Promise<SandboxProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, 'sandbox/start.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        MAIL_VIEWER_PORT: '0',
        SMTP_PORT: '0',
        CONSOLE_PORT: '0',
        // These tests use the API; the console is built once by the suite's global setup, not per process.
        CONSOLE_BUILD: 'skip',
        SANDBOX_DIR: dir,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
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
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      all += chunk;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      all += chunk;
      const url = /API\s+(http:\/\/localhost:\d+)/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(startTimer);
        resolve({
          url,
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
          output: () => all,
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(startTimer);
      reject(new Error(`sandbox exited early (${code}): ${stdout}${stderr}`));
    });
  });

/** A client bound to one sandbox: tokens and calls. */
export const clientFor = (url: string) => {
  const token = async (claims: Record<string, unknown>) =>
    (
      (await (
        await fetch(`${url}/_local/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(claims),
        })
      ).json()) as { token: string }
    ).token;
  const call = async (path: string, options: { method?: string; token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${url}${path}`, {
      method: options.method ?? 'GET',
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return { token, call };
};
