// The custom EventBridge bus every ticket event is published on. Other systems (ERP, webhooks) subscribe
// with rules of their own; docs/events.md describes what they receive.
export const EVENT_BUS_NAME = 'helpdesk';
export const EVENT_BUS_NAME_ENV = 'EVENT_BUS_NAME';
/** `source` of every event the helpdesk publishes. */
export const EVENT_SOURCE = 'helpdesk';
