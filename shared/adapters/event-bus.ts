// One EventBridge client per process; the endpoint comes from AWS_ENDPOINT_URL_EVENTBRIDGE in the sandbox.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let client: EventBridgeClient | undefined;

export const eventBridgeClient = (): EventBridgeClient => (client ??= new EventBridgeClient({ maxAttempts: 5 }));
