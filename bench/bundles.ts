// Bundles every handler (HTTP, then the stream, queue, schedule and inbound-mail ones) the way the Lambda
// construct does (infra/constructs/helpdesk-function.ts) and measures each bundle's size and cold import time in fresh
// `node` processes, beside the bare handler's (bench/bare-handler.ts: the same one DynamoDB call with the same
// bundled SDK clients), which every ratio is taken against.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { median } from './stats.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const FUNCTIONS_DIR = join(ROOT, 'functions');
/** HTTP handlers keep their bare names (as in earlier runs); the others (inbound mail too) are `<trigger>/<handler>`. */
const HANDLER_DIRS = ['http', 'stream', 'queue', 'schedule', 'email'];

/** The construct's `bundling` settings, as esbuild API options. bundleAwsSDK is true there: no externals. */
const LAMBDA_BUILD: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  absWorkingDir: ROOT,
  logLevel: 'error',
};

/** What the construct puts in every function's environment, plus a table name so module init cannot throw. */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'helpdesk',
  POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
  TABLE_NAME: 'x',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const IMPORT_ONCE = 'const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);';

export const BARE_HANDLER = '(bare handler: one GetItem)';
const BARE_ENTRY = join(ROOT, 'bench', 'bare-handler.ts');

/** Issue 13's targets, as a multiple of the bare handler in size and in cold import. */
export const RATIO_TARGET = { http: 1.3, other: 1.5 } as const;
export const targetOf = (name: string): number => (name === BARE_HANDLER ? 1 : name.includes('/') ? RATIO_TARGET.other : RATIO_TARGET.http);

export type BundleResult = {
  name: string;
  bytes: number;
  /** Median cold import, with the function's environment (source maps enabled). */
  importMs: number;
  /** The same without NODE_OPTIONS=--enable-source-maps. */
  importWithoutSourceMapsMs: number;
};

const importOnce = (file: string, env: NodeJS.ProcessEnv): number =>
  Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', IMPORT_ONCE, pathToFileURL(file).href], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );

export const measureBundles = async (workDir: string, runs: number): Promise<BundleResult[]> => {
  const entries = [
    { name: BARE_HANDLER, entry: BARE_ENTRY },
    ...HANDLER_DIRS.flatMap((dir) =>
      readdirSync(join(FUNCTIONS_DIR, dir))
        .filter((file) => file.endsWith('.ts'))
        .sort()
        .map((file) => ({
          name: dir === 'http' ? basename(file, '.ts') : `${dir}/${basename(file, '.ts')}`,
          entry: join(FUNCTIONS_DIR, dir, file),
        })),
    ),
  ];

  const bundles = [];
  for (const { name, entry } of entries) {
    const outfile = join(workDir, 'out', name === BARE_HANDLER ? 'bare-handler' : name.replace('/', '-'), 'index.mjs');
    await build({ ...LAMBDA_BUILD, entryPoints: [entry], outfile });
    bundles.push({ name, outfile, bytes: statSync(outfile).size, withMaps: [] as number[], withoutMaps: [] as number[] });
  }

  // Round-robin over the bundles, so that a slow spell of the machine hits every bundle alike.
  const { NODE_OPTIONS: _sourceMaps, ...envWithoutMaps } = LAMBDA_ENV;
  for (let run = 0; run < runs; run++)
    for (const bundle of bundles) {
      bundle.withMaps.push(importOnce(bundle.outfile, LAMBDA_ENV));
      bundle.withoutMaps.push(importOnce(bundle.outfile, envWithoutMaps));
    }

  return bundles.map(({ name, bytes, withMaps, withoutMaps }) => ({
    name,
    bytes,
    importMs: median(withMaps),
    importWithoutSourceMapsMs: median(withoutMaps),
  }));
};
