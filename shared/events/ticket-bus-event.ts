// What a consumer receives from the bus: EventBridge's envelope around one ticket history event. Consumers
// validate it before acting, so an unknown type or a malformed detail is refused (and dead-lettered), never
// half-processed.

import { TICKET_EVENT_TYPES, type TicketEvent, ticketEventSchema } from '#shared/domain/tickets/ticket.ts';
import * as z from '#shared/domain/zod.ts';
import { EVENT_SOURCE } from './bus-definition.ts';

export const ticketBusEventSchema = /* @__PURE__ */ z.schema(() =>
  z
    .object({
      id: z.string(),
      source: z.literal(EVENT_SOURCE),
      'detail-type': z.enum(TICKET_EVENT_TYPES),
      time: z.string(),
      detail: ticketEventSchema,
    })
    .check(z.refine((event) => event.detail.type === event['detail-type'], { message: 'detail.type must equal detail-type' })),
);

export type TicketBusEvent = { id: string; source: string; 'detail-type': TicketEvent['type']; time: string; detail: TicketEvent };

/** A message that is not what its queue takes (a helpdesk ticket event); `problems` name the fields (never their values). */
export class InvalidMessageError extends Error {
  constructor(
    readonly problems: string[],
    what = 'a helpdesk ticket event',
  ) {
    super(`not ${what}: ${problems.join('; ')}`);
    this.name = 'InvalidMessageError';
  }
}

export const parseTicketBusEvent = (body: string): TicketBusEvent => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidMessageError(['(body): is not JSON']);
  }
  const result = ticketBusEventSchema.safeParse(json);
  if (!result.success)
    throw new InvalidMessageError(result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.code}`));
  return result.data as unknown as TicketBusEvent;
};
