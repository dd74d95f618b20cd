// The Lambda context object a handler receives, for handlers invoked in the sandbox's process, and the one
// place every local invocation goes through (so `npm run cost` can count invocations and time them).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { type InvocationFields, keepInvocationsIn } from '#shared/observability.ts';

const nothing = () => undefined;

export const lambdaContext = (name: string, requestId: string, timeoutMs = 10_000): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `helpdesk-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:helpdesk-${name}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/helpdesk-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: nothing,
    fail: nothing,
    succeed: nothing,
  };
};

/** Runs one invocation of the function `name`; an observer may wrap it (count it, time it, tag what it sends). */
export type InvocationObserver = <R>(name: string, invoke: () => Promise<R>) => Promise<R>;

let observer: InvocationObserver = (_name, invoke) => invoke();

/** Every later local invocation goes through `next` (the cost scenario's meter); one observer at a time. */
export const observeInvocations = (next: InvocationObserver): void => {
  observer = next;
};

/**
 * The log fields of the invocation a piece of work belongs to. Lambda runs one invocation of a function at a time;
 * the sandbox runs many at once in one process, and a line must name its own request. Node runs the sandbox with
 * `--experimental-async-context-frame` (sandbox/node-args.ts), which keeps this without promise hooks.
 */
const invocations = new AsyncLocalStorage<{ fields?: InvocationFields }>();
let outside: InvocationFields | undefined;
keepInvocationsIn({
  get: () => invocations.getStore()?.fields ?? outside,
  set: (fields) => {
    const store = invocations.getStore();
    if (store) store.fields = fields;
    else outside = fields;
  },
});

/** Invokes a handler as Lambda would, with a fresh context, through the observer. */
export const invokeLocally = <R>(name: string, requestId: string, timeoutMs: number | undefined, run: (context: Context) => Promise<R>) =>
  invocations.run({}, () => observer(name, () => run(lambdaContext(name, requestId, timeoutMs))));
