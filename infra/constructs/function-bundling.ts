// How every function's code is built: esbuild's API with one set of options, read by HelpdeskFunction (at synth)
// and by the bench (npm run bench -- bundles), so what is measured is what is deployed. A rare path's library (the
// HTML converter of inbound mail, the phone number parser) is a lazy module: a bundle of its own beside the
// handler's, read only when that path runs, not at every cold start. NodejsFunction cannot do that (it names one
// output file), and esbuild's own code splitting would split the AWS SDK's lazy credential providers as well,
// hence this (docs/decisions.md, "Lazy modules").
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ILocalBundling } from 'aws-cdk-lib';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';
import { loadConfig } from '#shared/config/load-config.ts';

/** Repository root: esbuild resolves `#shared/*` through the root package.json's `imports` from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lets bundled CommonJS dependencies call `require` in the ESM bundle (every output file gets it). */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * The esbuild condition under which `#shared/config/load-config.ts` is shared/config/bundled-config.ts (package.json
 * "imports"); `module` is esbuild's own default condition, which naming any condition would otherwise drop.
 */
export const BUNDLE_CONDITIONS = ['helpdesk-bundle', 'module'];

/**
 * The configuration every bundle carries, validated here (at synth, before anything is bundled) and handed to
 * esbuild as the `define` of bundled-config.ts's HELPDESK_CONFIG: the schema's output, so no bundle needs the
 * schema's code (docs/decisions.md, "Lean functions").
 */
export const bundledConfigJson = (): string => JSON.stringify(loadConfig());

/**
 * The lazy modules: each is imported only with `import('#shared/…')`, and is its own bundle in the function's
 * `lazy/` folder, which the package.json written beside `index.mjs` maps that specifier to (Node resolves `#…`
 * imports through the nearest package.json). A lazy module shares none of our modules with its handler (the build
 * fails if it does): each bundle would hold its own copy, so a class, a cache or a registration would be two.
 */
export const LAZY_MODULES = [
  '#shared/adapters/html-as-text.ts',
  '#shared/domain/kb/render-article.ts',
  '#shared/domain/tickets/phone-number.ts',
];

/**
 * esbuild's options for a function's bundles: ESM for nodejs22.x, minified, with source maps (stack traces map to
 * file:line; no sources shipped in them). The pinned SDK v3 clients are bundled, not the runtime's copy: the version
 * that was tested is the version that runs, and ESM tree-shaking keeps only the clients a handler uses.
 */
export const functionBuildOptions = (configJson = bundledConfigJson()): BuildOptions => ({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  conditions: BUNDLE_CONDITIONS,
  define: { HELPDESK_CONFIG: configJson },
  absWorkingDir: PROJECT_ROOT,
  logLevel: 'error',
});

export type FunctionBuild = {
  /** `index.mjs`: what a cold start reads. */
  handler: Metafile['outputs'][string];
  /** The lazy modules the handler imports, by file (under `lazy/`). */
  lazy: Map<string, Metafile['outputs'][string]>;
};

/**
 * Builds the function whose handler is `entry` into `outdir`: `index.mjs`, and the lazy modules it imports (the
 * project's `LAZY_MODULES` unless a test names others).
 */
export const buildFunction = (
  entry: string,
  outdir: string,
  { configJson = bundledConfigJson(), lazyModules = LAZY_MODULES }: { configJson?: string; lazyModules?: string[] } = {},
): FunctionBuild => {
  const options = { ...functionBuildOptions(configJson), external: lazyModules };
  const outputOf = (metafile: Metafile, name: string) => Object.entries(metafile.outputs).find(([file]) => file.endsWith(name))![1];
  const { metafile } = buildSync({ ...options, entryPoints: { index: entry }, outdir, metafile: true });
  const handler = outputOf(metafile, '/index.mjs');
  const lazy = new Map<string, Metafile['outputs'][string]>();
  const imports: Record<string, string> = {};
  for (const { path: specifier, kind } of handler.imports.filter(({ path }) => lazyModules.includes(path))) {
    if (kind !== 'dynamic-import')
      throw new Error(`${entry} imports ${specifier} statically: a lazy module is imported with import() only`);
    const name = `lazy/${basename(specifier, '.ts')}`;
    if (imports[specifier]) continue;
    const built = buildSync({
      ...options,
      entryPoints: { [name]: join(PROJECT_ROOT, specifier.replace(/^#shared\//, 'shared/')) },
      outdir,
      metafile: true,
    });
    const output = outputOf(built.metafile, `/${name}.mjs`);
    // Two copies of one of our modules would be two of its state (a class that errors are checked against, a cache).
    const ours = Object.keys(output.inputs).filter((file) => !file.includes('node_modules/') && file in handler.inputs);
    if (ours.length > 0)
      throw new Error(`${specifier} and ${entry} both hold ${ours.join(', ')}: a lazy module shares no module of ours with its handler`);
    // Only the handler's lazy modules are mapped in the package.json beside it.
    const nested = output.imports.find(({ path }) => lazyModules.includes(path));
    if (nested) throw new Error(`${specifier} imports ${nested.path}: a lazy module imports no other lazy module`);
    lazy.set(`${name}.mjs`, output);
    imports[specifier] = `./${name}.mjs`;
  }
  if (lazy.size > 0) writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module', imports }, null, 2)}\n`);
  return { handler, lazy };
};

/**
 * CDK's local bundling of a function: esbuild on this machine, no Docker. Its fields are part of CDK's asset cache
 * key (the key is the JSON of the bundling options), so two functions, or two configurations, never share a build.
 */
export class FunctionBundling implements ILocalBundling {
  readonly configJson = bundledConfigJson();

  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildFunction(this.entry, outputDir, { configJson: this.configJson });
    return true;
  }
}
