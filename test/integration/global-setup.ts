// Starts one sandbox for the integration suite on free ports, in a throwaway directory, in a child process
// (as `npm start` runs it): its emulators' endpoint variables never reach vitest's own process, so no unit
// test worker can see them. The tests learn the URLs through vitest's provide/inject. The child stops with
// the run: at teardown, and by itself when this process goes away (its IPC channel closes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSandboxProcess } from './sandbox-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    dynamoDbEndpoint: string;
    tableName: string;
    /** The SES emulator: every mail the sandbox sent is at `<sesEndpoint>/store` (mail-viewer.ts). */
    sesEndpoint: string;
  }
}

type Health = { emulators: { dynamodb: { endpoint: string; table: string }; ses: { endpoint: string } } };

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-it-'));
  const sandbox = await startSandboxProcess(dir, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  try {
    const health = (await (await fetch(`${sandbox.url}/_local/health`)).json()) as Health;
    project.provide('apiUrl', sandbox.url);
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
