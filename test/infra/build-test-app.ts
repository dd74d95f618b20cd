// Builds the CDK app the way `cdk synth` does (cdk.json's context), minus bundling: tests assert on the
// templates, and `'aws:cdk:bundling-stacks': []` makes synthesis about ten times faster.
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildAppProps, buildApp, type HelpdeskApp } from '#infra/build-app.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context?: Record<string, unknown>;
};

export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export const buildTestApp = (props: BuildAppProps = {}): HelpdeskApp =>
  buildApp({ ...props, context: { ...cdkJson.context, ...SKIP_BUNDLING, ...props.context } });

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
