// The sandbox's EventBridge schedules: each job from shared/events/schedules.ts on a timer, and on demand
// (`POST /_local/run/<name>`). A run never overlaps itself here; on AWS overlapping runs are safe anyway.
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { systemClock } from '#shared/adapters/clock.ts';
import { SCHEDULES, type ScheduleSpec } from '#shared/events/schedules.ts';
import { invokeLocally } from './lambda-context.ts';

type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export type Scheduler = {
  names: string[];
  run(name: string): Promise<unknown>;
  /** What the job's last finished run returned, and when it finished; undefined before its first. */
  lastResult(name: string): { at: string; result: unknown } | undefined;
  stop(): Promise<void>;
};

const scheduledEvent = (spec: ScheduleSpec): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: systemClock.now().toISOString(),
  region: process.env.AWS_REGION ?? 'local',
  resources: [`arn:aws:scheduler:local:000000000000:schedule/default/${spec.name}`],
  detail: {},
});

/** The jobs the sandbox runs: all but those that need AWS services it has no stand-in for (see their notInSandbox). */
const LOCAL_SCHEDULES = SCHEDULES.filter((spec) => !spec.notInSandbox);

export const startScheduler = (options: { timers: boolean; log?: (line: string) => void }): Scheduler => {
  const running = new Map<string, Promise<unknown>>();
  const results = new Map<string, { at: string; result: unknown }>();
  // Each run of a job is chained after the one before it, so two never overlap, however they are asked for.
  const run = (name: string): Promise<unknown> => {
    const spec = LOCAL_SCHEDULES.find((candidate) => candidate.name === name);
    if (!spec) return Promise.reject(new Error(`no schedule named ${name}`));
    const result = (running.get(name) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const module = (await import(`../functions/schedule/${spec.handler}.ts`)) as { handler: ScheduledHandler };
        const event = scheduledEvent(spec);
        const result = await invokeLocally(spec.handler, event.id, 60_000, (context) => module.handler(event, context));
        results.set(name, { at: new Date().toISOString(), result });
        return result;
      });
    running.set(name, result);
    void result
      .finally(() => {
        if (running.get(name) === result) running.delete(name);
      })
      .catch(() => undefined);
    return result;
  };
  const timers = options.timers
    ? LOCAL_SCHEDULES.map((spec) =>
        setInterval(() => {
          if (running.has(spec.name)) return;
          run(spec.name).catch((error: Error) => options.log?.(`! schedule ${spec.name}: ${error.message}`));
        }, spec.everyMs),
      )
    : [];
  return {
    names: LOCAL_SCHEDULES.map((spec) => spec.name),
    run,
    lastResult: (name) => results.get(name),
    // Runs in progress finish before the emulators they use go away.
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled(running.values());
    },
  };
};
