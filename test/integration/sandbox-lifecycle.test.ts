// `npm start` as a newcomer meets it: data survives a restart; a busy port (API or mail viewer) or a missing
// Java is one clear line; no Java process outlives a sandbox however it ends.
// Checked under load: with three busy loops beside it on two cores
// (`for i in 1 2 3; do (timeout 120 sh -c 'while :; do :; done') & done`), this file passes.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX_NODE_ARGS } from '#sandbox/node-args.ts';
import { apiUrl, clientFor } from './api-client.ts';
import { sandboxDir, sandboxEnv, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = sandboxDir('helpdesk-lifecycle-');
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s script and collects what it prints until it exits. */
const runStart = (env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [...SANDBOX_NODE_ARGS, 'sandbox/start.ts'], {
      // A free mail viewer port unless the test names one, so a sandbox running on 8005 does not interfere.
      env: { ...process.env, MAIL_VIEWER_PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

const token = (url: string) => clientFor(url).tokenFor({ sub: 'ani' });

/** The DynamoDB Local processes of the sandbox whose data lives in `dir`. */
const javaOf = (dir: string) =>
  spawnSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dir}`], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean);

describe('the sandbox', () => {
  it('stops cleanly on Ctrl-C and keeps tickets across a restart; a restarted one stops when its test run goes away', async () => {
    // Arrange
    const dir = tempDir();
    const first = await startSandboxProcess(dir);
    const created = await fetch(`${first.url}/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(first.url)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Tinta printer habis' }),
    }).then((response) => response.json() as Promise<{ id: string; number: number }>);
    const stopped = await first.stop();

    // Act: start again on the same data, read the ticket, then close the IPC channel as a test run that
    // ends or is killed does (one sandbox start serves both checks: starts are the suite's dearest step)
    const second = await startSandboxProcess(dir);
    let read: Response;
    try {
      read = await fetch(`${second.url}/tickets/${created.id}`, { headers: { authorization: `Bearer ${await token(second.url)}` } });
    } catch (error) {
      await second.kill();
      throw error;
    }
    const javaWhileRunning = javaOf(dir);
    const orphaned = await second.disconnect();

    // Assert
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('Stopped. Data is kept');
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: created.id, number: created.number, subject: 'Tinta printer habis' });
    expect(javaWhileRunning).toHaveLength(1);
    expect(orphaned.code).toBe(0);
    expect(orphaned.stdout).toContain('parent gone: stopping the sandbox');
    expect(javaOf(dir)).toEqual([]);
    // Two starts and two stops: over a minute when the machine's cores are shared.
  }, 120_000);

  it("stops cleanly on a SIGTERM sent to npm start's own process, as a service manager sends it", async () => {
    // Arrange: `npm start` in a process group of its own, so the signal reaches npm alone (not a terminal's group)
    const dir = tempDir();
    const npm = spawn('npm', ['start'], {
      detached: true,
      env: sandboxEnv(dir),
    });
    let stdout = '';
    npm.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    // 'close', not 'exit': what the sandbox printed last may still be in the pipe when npm's exit is reported.
    const exited = new Promise<void>((resolve) => npm.on('close', () => resolve()));
    // However the test ends, nothing of this group outlives it.
    const force = setTimeout(() => process.kill(-npm.pid!, 'SIGKILL'), 100_000);
    try {
      await waitFor(
        async () => stdout,
        (text) => /API\s+http:\/\/localhost:\d+/.test(text),
        80_000,
      );

      // Act
      npm.kill('SIGTERM');
      await exited;
    } catch (error) {
      process.kill(-npm.pid!, 'SIGKILL');
      throw error;
    } finally {
      clearTimeout(force);
    }

    // Assert: the sandbox heard it, stopped its emulators and left no Java behind
    expect(stdout).toContain('SIGTERM: stopping the sandbox');
    expect(stdout).toContain('Stopped. Data is kept');
    await waitFor(
      async () => javaOf(dir),
      (pids) => pids.length === 0,
      15_000,
    );
  }, 120_000);

  it('leaves no DynamoDB Local running when it is killed outright', async () => {
    // Arrange: a sandbox whose Java process we can find by its data directory
    const dir = tempDir();
    const sandbox = await startSandboxProcess(dir);
    const javaOfThisSandbox = () => javaOf(dir);
    expect(javaOfThisSandbox()).toHaveLength(1);

    // Act: no Ctrl-C, no clean stop
    await sandbox.kill();

    // Assert: its watchdog takes Java down within seconds
    await waitFor(
      async () => javaOfThisSandbox(),
      (pids) => pids.length === 0,
      15_000,
    );
  }, 60_000);

  it('says in one line that the port is busy and how to choose another', async () => {
    const busyPort = new URL(apiUrl()).port;
    const result = await runStart({ PORT: busyPort, SANDBOX_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `✗ Port ${busyPort} is already in use: stop what is using it, or start on another port with PORT=${Number(busyPort) + 1} npm start.`,
    );
  }, 40_000);

  it('says in one line that the mail viewer port is busy and how to choose another', async () => {
    // Arrange: something listening on a port
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const busyPort = (blocker.address() as AddressInfo).port;

    // Act
    const result = await runStart({ PORT: '0', MAIL_VIEWER_PORT: String(busyPort), SANDBOX_DIR: tempDir() }).finally(() => blocker.close());

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `✗ Port ${busyPort} (mail viewer) is already in use: stop what is using it, or start with MAIL_VIEWER_PORT=${busyPort + 1} npm start.`,
    );
  }, 40_000);

  it('says in one line that Java is missing and how to install it', async () => {
    const result = await runStart({ PORT: '0', SANDBOX_DIR: tempDir(), PATH: '/nonexistent' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^✗ Java 17 or newer is needed to run DynamoDB Local: install it/);
  }, 40_000);
});
