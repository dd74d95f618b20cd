// Builds the CDK app the way `cdk synth` does (cdk.json's context), minus bundling: tests assert on the
// templates, and `'aws:cdk:bundling-stacks': []` makes synthesis about ten times faster.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildAppProps, buildApp, type HelpdeskApp } from '#infra/build-app.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context?: Record<string, unknown>;
};

export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** Set by the infra project's global setup: the run's folder for synthesized apps, removed when the run ends. */
export const CDK_TEST_OUTDIR_ENV = 'HELPDESK_TEST_CDK_OUTDIR';

let processOutdir: string | undefined;

/**
 * Where this process's apps synthesize unless told otherwise. Without an outdir CDK makes a new cdk.out* folder
 * under the system's temporary folder for every app (about 24 MB each, the console deployment's layer) and never
 * removes it: test runs left thousands and filled the disk. A process's apps synthesize one after another, so
 * they share one folder (and its assets): a vitest worker's inside the run's folder, which global setup removes
 * (workers are stopped without an exit event); another process's (`npm run cost`) removed when it exits.
 */
export const sharedOutdir = (): string => {
  if (processOutdir === undefined) {
    const runDir = process.env[CDK_TEST_OUTDIR_ENV];
    if (runDir) {
      processOutdir = mkdtempSync(join(runDir, `worker-${process.pid}-`));
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'helpdesk-cdk-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      processOutdir = dir;
    }
  }
  return processOutdir;
};

export const buildTestApp = (props: BuildAppProps = {}): HelpdeskApp =>
  buildApp({ outdir: sharedOutdir(), ...props, context: { ...cdkJson.context, ...SKIP_BUNDLING, ...props.context } });

/** The stateless stack's template, and its nested HttpFunctions stack's (the HTTP routes' functions, roles, logs, alarms). */
export type Templates = HelpdeskApp & { statefulTemplate: Template; statelessTemplate: Template; httpFunctionsTemplate: Template };

const synthesize = (props: BuildAppProps): Templates => {
  const built = buildTestApp(props);
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
    httpFunctionsTemplate: Template.fromStack(built.stateless.httpFunctions),
  };
};

let defaults: Templates | undefined;

/**
 * The default app (no props) is synthesized once per worker and shared: the infra project shares one module
 * graph per worker, a default synthesis takes seconds, and the tests only read it (a test that adds to an app
 * builds its own with buildTestApp). Any props: a new app.
 */
export const synthTemplates = (props: BuildAppProps = {}): Templates =>
  Object.keys(props).length === 0 ? (defaults ??= synthesize(props)) : synthesize(props);
