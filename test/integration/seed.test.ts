// `npm run seed` as a person runs it against a running sandbox: a small history, a progress bar, and a
// report that counts what was seeded.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess, TS_NODE_ARGS } from './sandbox-process.ts';

let sandbox: SandboxProcess;
let dir: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-seed-');
  sandbox = await startSandboxProcess(dir);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const runSeed = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, 'sandbox/seed.ts', ...args], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

describe('npm run seed', () => {
  it('fills the running sandbox, found without --api, with a history the reports count', async () => {
    // Act: as after `npm start` in the same directory, on a port the seed is not told
    const result = await runSeed(['--days', '4', '--per-day', '3'], { SANDBOX_DIR: dir });

    // Assert: it finished, showed its progress, and the tickets are there
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\d+\s*\/\s*\d+|%/);
    const { tokenFor, call } = clientFor(sandbox.url);
    const lead = await tokenFor({ sub: 'rina', groups: ['lead'] });
    const seeded = Number(/Seeded (\d+) tickets/.exec(result.stdout)?.[1]);
    const listed = await call('/tickets?limit=100', { token: lead });
    expect(seeded).toBeGreaterThan(0);
    expect(listed.body.items).toHaveLength(seeded);
  }, 90_000);

  it('says how to start or name a sandbox when none runs from its directory', async () => {
    const result = await runSeed(['--days', '1'], { SANDBOX_DIR: join(dir, 'nothing-here') });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `seed: no sandbox is running from ${join(dir, 'nothing-here')}/: start one with npm start (same SANDBOX_DIR), or name it with --api http://localhost:<port>`,
    );
  });

  it('refuses an unknown option with a line that says what it takes', async () => {
    const result = await runSeed(['--weeks', '3', '--api', sandbox.url]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--days 1..366');
  });
});
