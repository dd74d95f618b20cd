// Bundles every handler (HTTP, then the stream, queue, schedule and inbound-mail ones) with the Lambda construct's
// own build (infra/constructs/function-bundling.ts) and measures each bundle's size and cold import time in fresh
// `node` processes, beside two bare handlers: the DynamoDB-only one (bench/bare-handler.ts: one GetItem, with the
// bundled SDK clients that takes), and the function's own bare handler, which is the same GetItem bundled with
// every AWS SDK client and command the function's bundle holds (S3, SES, Cognito…; read from esbuild's metafile).
// The function's own bare handler is what issue 13's ratios are taken against: what a function adds beyond the SDK
// it must ship is what the target is about (docs/decisions.md, "Lean functions").
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { buildFunction, functionBuildOptions, PROJECT_ROOT } from '#infra/constructs/function-bundling.ts';
import { median } from './stats.ts';

const FUNCTIONS_DIR = join(PROJECT_ROOT, 'functions');
/** HTTP handlers keep their bare names (as in earlier runs); the others (inbound mail too) are `<trigger>/<handler>`. */
const HANDLER_DIRS = ['http', 'stream', 'queue', 'schedule', 'email'];

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

export const BARE_HANDLER = '(bare handler: one GetItem, DynamoDB only)';
const BARE_ENTRY = join(PROJECT_ROOT, 'bench', 'bare-handler.ts');

/** An AWS SDK client or command class in a bundle's output: `@aws-sdk/<package>/dist-es/[commands/]<Name>.js`. */
const SDK_CLASS = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)\/dist-es\/(?:commands\/)?([A-Za-z0-9]+(?:Client|Command))\.js$/;
/** SDK helpers a function may call beside its clients, by the package they come from. */
const SDK_HELPERS: Record<string, string> = { 's3-request-presigner': 'getSignedUrl' };
const SDK_HELPER = /node_modules\/@aws-sdk\/([a-z0-9-]+)\//;

/**
 * The function's own bare handler: bench/bare-handler.ts's GetItem, plus every SDK client and command (and
 * presigner) the function's bundle holds, each client created at module load as the functions' wiring does. An
 * empty string when it holds no more than the DynamoDB-only bare handler's.
 */
const ownBareSource = (output: Metafile['outputs'][string], bare: ReadonlySet<string>): string => {
  const imports = new Map<string, Set<string>>();
  const add = (pkg: string, name: string) => imports.set(pkg, (imports.get(pkg) ?? new Set()).add(name));
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const sdkClass = SDK_CLASS.exec(file);
    const helper = SDK_HELPERS[SDK_HELPER.exec(file)?.[1] ?? ''];
    if (sdkClass && !bare.has(`${sdkClass[1]}:${sdkClass[2]}`)) add(`@aws-sdk/${sdkClass[1]}`, sdkClass[2]!);
    else if (helper) add(`@aws-sdk/${SDK_HELPER.exec(file)![1]}`, helper);
  }
  if (imports.size === 0) return '';
  const names = [...imports.values()].flatMap((set) => [...set]);
  return [
    `export { handler } from ${JSON.stringify(BARE_ENTRY)};`,
    ...[...imports].map(([pkg, set]) => `import { ${[...set].sort().join(', ')} } from '${pkg}';`),
    // Clients are created as the wiring creates them; commands and helpers are kept as the handler's code keeps them.
    `export const sdk = [${names.map((name) => (name.endsWith('Client') && name !== 'DynamoDBDocumentClient' ? `new ${name}({})` : name)).join(', ')}];`,
  ].join('\n');
};

/** The SDK clients and commands a bundle holds, as `package:Name` (the bare handler's, to leave out of the others'). */
const sdkClassesOf = (output: Metafile['outputs'][string]): Set<string> =>
  new Set(
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([file]) => SDK_CLASS.exec(file))
      .filter((match) => match !== null)
      .map((match) => `${match[1]}:${match[2]}`),
  );

/** What a function's own bare handler adds to the DynamoDB-only one, for the table: `S3 +3 commands`. */
export const sdkSummary = (source: string): string =>
  [...source.matchAll(/import \{ ([^}]*) \} from '@aws-sdk\/([^']+)'/g)]
    .map(([, names, pkg]) => {
      const list = names!.split(', ');
      const client = list.find((name) => name.endsWith('Client'))?.replace(/Client$/, '');
      const commands = list.filter((name) => name.endsWith('Command')).length;
      return pkg === 'lib-dynamodb' || pkg === 'client-dynamodb'
        ? `DynamoDB +${commands}`
        : `${client ?? pkg}${commands ? ` ${commands}` : ''}`;
    })
    .join(', ');

