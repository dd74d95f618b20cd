// The functions' structured log and the one middy chain every function starts with. Log lines carry ids, kinds
// and counts; never bodies, subjects or addresses.
//
// The logger writes Powertools Logger's JSON shape (level, message, timestamp, service, cold_start,
// function_*, xray_trace_id, then the line's own fields), so the Logs Insights queries in docs/operations.md
// read it as before, but is written here: Powertools Logger with its commons was ~25 KiB of every bundle for
// the five methods the functions call (docs/decisions.md, "Lean functions"). Business metrics (EMF) stay with
// Powertools Metrics, in shared/metrics.ts, which only the functions that record one import. No Powertools
// tracer: Lambda's active tracing records every invocation without it.

import middy from '@middy/core';
import type { Context } from 'aws-lambda';

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof LEVELS;

/** Lambda's own log level (advanced logging controls) wins, then POWERTOOLS_LOG_LEVEL, as with Powertools. */
const threshold = (): number => {
  const name = (process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return LEVELS[name as Level] ?? LEVELS.INFO;
};

export type InvocationFields = {
  cold_start: boolean;
  function_arn: string;
  function_memory_size: number;
  function_name: string;
  function_request_id: string;
};

/**
 * The invocation the lines belong to, as Powertools kept it: one at a time, as Lambda runs a function. An
 * AsyncLocalStorage here would turn on Node's promise hooks for the whole process on Lambda too (~3% of the busy
 * CPU in a profile of the sandbox answering GETs; docs/decisions.md, "A JSON logger of our own"). The sandbox runs
 * overlapping invocations in one process, and keeps each one's fields apart through `keepInvocationsIn`.
 */
let invocation: InvocationFields | undefined;

/** Where the lines find their invocation's fields. */
export type InvocationSlot = { get(): InvocationFields | undefined; set(fields: InvocationFields): void };

let slot: InvocationSlot = {
  get: () => invocation,
  set: (fields) => {
    invocation = fields;
  },
};

/** For a process that runs several invocations at once (the sandbox): the fields are kept where it says. */
export const keepInvocationsIn = (next: InvocationSlot): void => {
  slot = next;
};

const xRayTraceId = (): string | undefined => /(?:^|;)Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];

export type LogAttributes = Record<string, unknown>;

const write = (level: Exclude<Level, 'SILENT'>, message: string, attributes?: LogAttributes) => {
  if (LEVELS[level] < threshold()) return;
  const line = {
    level,
    message,
    timestamp: new Date().toISOString(),
    service: process.env.POWERTOOLS_SERVICE_NAME ?? 'helpdesk',
    ...slot.get(),
    xray_trace_id: xRayTraceId(),
    ...attributes,
  };
  // POWERTOOLS_DEV (the sandbox): indented, for people reading a terminal; one line each on Lambda.
  const indent = process.env.POWERTOOLS_DEV === 'true' ? 4 : undefined;
  let text: string;
  try {
    text = `${JSON.stringify(line, null, indent)}\n`;
  } catch {
    // A field JSON cannot write (a cycle, a BigInt) must not fail the invocation that logs it: that field is named
    // unserialisable, the others are written as they are.
    const writable = (value: unknown) => {
      try {
        JSON.stringify(value);
        return value;
      } catch {
        return '(not serialisable)';
      }
    };
    const fields = Object.fromEntries(Object.entries(attributes ?? {}).map(([key, value]) => [key, writable(value)]));
    text = `${JSON.stringify({ ...line, ...fields }, null, indent)}\n`;
  }
  // Written to the streams, not through console: Lambda's runtime prefixes console lines in its text format.
  if (LEVELS[level] >= LEVELS.WARN) process.stderr.write(text);
  else process.stdout.write(text);
};

export const logger = {
  trace: (message: string, attributes?: LogAttributes) => write('TRACE', message, attributes),
  debug: (message: string, attributes?: LogAttributes) => write('DEBUG', message, attributes),
  info: (message: string, attributes?: LogAttributes) => write('INFO', message, attributes),
  warn: (message: string, attributes?: LogAttributes) => write('WARN', message, attributes),
  error: (message: string, attributes?: LogAttributes) => write('ERROR', message, attributes),
};

type ChainMiddleware = middy.MiddlewareObj<unknown, unknown, Error, Context>;

/** Middlewares every chain made after them runs: shared/metrics.ts adds its flush when a bundle imports it. */
const everyChain: ChainMiddleware[] = [];

/** Adds a middleware to every function's chain. Called at module load, before the handlers build their chains. */
export const useInEveryChain = (middleware: ChainMiddleware) => {
  everyChain.push(middleware);
};

/** The chain every function starts with, whatever its trigger: each log line names its invocation. */
export const observed = <Event, Result>() => {
  let coldStart = true;
  const nameInvocation: middy.MiddlewareObj<Event, Result, Error, Context> = {
    before: ({ context }) => {
      slot.set({
        cold_start: coldStart,
        function_arn: context.invokedFunctionArn,
        function_memory_size: Number(context.memoryLimitInMB),
        function_name: context.functionName,
        function_request_id: context.awsRequestId,
      });
      coldStart = false;
    },
  };
  const chain = middy<Event, Result, Error, Context>().use(nameInvocation);
  for (const middleware of everyChain) chain.use(middleware as middy.MiddlewareObj<Event, Result, Error, Context>);
  return chain;
};

/**
 * An error as it may be logged: its name, the AWS status and request id when there are any, and where it
 * came from. Not its message: an SDK error can echo the values of a request (a subject, an address).
 */
export const errorForLog = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { name: typeof error };
  const aws = error as Error & { $fault?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  return {
    name: error.name,
    ...(aws.$fault ? { fault: aws.$fault } : {}),
    ...(aws.$metadata?.httpStatusCode ? { status: aws.$metadata.httpStatusCode } : {}),
    ...(aws.$metadata?.requestId ? { awsRequestId: aws.$metadata.requestId } : {}),
    frames: (error.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .slice(0, 6)
      .map((line) => line.trim()),
  };
};
