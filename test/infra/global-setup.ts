// One folder for the run's synthesized apps, removed when the run ends (build-test-app.ts gives each worker a
// folder inside it). CDK's own default, a new cdk.out* folder per app that nobody removes, filled the disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDK_TEST_OUTDIR_ENV } from './build-test-app.ts';

export default function setup() {
  const root = mkdtempSync(join(tmpdir(), 'helpdesk-cdk-run-'));
  // The workers start after global setup and inherit this process's environment.
  process.env[CDK_TEST_OUTDIR_ENV] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
