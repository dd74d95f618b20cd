import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFunction, PROJECT_ROOT } from '#infra/constructs/function-bundling.ts';

for (const entry of process.argv.slice(2)) {
  const outdir = '/tmp/split-out';
  rmSync(outdir, { recursive: true, force: true });
  const { lazy } = buildFunction(join(PROJECT_ROOT, entry), outdir);
  const kib = (f: string) => (statSync(join(outdir, f)).size / 1024).toFixed(1);
  console.log(entry.padEnd(40), 'index', kib('index.mjs'), [...lazy.keys()].map((f) => `${f} ${kib(f)}`).join(' '));
}
