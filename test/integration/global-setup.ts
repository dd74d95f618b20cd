// Starts one sandbox for the integration and browser suites on free ports, in a throwaway directory, in a child process
// (as `npm start` runs it), with the web console built once and served beside it: its emulators' endpoint variables never reach vitest's own process, so no unit
// test worker can see them. The tests learn the URLs through vitest's provide/inject. The child stops with
// the run: at teardown, and by itself when this process goes away (its IPC channel closes).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { sandboxDir, startSandboxProcess } from './sandbox-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    consoleUrl: string;
    /** The built console, for a test that serves it with another config.json. */
    consoleDist: string;
    dynamoDbEndpoint: string;
    tableName: string;
    /** The SES emulator: every mail the sandbox sent is at `<sesEndpoint>/store` (mail-viewer.ts). */
    sesEndpoint: string;
  }
}

type Health = { emulators: { dynamodb: { endpoint: string; table: string }; ses: { endpoint: string } } };

export default async function setup(project: TestProject) {
  const dir = sandboxDir('helpdesk-it-');
  // The browser tests use this sandbox's console: built once, into the throwaway directory, while the sandbox
  // starts (its console server reads the files when they are asked for, and no test asks before setup is done).
  const { buildConsole } = await import('../../sandbox/build-console.ts');
  const consoleDir = join(dir, 'console');
  const [built, started] = await Promise.allSettled([
    buildConsole(consoleDir),
    startSandboxProcess(dir, {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      CONSOLE_DIST: consoleDir,
      // Queues' visibility timeouts a twentieth of AWS's: a message a test makes fail (a platform down) comes back in seconds.
      QUEUE_TIME_SCALE: '0.05',
    }),
  ]);
  if (started.status === 'rejected') throw started.reason;
  const sandbox = started.value;
  try {
    if (built.status === 'rejected') throw built.reason;
    const health = (await (await fetch(`${sandbox.url}/_local/health`)).json()) as Health;
    project.provide('apiUrl', sandbox.url);
    project.provide('consoleUrl', sandbox.consoleUrl);
    project.provide('consoleDist', consoleDir);
    project.provide('dynamoDbEndpoint', health.emulators.dynamodb.endpoint);
    project.provide('tableName', health.emulators.dynamodb.table);
    project.provide('sesEndpoint', health.emulators.ses.endpoint);
  } catch (error) {
    await sandbox.kill();
    throw error;
  }
  return async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
