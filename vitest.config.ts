import { defineConfig } from 'vitest/config';

// Three suites: unit (pure domain and handlers with aws-sdk-client-mock), integration (through a real
// sandbox on free ports, started once by globalSetup; the browser tests in Chromium use the same sandbox and
// its console), infra (CDK assertions and cdk-nag).
export default defineConfig({
  test: {
    // Two files at a time. vitest's default is one fewer than the cores, which on the 2-core machines this suite
    // runs on is one file at a time; the integration and browser files spend most of their time waiting on a
    // sandbox (its queues, DynamoDB Local, Chromium), so a second file overlaps that wait. Three timed out.
    maxWorkers: 2,
    // What ships (functions, shared code, infrastructure) must be tested; the sandbox and the bench are
    // exercised end to end by the integration tests, in a process of their own that v8 coverage does not see.
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts'],
      reporter: ['text-summary'],
      thresholds: { lines: 85, 'shared/domain/**': { lines: 95 } },
    },
    env: {
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_REGION: 'ap-southeast-3',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      // Where mail links point, as CDK sets them on the functions that mail.
      PUBLIC_URL: 'https://help.sekolah.example',
      CONSOLE_URL: 'https://konsol.sekolah.example',
    },
    projects: [
      {
        extends: true,
        // Worker threads start faster than forked processes: the unit files are many and short, so their start-up
        // is most of the project's time (measured: 55 s in forks, 45 s in threads). They need no process of their own.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // Generous for a whole suite on a shared 2-core machine (a sandbox's pipeline and a browser beside each
          // other); the waits inside end as soon as their thing has happened (test/integration/wait-for.ts).
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // aws-cdk-lib takes seconds to load; sharing one module graph per worker loads it once, not per file.
        // The infra tests build their own apps and keep no state between files.
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          globalSetup: ['test/infra/global-setup.ts'],
          testTimeout: 120_000,
          isolate: false,
        },
      },
    ],
  },
});
