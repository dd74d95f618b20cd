// One EventBridge client per process; the endpoint comes from AWS_ENDPOINT_URL_EVENTBRIDGE in the sandbox.
import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_NAME, EVENT_BUS_NAME_ENV, EVENT_SOURCE } from '#shared/events/bus-definition.ts';

let client: EventBridgeClient | undefined;

export const eventBridgeClient = (): EventBridgeClient => (client ??= new EventBridgeClient({ maxAttempts: 5 }));

/** PutEvents takes at most this many entries a call. */
export const PUT_EVENTS_MAX = 10;

/** One helpdesk event as a PutEvents entry: source `helpdesk`, detail-type its type, on the helpdesk bus. */
export const busEntry = (event: { type: string; at: string }): PutEventsRequestEntry => ({
  Source: EVENT_SOURCE,
  DetailType: event.type,
  Detail: JSON.stringify(event),
  EventBusName: process.env[EVENT_BUS_NAME_ENV] ?? EVENT_BUS_NAME,
  Time: new Date(event.at),
});