/** Issue 13's targets, as a multiple of the bare handler in size and in cold import. */
export const RATIO_TARGET = { http: 1.3, other: 1.5 } as const;
export const targetOf = (name: string): number => (name === BARE_HANDLER ? 1 : name.includes('/') ? RATIO_TARGET.other : RATIO_TARGET.http);

export type BundleResult = {
  name: string;
  /** What a cold start reads: `index.mjs`. */
  bytes: number;
  /** Its lazy modules, read only when a rare path runs (0 when there are none). */
  lazyBytes: number;
  /** The function's own bare handler (the DynamoDB-only one when it ships no other SDK): its name in the results. */
  bare: string;
  /** Median cold import, with the function's environment (source maps enabled). */
  importMs: number;
  /** The same without NODE_OPTIONS=--enable-source-maps (NaN for a bare handler: not measured). */
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

/** A bare handler's source, built with the functions' options (it imports no lazy module). */
const buildBare = async (source: string, outfile: string) => {
  const { metafile } = await build({
    ...functionBuildOptions(),
    stdin: { contents: source, resolveDir: PROJECT_ROOT, loader: 'ts' },
    outfile,
    metafile: true,
  });
  return { handler: Object.values(metafile.outputs).find((output) => output.entryPoint === '<stdin>')!, lazy: new Map<string, unknown>() };
};

export const measureBundles = async (workDir: string, runs: number): Promise<BundleResult[]> => {
  const entries = HANDLER_DIRS.flatMap((dir) =>
    readdirSync(join(FUNCTIONS_DIR, dir))
      .filter((file) => file.endsWith('.ts'))
      .sort()
      .map((file) => ({
        name: dir === 'http' ? basename(file, '.ts') : `${dir}/${basename(file, '.ts')}`,
        entry: join(FUNCTIONS_DIR, dir, file),
      })),
  );

  type Bundle = {
    name: string;
    bare: string;
    outfile: string;
    bytes: number;
    lazyBytes: number;
    withMaps: number[];
    withoutMaps: number[];
  };
  const bundles: Bundle[] = [];
  let built = 0;
  /** Builds `entry` (a handler's file, or a bare handler's source) as the construct does. */
  const bundle = async (name: string, entry: string | { source: string }) => {
    const outdir = join(workDir, 'out', `${built++}`);
    const outfile = join(outdir, 'index.mjs');
    const { handler, lazy } = typeof entry === 'string' ? buildFunction(entry, outdir) : await buildBare(entry.source, outfile);
    return {
      bundle: {
        name,
        bare: BARE_HANDLER,
        outfile,
        bytes: statSync(outfile).size,
        lazyBytes: [...lazy.keys()].reduce((sum, file) => sum + statSync(join(outdir, file)).size, 0),
        withMaps: [],
        withoutMaps: [],
      } as Bundle,
      output: handler,
    };
  };

  const bare = await bundle(BARE_HANDLER, BARE_ENTRY);
  bundles.push(bare.bundle);
  const bareClasses = sdkClassesOf(bare.output);
  const ownBares = new Map<string, string>();
  for (const { name, entry } of entries) {
    const handler = await bundle(name, entry);
    const source = ownBareSource(handler.output, bareClasses);
    if (source && !ownBares.has(source)) {
      const own = await bundle(`(bare handler + ${sdkSummary(source)})`, { source });
      ownBares.set(source, own.bundle.name);
      bundles.push(own.bundle);
    }
    bundles.push({ ...handler.bundle, bare: source ? ownBares.get(source)! : BARE_HANDLER });
  }

  // Round-robin over the bundles, so that a slow spell of the machine hits every bundle alike.
  const { NODE_OPTIONS: _sourceMaps, ...envWithoutMaps } = LAMBDA_ENV;
  for (let run = 0; run < runs; run++)
    for (const bundle of bundles) {
      bundle.withMaps.push(importOnce(bundle.outfile, LAMBDA_ENV));
      // The bare handlers' figure without source maps is not reported: fewer processes for a loaded machine.
      if (!bundle.name.startsWith('(bare')) bundle.withoutMaps.push(importOnce(bundle.outfile, envWithoutMaps));
    }

  return bundles.map(({ name, bare, bytes, lazyBytes, withMaps, withoutMaps }) => ({
    name,
    bare,
    bytes,
    lazyBytes,
    importMs: median(withMaps),
    importWithoutSourceMapsMs: withoutMaps.length > 0 ? median(withoutMaps) : Number.NaN,
  }));
};
