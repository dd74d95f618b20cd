// The tests that really bundle: a HelpdeskFunction, synthesized with esbuild, must produce an ESM `.mjs`
// bundle that plain Node loads and runs (`.ts` imports and `#shared/*` aliases resolved, CJS dependencies
// working through the createRequire banner), carrying the configuration validated at synth, not its schema.
import { execFileSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFunction, LAZY_MODULES, PROJECT_ROOT } from '#infra/constructs/function-bundling.ts';
import { HelpdeskFunction } from '#infra/constructs/helpdesk-function.ts';
import defaultConfig from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { parseConfig } from '#shared/config/load-config.ts';
import { rawMail } from '#test/fixtures/mime.ts';

const HEALTH_EVENT = {
  version: '2.0',
  routeKey: 'GET /health',
  rawPath: '/health',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.example',
    domainPrefix: 'api',
    http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
    requestId: 'bundling-smoke',
    routeKey: 'GET /health',
    stage: '$default',
    time: '01/Jan/2026:00:00:00 +0000',
    timeEpoch: 1767225600000,
  },
};

describe('HelpdeskFunction bundling (smoke)', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'helpdesk-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Synthesizes `entry` as a HelpdeskFunction; its bundle, and a way to run its handler in plain Node on string arguments. */
  const bundled = (stackName: string, entry: string) => {
    const app = new App({ outdir });
    const stack = new Stack(app, stackName);
    new HelpdeskFunction(stack, 'Function', { entry });
    const template = Template.fromStack(stack);
    app.synth();
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Code: { S3Key: string } } }[];
    const bundle = path.join(outdir, `asset.${fn!.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    const run = (...args: string[]): unknown => {
      const script = `
        const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
        const results = [];
        for (const arg of process.argv.slice(1)) results.push(await handler(arg));
        process.stdout.write(JSON.stringify(results));
      `;
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, ...args], { encoding: 'utf8' }));
    };
    return { bundle, run };
  };

  it('bundles a handler into an ESM index.mjs that Node loads and runs', () => {
    // Arrange
    const app = new App({ outdir });
    const stack = new Stack(app, 'BundlingSmoke');
    new HelpdeskFunction(stack, 'Health', { entry: 'functions/http/health.ts' });

    // Act
    const template = Template.fromStack(stack);
    app.synth();

    // Assert: the function points at an index.mjs bundle with the ESM banner and a source map
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Handler: string; Code: { S3Key: string } };
    }[];
    expect(functions).toHaveLength(1);
    const { Handler, Code } = functions[0]!.Properties;
    expect(Handler).toBe('index.handler');
    const assetDir = path.join(outdir, `asset.${Code.S3Key.replace(/\.zip$/, '')}`);
    const bundle = path.join(assetDir, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toMatch(/^import \{ createRequire \} from 'module';/);

    // Assert: plain Node imports the bundle as ESM and the handler answers
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const context = { getRemainingTimeInMillis: () => 10000, functionName: 'health', awsRequestId: 'smoke' };
      const result = await handler(${JSON.stringify(HEALTH_EVENT)}, context);
      process.stdout.write(JSON.stringify({ type: typeof handler, statusCode: result.statusCode }));
    `;
    const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      cwd: assetDir,
      encoding: 'utf8',
      env: { ...process.env, POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_METRICS_DISABLED: 'true' },
    });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({ type: 'function', statusCode: 200 });
  });

  it('gives the function the configuration validated at synth, with its defaults, and none of the schema', () => {
    // Act
    const { bundle, run } = bundled('BundledConfig', 'test/fixtures/bundled-config-entry.ts');
    const [config] = run('') as unknown[];

    // Assert: what the bundled handler returns is what the schema makes of the file (defaults filled in)
    const validated = parseConfig(defaultConfig);
    expect(config).toEqual(validated);
    expect(validated.attachments.maxBytes).toBe(10 * 1024 * 1024); // a default: the file has no attachments part
    // Assert: the schema's checks and messages stay out of the bundle
    expect(readFileSync(bundle, 'utf8')).not.toContain('must be HH:MM (24-hour)');
  });

  it('bundles the mail parser, which reads charsets and encoded words, and unfolds flowed text by quote depth', () => {
    // Arrange: a Latin-1 mail with its sender and subject in encoded words, and a format=flowed reply under a
    // quote whose last line ends in a space (the unfolding parse-mail.ts puts in place of postal-mime's)
    const latin1 = readFileSync(path.join(import.meta.dirname, '../fixtures/emails/iso-8859-1.eml'));
    const reply = rawMail(
      ['Subject: Re: printer', 'Content-Type: text/plain; charset=utf-8; format=flowed'],
      '> Sudah kami \n> periksa. \nMasih rusak.\n',
    );
    // …and a mail in HTML only, whose converter is a lazy module beside the handler's bundle
    const htmlOnly = rawMail(
      ['Subject: Printer', 'Content-Type: text/html; charset=utf-8'],
      '<p>Printer di <b>lantai 2</b> rusak &amp; macet.</p><blockquote>Pesan lama</blockquote>',
    );

    // Act
    const { bundle, run } = bundled('BundledMailParser', 'test/fixtures/parse-mail-entry.ts');
    const [first, second, third] = run(latin1.toString('base64'), reply.toString('base64'), htmlOnly.toString('base64')) as {
      from: unknown;
      subject: string;
      text: string;
    }[];

    // Assert: the words come out as the senders wrote them
    expect(first).toEqual({
      from: { address: 'francois@example.org', name: 'François' },
      subject: 'Problème de réseau',
      text: 'Le réseau Wi-Fi ne fonctionne pas à la bibliothèque. Merci.\n',
    });
    expect(second!.text.trim()).toBe('> Sudah kami periksa. \nMasih rusak.');
    expect(third!.text).toBe('Printer di lantai 2 rusak & macet.\n\n> Pesan lama');
    // Assert: the converter is read from its own file, not from the handler's bundle
    expect(existsSync(path.join(path.dirname(bundle), 'lazy', 'html-as-text.mjs'))).toBe(true);
    expect(readFileSync(bundle, 'utf8')).not.toContain('ignoreHref');
  });

  it('reads the phone parser from its own file, beside the handler, when a number comes', () => {
    // Act
    const { bundle, run } = bundled('BundledPhoneNumber', 'test/fixtures/phone-number-entry.ts');
    const ids = run('0812-3456-7890', '+44 20 7946 0958');

    // Assert: national and foreign writings read by the library's rules, from lazy/phone-number.mjs
    expect(ids).toEqual(['phone:+6281234567890', 'phone:+442079460958']);
    expect(JSON.parse(readFileSync(path.join(path.dirname(bundle), 'package.json'), 'utf8'))).toEqual({
      type: 'module',
      imports: { '#shared/domain/tickets/phone-number.ts': './lazy/phone-number.mjs' },
    });
    expect(readFileSync(bundle, 'utf8')).not.toContain('TOO_SHORT');
  });

  it('refuses a handler that imports a lazy module statically, which would read it at every start', () => {
    // Arrange: an entry importing the HTML converter without import()
    const entry = path.join(outdir, 'static-lazy.ts');
    writeFileSync(
      entry,
      "import { htmlToText } from '#shared/adapters/html-as-text.ts';\nexport const handler = () => htmlToText('<p>x</p>');\n",
    );

    // Act / Assert
    expect(() => buildFunction(entry, path.join(outdir, 'static-lazy'))).toThrow(
      'imports #shared/adapters/html-as-text.ts statically: a lazy module is imported with import() only',
    );
  });

  it("refuses a lazy module that holds one of the handler's own modules, which would then exist twice", () => {
    // Arrange: an entry holding the phone metadata itself, and reading the phone module (which holds it too) lazily
    const entry = path.join(outdir, 'overlap.ts');
    const metadata = path.join(PROJECT_ROOT, 'shared/config/phone-metadata.json');
    writeFileSync(
      entry,
      `import metadata from ${JSON.stringify(metadata)} with { type: 'json' };\n` +
        "export const handler = async () => [metadata.country, await import('#shared/domain/tickets/phone-number.ts')];\n",
    );

    // Act / Assert
    expect(() => buildFunction(entry, path.join(outdir, 'overlap'))).toThrow(
      /both hold shared\/config\/phone-metadata\.json: a lazy module shares no module of ours with its handler/,
    );
  });

  it('refuses a lazy module that imports another, which the package.json beside the handler would not map', () => {
    // Arrange: the phone module lazy, and the metadata it imports named lazy too
    const entry = path.join(outdir, 'nested.ts');
    writeFileSync(entry, "export const handler = async () => import('#shared/domain/tickets/phone-number.ts');\n");
    const lazyModules = ['#shared/domain/tickets/phone-number.ts', '#shared/config/phone-metadata.json'];

    // Act / Assert
    expect(() => buildFunction(entry, path.join(outdir, 'nested'), { lazyModules })).toThrow(
      'imports #shared/config/phone-metadata.json: a lazy module imports no other lazy module',
    );
  });

  it("imports every lazy module, in the functions' code, only with import() of its #shared specifier", () => {
    // Arrange: every import in what the functions bundle, with the file it names
    const lazyFiles = new Map(LAZY_MODULES.map((specifier) => [specifier.replace(/^#shared\//, 'shared/'), specifier]));
    const sources = globSync('{functions,shared}/**/*.ts', { cwd: PROJECT_ROOT });
    const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g;

    // Act: each import of a lazy module that is not `import('#shared/…')` with its own specifier
    const wrong = sources.flatMap((file) =>
      [...readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(IMPORT)].flatMap(([statement, specifier]) => {
        const target = specifier!.startsWith('.') ? path.join(path.dirname(file), specifier!) : specifier!.replace(/^#shared\//, 'shared/');
        const lazy = lazyFiles.get(target);
        return lazy && statement !== `import('${lazy}'` ? [`${file}: ${statement}`] : [];
      }),
    );

    // Assert: the rule holds (read at start otherwise, or bundled inline), and the lazy modules are in use
    expect(wrong).toEqual([]);
    const used = sources.filter((file) =>
      LAZY_MODULES.some((specifier) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8').includes(`import('${specifier}')`)),
    );
    expect(used.length).toBeGreaterThanOrEqual(LAZY_MODULES.length);
  });
});
