// Starts one sandbox for the integration and browser suites on free ports, in a throwaway directory, with
// the web console built and served beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    consoleUrl: string;
    /** The built console, for a test that serves it with another config.json. */
    consoleDist: string;
    dynamoDbEndpoint: string;
    tableName: string;
  }
}

export default async function setup(project: TestProject) {
  // globalSetup runs in vitest's own process, outside test.env: quiet the handlers' Powertools here too.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-it-'));
  const { startSandbox } = await import('../../sandbox/sandbox.ts');
  const { buildConsole } = await import('../../sandbox/build-console.ts');
  // The browser tests use this sandbox's console: built once, into the throwaway directory.
  const consoleDir = join(dir, 'console');
  await buildConsole(consoleDir);
  const sandbox = await startSandbox({ port: 0, dir, console: { port: 0, distDir: consoleDir } });
  project.provide('apiUrl', sandbox.apiUrl);
  project.provide('consoleUrl', sandbox.consoleUrl!);
  project.provide('consoleDist', consoleDir);
  project.provide('dynamoDbEndpoint', sandbox.dynamoDbEndpoint);
  project.provide('tableName', sandbox.tableName);
  return async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
