// The helpdesk's business metrics (CloudWatch EMF through Powertools Metrics): their names, units and
// dimensions in one place, read by the functions that emit them and by CDK (the dashboard and the alarms in
// infra/constructs/operations.ts). Every metric also carries Powertools' default dimension `service`
// (POWERTOOLS_SERVICE_NAME, `helpdesk`). Dimensions are low-cardinality only (a channel, a category, a
// priority), never an id: each distinct combination is a separate, billed CloudWatch metric (USD 0.30 a month
// each past the 10 free), so each metric has at most one extra dimension, and a count is not sent when it is 0
// (docs/decisions.md, "What a busy month pays for").
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { StatsCounters } from '#shared/domain/reports/stats.ts';

/** The CloudWatch namespace (POWERTOOLS_METRICS_NAMESPACE of every function). */
export const METRICS_NAMESPACE = 'Helpdesk';
/** Powertools' default `service` dimension (POWERTOOLS_SERVICE_NAME of every function). */
export const METRICS_SERVICE = 'helpdesk';

export const BUSINESS_METRICS = {
  /** A new ticket, counted by the stats consumer (functions/queue/update-stats.ts) once per TicketCreated event,
   *  whichever way it was filed; dimension `channel`. Not for mail, which InboundMailCreated counts. */
  ticketCreated: 'TicketCreated',
  /** A ticket opened by an inbound mail (functions/email/inbound-mail.ts); no extra dimension (the channel is email). */
  mailTicketCreated: 'InboundMailCreated',
  /** Wall-clock time from filing to the first public reply by staff (or to resolution when nobody replied),
   *  in seconds; dimension `priority`. Emitted by the stats consumer, once per event. (Business time is in
   *  the reports, `GET /reports/summary`, not a metric: no widget or alarm reads it.) */
  firstResponseTime: 'FirstResponseTime',
  /** Wall-clock time from filing to resolution, in seconds; dimension `priority`. */
  resolutionTime: 'ResolutionTime',
  /** SLA warnings (75% of a target) recorded by one run of check-sla; only when there are any. */
  slaWarning: 'SlaWarning',
  /** SLA breaches recorded by one run of check-sla; only when there are any (the alarm reads missing as 0). */
  slaBreached: 'SlaBreached',
  /** Escalation steps taken by one run of check-sla; only when there are any. */
  slaEscalated: 'SlaEscalated',
  /** Escalation steps passed over because they could not apply (no lead, no address, already critical, no
   *  next tier); dimension `reason`; emitted only when it happens. */
  escalationSkipped: 'EscalationStepSkipped',
  /**
   * A requester's rating (1–5, unit None), one value per vote the rating routes record (a first vote or a
   * change; the same vote again records nothing); no extra dimension. Its SampleCount is the number of
   * votes and its Average the mean. Emitted by functions/http/rate-ticket.ts and comment-rating.ts.
   */
  csatRating: 'CsatRating',
  /** A message sent to a Telegram or WhatsApp chat (functions/queue/send-chat.ts); dimension `channel`. */
  chatMessageSent: 'ChatMessageSent',
  /**
   * A message to a chat the platform refused or could not take (down, a rate limit, a blocked bot), one per failed
   * attempt, and WhatsApp's asynchronous `failed` delivery reports (functions/http/whatsapp-webhook.ts); dimension
   * `channel`. A failure that may pass is retried by the chat queue; the chat DLQ's alarm says when one gave up.
   */
  chatDeliveryFailed: 'ChatDeliveryFailed',
  /** Webhook deliveries a receiver took (2xx), by functions/queue/deliver-webhooks.ts; no extra dimension. */
  webhookDelivered: 'WebhookDelivered',
  /** Webhook deliveries that failed (unreachable, too slow, not 2xx) and will be retried; no extra dimension. */
  webhookFailed: 'WebhookFailed',
  /** A webhook subscription switched off because its receiver answered 410 Gone (an alarm watches it). */
  webhookDisabled: 'WebhookDisabled',
  /**
   * Work the sweeper found stuck and handed to its consumer again (functions/schedule/sweep-stuck-work.ts),
   * one count per run for each `kind` (routing, acknowledgement, stats), 0 included; alarmed above 0.
   */
  stuckWorkFound: 'StuckWorkFound',
} as const;

const seconds = (ms: number) => Math.round(ms) / 1000;

