// The one definition of the bus's rules: CDK creates an EventBridge rule for each; the sandbox's bus
// matches events against the same patterns and delivers to the same queues.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { STATS_EVENT_TYPES } from '#shared/domain/reports/stats.ts';
import { SEARCH_EVENT_TYPES } from '#shared/domain/search/index-ticket.ts';
import { INCIDENT_EVENT_TYPES } from '#shared/domain/tickets/major-incident.ts';
import { EVENT_SOURCE } from './bus-definition.ts';
import { deployedQueues } from './queues.ts';

/** An EventBridge event pattern (the subset the helpdesk uses: value lists, null, prefix, anything-but, $or). */
export type EventPattern = { [key: string]: EventPattern | readonly (string | number | boolean | null | Record<string, unknown>)[] };

export type RuleSpec = {
  name: string;
  description: string;
  pattern: EventPattern;
  /** Name of a queue in queues.ts. */
  queue: string;
};

export const RULES: readonly RuleSpec[] = [
  {
    name: 'route-ticket',
    description: 'Unassigned tickets that need an agent: new, moved to another team, or back in work',
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': ['TicketCreated', 'TeamChanged', 'StatusChanged'],
      detail: { ticket: { assignee: [null], status: ['new', 'open'] } },
    },
    queue: 'routing',
  },
  {
    name: 'notify',
    description:
      'Events that may mail someone: the requester (new ticket, public staff reply, waiting on them, resolved) or staff (assigned, the requester replied, SLA warning or breach, escalation, no one available)',
    // As tight as the bus can make it, so internal notes reach the mail queue only when they are staff's mail;
    // functions/queue/notify decides the rest (an address to write to, a still-current status, opt-outs).
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': [
        'TicketCreated',
        'CommentAdded',
        'StatusChanged',
        'Assigned',
        'TeamChanged',
        'SlaWarning',
        'SlaBreached',
        'Escalated',
      ],
      detail: {
        $or: [
          { type: ['TicketCreated', 'Assigned', 'TeamChanged', 'SlaWarning', 'SlaBreached'] },
          // Staff replying: the requester hears of it. The requester replying: the assignee does.
          { type: ['CommentAdded'], data: { visibility: ['public'] } },
          // A requester who resolves their own ticket needs no mail about it.
          { type: ['StatusChanged'], data: { to: ['pending', 'resolved'] }, actor: { role: [{ 'anything-but': ['requester'] }] } },
          { type: ['Escalated'], data: { action: ['notify-lead'] } },
          // Staff only: an internal note that names colleagues, and what happens on a ticket staff follow. Other
          // internal notes still never reach the mail queue.
          { type: ['CommentAdded'], data: { visibility: ['internal'], mentions: [{ exists: true }] } },
          { type: ['CommentAdded', 'StatusChanged'], ticket: { followed: [true] } },
        ],
      },
    },
    queue: 'notify',
  },
  {
    name: 'notify-chat',
    description:
      "A ticket's news for the requester's Telegram and WhatsApp chats: the requester mail's events (received unless filed in a chat, a public staff reply, waiting on them, resolved)",
    // The requester's part of the notify rule; functions/queue/send-chat decides the rest (a linked chat, the window).
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': ['TicketCreated', 'CommentAdded', 'StatusChanged'],
      detail: {
        $or: [
          // The bot already said so in the chat that filed it.
          { type: ['TicketCreated'], ticket: { channel: [{ 'anything-but': ['chat'] }] } },
          { type: ['CommentAdded'], data: { visibility: ['public'] }, actor: { role: [{ 'anything-but': ['requester', 'system'] }] } },
          { type: ['StatusChanged'], data: { to: ['pending', 'resolved'] }, actor: { role: [{ 'anything-but': ['requester'] }] } },
        ],
      },
    },
    queue: 'chat',
  },
  {
    name: 'apply-retention',
    description: 'Closed tickets: their history gets the ticket deletion date (retention)',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['StatusChanged'], detail: { data: { to: ['closed'] } } },
    queue: 'retention',
  },
  {
    name: 'update-stats',
    description: 'Events the daily statistics count: filed, status, priority, category, team, assignment, replies, SLA',
    // Internal notes and audit reads count nothing; the consumer decides the rest (a public staff reply).
    pattern: { source: [EVENT_SOURCE], 'detail-type': [...STATS_EVENT_TYPES] },
    queue: 'stats',
  },
  {
    name: 'index-ticket',
    description: 'Events after which a ticket is found differently: its words, status, team, category, assignee, tags, requester',
    // Internal notes change nothing a search finds (they are never indexed).
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': [...SEARCH_EVENT_TYPES],
      detail: {
        $or: [
          { type: SEARCH_EVENT_TYPES.filter((type) => type !== 'CommentAdded') },
          { type: ['CommentAdded'], data: { visibility: ['public'] } },
        ],
      },
    },
    queue: 'search',
  },
  {
    name: 'propagate-incident',
    description: "A ticket's public staff replies and resolutions, for a major incident's children",
    // Whether the ticket has children only the consumer knows (the event's snapshot does not carry links).
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': [...INCIDENT_EVENT_TYPES],
      detail: {
        $or: [
          { type: ['CommentAdded'], data: { visibility: ['public'] }, actor: { role: ['agent', 'lead', 'admin'] } },
          { type: ['StatusChanged'], data: { to: ['resolved'] } },
        ],
      },
    },
    queue: 'incidents',
  },
];

/**
 * The webhooks' rule, from the configured subscriptions: every event type one of them asks for goes to the
 * webhooks queue, whose consumer applies each subscription's filter (one filter, in the domain). None when no
 * subscription is configured.
 */
export const webhookRule = (config: Pick<HelpdeskConfig, 'webhooks'>): RuleSpec | undefined => {
  const types = [...new Set(config.webhooks.flatMap((webhook) => webhook.events))].sort();
  if (types.length === 0) return undefined;
  return {
    name: 'deliver-webhooks',
    description: 'Events a configured webhook subscription asks for (shared/config: webhooks)',
    pattern: { source: [EVENT_SOURCE], 'detail-type': types },
    queue: 'webhooks',
  };
};

/** Every rule on the bus whose queue the configuration deploys (queues.ts): the desk's own (notify-chat only with a
 *  chat channel on), and the webhooks' when subscriptions are configured. */
export const busRules = (config: Pick<HelpdeskConfig, 'webhooks' | 'channels'>): readonly RuleSpec[] => {
  const webhooks = webhookRule(config);
  const deployed = new Set(deployedQueues(config).map((queue) => queue.name));
  return [...RULES, ...(webhooks ? [webhooks] : [])].filter((rule) => deployed.has(rule.queue));
};
