// AWS DynamoDB Local (the jar inside the npm package amplify-dynamodb-simulator), run with Java as a
// child process. Data lives under the sandbox directory, so a restart keeps every ticket. It listens on
// 127.0.0.1 only: its command line has no host option, so a small launcher (DynamoDbLocalOnLoopback.java)
// sets the host on its Jetty connector. The launcher is compiled once with javac into node_modules/.cache
// (compiling it at every start, in Java's source-file mode, made a start on a busy machine miss its wait),
// or, without javac, run in source-file mode; both need a JDK. With a bare JRE the jar runs as shipped, on
// every interface, and the sandbox says so.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, SandboxError, waitFor } from './support.ts';

export type DynamoDbLocal = {
  endpoint: string;
  /** False when only a JRE was found and DynamoDB Local listens on every interface. */
  loopbackOnly: boolean;
  running(): boolean;
  /** Stops the Java process (its data stays on disk) or starts it again on the same port. */
  setRunning(running: boolean): Promise<void>;
  stop(): Promise<void>;
};

const LAUNCHER = fileURLToPath(new URL('./DynamoDbLocalOnLoopback.java', import.meta.url));

/** Java's source-file mode compiles with the jdk.compiler module, which a JDK has and a bare JRE lacks. */
const canLaunchFromSource = () => /^jdk\.compiler@/m.test(spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '');

/** Where the compiled launcher is kept: the project's own cache, not a shared temporary directory. */
const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));

/** The launcher compiled once per version of its source; undefined when javac is not there or fails. */
const compiledLauncher = (classpath: string): string | undefined => {
  const version = createHash('sha256').update(readFileSync(LAUNCHER)).digest('hex').slice(0, 16);
  const dir = join(CACHE_DIR, `dynamodb-local-launcher-${version}`);
  const compiled = () => existsSync(join(dir, 'DynamoDbLocalOnLoopback.class'));
  if (compiled()) return dir;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Compiled beside it and renamed into place, so two sandboxes starting at once never see half a class.
  const scratch = mkdtempSync(`${dir}-`);
  const result = spawnSync('javac', ['-nowarn', '-d', scratch, '-cp', classpath, LAUNCHER], { encoding: 'utf8' });
  if (!result.error && result.status === 0 && !compiled()) renameSync(scratch, dir);
  rmSync(scratch, { recursive: true, force: true });
  return compiled() ? dir : undefined;
};

/**
 * DynamoDB Local's heap. Unbounded, the JVM takes a quarter of the machine's memory and keeps what it took
 * (1.9 GB after a few thousand tickets); 256 MB holds the sandbox's working set (docs/performance.md).
 */
const DYNAMODB_LOCAL_HEAP = '256m';

/**
 * DYNAMODB_LOCAL_QUICK_START=1 (the test suite's sandboxes): the JIT's first tier only. DynamoDB Local is ready in
 * about half the time (7 s → 4 s on a loaded 2-core machine) for a third of the CPU, and short runs' writes are no
 * slower; a long-running sandbox (`npm start`, the bench) keeps the full JIT.
 */
const quickStart = () => (process.env.DYNAMODB_LOCAL_QUICK_START === '1' ? ['-XX:TieredStopAtLevel=1'] : []);
const emulatorDir = () => join(dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')), 'emulator');

const requireJava = () => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new SandboxError(
      'Java 17 or newer is needed to run DynamoDB Local: install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and run npm start again.',
    );
  const version = /version "(\d+)/.exec(probe.stderr)?.[1];
  if (version && Number(version) < 17) throw new SandboxError(`Java ${version} found; DynamoDB Local needs Java 17 or newer.`);
};

/** Kills `child` once this process is gone; ends by itself when the child ends first. */
const watchParent = (child: ChildProcess) => {
  if (child.pid === undefined) return;
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null; exit 0';
  spawn('sh', ['-c', script, 'dynamodb-local-watchdog', String(process.pid), String(child.pid)], {
    detached: true,
    stdio: 'ignore',
  }).unref();
};

export const startDynamoDbLocal = async (options: { dataDir?: string; port?: number }): Promise<DynamoDbLocal> => {
  requireJava();
  const port = options.port ?? (await freePort());
  const dir = emulatorDir();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  const classpath = [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(delimiter);
  const classes = compiledLauncher(classpath);
  const loopbackOnly = classes !== undefined || canLaunchFromSource();
  const main = classes
    ? ['-Dhost=127.0.0.1', '-cp', [classes, classpath].join(delimiter), 'DynamoDbLocalOnLoopback']
    : loopbackOnly
      ? ['-Dhost=127.0.0.1', '-cp', classpath, LAUNCHER]
      : ['-jar', join(dir, 'DynamoDBLocal.jar')];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const java: ChildProcess = spawn(
      'java',
      [
        '-Xms64m',
        `-Xmx${DYNAMODB_LOCAL_HEAP}`,
        // One collector thread and no extra heap regions: a small heap on a laptop's cores. A young generation of
        // half the heap (-Xmn128m) cost about 15–30% less CPU a request but 40–45 MiB more resident memory, which
        // took the sandbox over its 800 MiB bound (docs/performance.md, "DynamoDB Local's JVM options").
        '-XX:+UseSerialGC',
        ...quickStart(),
        `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
        ...main,
        '-port',
        String(port),
        '-disableTelemetry',
        '-sharedDb',
        ...storage,
      ],
      // -sharedDb: one database whatever the caller's credentials and region, so the AWS CLI or a script with
      // any profile sees the sandbox's data. DynamoDB Local writes a metadata file into its working directory; keep it out of the repository.
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dataDir ?? tmpdir() },
    );
    child = java;
    // Java must not outlive this process, however it ends: process.exit (a second Ctrl-C) kills it at once,
    // and a watchdog in its own session kills it when this process is killed outright (a test's timeout).
    const killOnExit = () => java.kill('SIGKILL');
    process.once('exit', killOnExit);
    watchParent(java);
    let stderr = '';
    java.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    let gone = false;
    exited = new Promise<void>((resolve) =>
      java.once('exit', () => {
        gone = true;
        process.off('exit', killOnExit);
        if (child === java) child = undefined;
        resolve();
      }),
    );
    const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await waitFor(async () => {
        if (gone) throw new SandboxError(`DynamoDB Local exited at start: ${stderr.trim() || 'no output'}`);
        await client.send(new ListTablesCommand({}));
      }, 30_000);
    } catch (error) {
      java.kill('SIGKILL');
      throw error;
    } finally {
      client.destroy();
    }
  };

  const halt = async () => {
    const java = child;
    if (!java) return;
    const force = setTimeout(() => java.kill('SIGKILL'), 5_000);
    force.unref();
    java.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  };

  await launch();
  return {
    endpoint,
    loopbackOnly,
    running: () => child !== undefined,
    setRunning: async (running) => {
      if (running && !child) await launch();
      if (!running && child) await halt();
    },
    stop: halt,
  };
};
