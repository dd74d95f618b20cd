// The one way onto the helpdesk bus: PutEvents in chunks of its maximum, entries the bus refuses put again
// on their own. One EventBridge client per process; the endpoint comes from AWS_ENDPOINT_URL_EVENTBRIDGE in
// the sandbox. Every publisher (publish-events, the trend job) goes through `putEvents`.
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_NAME, EVENT_BUS_NAME_ENV, EVENT_SOURCE } from '#shared/events/bus-definition.ts';

let client: EventBridgeClient | undefined;

export const eventBridgeClient = (): EventBridgeClient => (client ??= new EventBridgeClient({ maxAttempts: 5 }));

/** PutEvents takes at most this many entries a call. */
const PUT_EVENTS_MAX = 10;
/** An entry the bus refuses (throttled, an internal failure: both transient) is put this many times in all. */
const PUT_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 50;

export type BusEntry = PutEventsRequestEntry;

/** One helpdesk event as a PutEvents entry: source `helpdesk`, detail-type its type, on the helpdesk bus. */
export const busEntry = (event: { type: string; at: string }): BusEntry => ({
  Source: EVENT_SOURCE,
  DetailType: event.type,
  Detail: JSON.stringify(event),
  EventBusName: process.env[EVENT_BUS_NAME_ENV] ?? EVENT_BUS_NAME,
  Time: new Date(event.at),
});

/** What did not reach the bus: the entries' indexes, ascending, and the errors of calls that failed outright. */
export type PutEventsOutcome = { failed: number[]; errors: unknown[] };

/**
 * Puts every entry on the bus, ten a call. Entries the bus refused are put again, on their own, up to
 * PUT_ATTEMPTS times in all; a call that fails outright (after the SDK's own retries) fails its entries.
 */
export const putEvents = async (entries: BusEntry[]): Promise<PutEventsOutcome> => {
  const errors: unknown[] = [];
  const failedOutright: number[] = [];
  let pending = entries.map((_, index) => index);
  for (let attempt = 1; attempt <= PUT_ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * (attempt - 1)));
    const refused: number[] = [];
    for (let start = 0; start < pending.length; start += PUT_EVENTS_MAX) {
      const chunk = pending.slice(start, start + PUT_EVENTS_MAX);
      try {
        const result = await eventBridgeClient().send(new PutEventsCommand({ Entries: chunk.map((index) => entries[index]!) }));
        for (const [position, entry] of (result.Entries ?? []).entries()) if (entry.ErrorCode) refused.push(chunk[position]!);
      } catch (error) {
        errors.push(error);
        failedOutright.push(...chunk);
      }
    }
    pending = refused;
  }
  return { failed: [...failedOutright, ...pending].sort((a, b) => a - b), errors };
};