/** The durations one counted event carries (stats counters `frWallSum` …), as metrics with the ticket's priority. */
const DURATION_METRICS = [
  ['frWall', BUSINESS_METRICS.firstResponseTime],
  ['resWall', BUSINESS_METRICS.resolutionTime],
] as const;

/**
 * What the stats consumer counted for one event: a new ticket (`TicketCreated` by channel, whichever way it was
 * filed: the API, the chatbot's handover, a staff member's phone ticket; mail has its own count with the inbound
 * function's outcomes, InboundMailCreated), and the first-response and resolution times (the stopped SLA clock is
 * the one exact record of both). The consumer sees each event once whatever the channel it came through; a replay
 * counts nothing, so it emits nothing.
 */
export const emitCounted = (
  metrics: Metrics,
  counters: StatsCounters,
  event: { type: string; ticket: { priority: string; channel: string } },
) => {
  const { ticket } = event;
  // Not `counters.created`: a tag or a report field added counts a ticket as new in its own figures.
  if (event.type === 'TicketCreated' && ticket.channel !== 'email') emitTicketCreated(metrics, ticket.channel);
  for (const [duration, name] of DURATION_METRICS) {
    if (counters[`${duration}Count`] !== 1) continue;
    // A single metric (published at once, with its own dimension): the batch's other events may carry
    // other priorities, and a single metric publishes on its first addMetric.
    const metric = metrics.singleMetric();
    metric.addDimension('priority', ticket.priority);
    metric.addMetric(name, MetricUnit.Seconds, seconds(counters[`${duration}Sum`] ?? 0));
  }
};

/**
 * What one check-sla run recorded, by event type, as counts; nothing for a type it did not record: a run a
 * minute sending zeros would keep three metrics billed all month on a desk where nothing is late.
 */
export const emitSlaEvents = (metrics: Metrics, recorded: Partial<Record<string, number>>) => {
  const counts = [
    [BUSINESS_METRICS.slaWarning, recorded.SlaWarning],
    [BUSINESS_METRICS.slaBreached, recorded.SlaBreached],
    [BUSINESS_METRICS.slaEscalated, recorded.Escalated],
  ] as const;
  for (const [name, count] of counts) if (count) metrics.addMetric(name, MetricUnit.Count, count);
};

/** A new ticket, by its channel (the category is in the reports, not a metric: it would multiply them). */
const emitTicketCreated = (metrics: Metrics, channel: string) => {
  const metric = metrics.singleMetric();
  metric.addDimension('channel', channel);
  metric.addMetric(BUSINESS_METRICS.ticketCreated, MetricUnit.Count, 1);
};

/** One count per skipped ladder step, by reason (a handful of fixed values, so few metrics). */
export const emitSkippedEscalations = (metrics: Metrics, skipped: readonly { reason: string }[]) => {
  const byReason = new Map<string, number>();
  for (const step of skipped) byReason.set(step.reason, (byReason.get(step.reason) ?? 0) + 1);
  for (const [reason, count] of byReason) {
    const metric = metrics.singleMetric();
    metric.addDimension('reason', reason);
    metric.addMetric(BUSINESS_METRICS.escalationSkipped, MetricUnit.Count, count);
  }
};

/** One recorded vote's rating (1–5), whichever way it came (the mail's link, the rating page, the console). */
export const emitCsatRating = (metrics: Metrics, rating: number) => {
  metrics.addMetric(BUSINESS_METRICS.csatRating, MetricUnit.NoUnit, rating);
};

/** Chat messages sent, or failed, on one channel. */
export const emitChatDelivery = (metrics: Metrics, outcome: 'sent' | 'failed', channel: string, count = 1) => {
  const metric = metrics.singleMetric();
  metric.addDimension('channel', channel);
  metric.addMetric(outcome === 'sent' ? BUSINESS_METRICS.chatMessageSent : BUSINESS_METRICS.chatDeliveryFailed, MetricUnit.Count, count);
};

/** What one sweep found stuck, by kind, each as its own count (0 included, so the alarm sees 0, not nothing). */
export const emitStuckWork = (metrics: Metrics, found: Record<string, number>) => {
  for (const [kind, count] of Object.entries(found)) {
    const metric = metrics.singleMetric();
    metric.addDimension('kind', kind);
    metric.addMetric(BUSINESS_METRICS.stuckWorkFound, MetricUnit.Count, count);
  }
};
