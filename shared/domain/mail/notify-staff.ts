// Mail to staff about their tickets: assigned to you, the requester replied, an SLA warning or breach on
// your ticket, an escalation to you as lead, a ticket in your team that no one is available to take. Pure:
// who is told, and what the mail says. Staff mails carry no reply path into a ticket (no signed Reply-To,
// no thread headers, no `[#n]` subject token): a lead answering an escalation mail must never end up as a
// public comment mailed to the requester. They point at the ticket in the console instead.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language } from '#shared/config/config-values.ts';
import type { ClockName } from '#shared/domain/sla/sla.ts';
import { leadsOf, routableMembers, type StaffMember, type StaffNotificationKind, wantsNotification } from '#shared/domain/staff/staff.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import type { Status } from '#shared/domain/tickets/ticket-status.ts';
import { type Block, oneLine, renderDocument, STATUS_NAMES } from './mail-templates.ts';
import { formatAddress, type OutgoingMail } from './notify-requester.ts';
import { NO_REPLY_LOCAL } from './reply-address.ts';

export type StaffSkipReason = 'not-in-directory' | 'no-email' | 'opted-out' | 'own-change' | 'moved-on' | 'cannot-see';

/** One person to tell, or why they are not told. */
export type StaffDecision =
  | { send: true; kind: StaffNotificationKind; member: StaffMember & { email: string } }
  | { send: false; kind: StaffNotificationKind; id: string; reason: StaffSkipReason };

const judge = (kind: StaffNotificationKind, id: string, staff: readonly StaffMember[], event: TicketEvent): StaffDecision => {
  const member = staff.find((candidate) => candidate.id === id && candidate.active);
  if (!member) return { send: false, kind, id, reason: 'not-in-directory' };
  // Nobody is told about what they did themselves.
  if (event.actor.id === id) return { send: false, kind, id, reason: 'own-change' };
  if (!member.email) return { send: false, kind, id, reason: 'no-email' };
  if (!wantsNotification(member, kind)) return { send: false, kind, id, reason: 'opted-out' };
  return { send: true, kind, member: { ...member, email: member.email } };
};

/** Whether a staff member may open the ticket (an agent: their teams'), so that a mail about it helps them. */
const maySee = (member: StaffMember, ticket: Ticket) => member.role !== 'agent' || member.teams.includes(ticket.team);

/** Followers and mentioned people: told of what others did, on a ticket they may open. */
const judgeSeeing = (
  kind: StaffNotificationKind,
  member: StaffMember,
  ticket: Ticket,
  staff: readonly StaffMember[],
  event: TicketEvent,
) =>
  maySee(member, ticket) ? judge(kind, member.id, staff, event) : ({ send: false, kind, id: member.id, reason: 'cannot-see' } as const);

/** Who follows the ticket and hears of its comments and status changes (not what they did themselves). */
const toFollowers = (event: TicketEvent, ticket: Ticket, staff: readonly StaffMember[], already: Set<string>): StaffDecision[] => {
  if (event.type !== 'CommentAdded' && event.type !== 'StatusChanged') return [];
  return (ticket.followers ?? [])
    .filter((id) => !already.has(id) && id !== event.actor.id)
    .map((id) => {
      const member = staff.find((candidate) => candidate.id === id);
      return member ? judgeSeeing('followed-update', member, ticket, staff, event) : judge('followed-update', id, staff, event);
    });
};

/** Who on staff hears of this event: those the event concerns, then the ticket's followers (each once). */
export const decideStaffNotifications = (event: TicketEvent, ticket: Ticket, staff: readonly StaffMember[]): StaffDecision[] => {
  const decisions = decideConcerned(event, ticket, staff);
  return [
    ...decisions,
    ...toFollowers(event, ticket, staff, new Set(decisions.map((decision) => (decision.send ? decision.member.id : decision.id)))),
  ];
};

/** Who on staff this event concerns. `ticket` is the ticket as it is now; `staff` the directory. Pure. */
const decideConcerned = (event: TicketEvent, ticket: Ticket, staff: readonly StaffMember[]): StaffDecision[] => {
  // The assignee when it happened (the event's snapshot): a breach on Rina's watch is Rina's news, even if the
  // next step of the ladder has moved the ticket on by the time this mail is decided.
  const toAssignee = (kind: StaffNotificationKind) => (event.ticket.assignee ? [judge(kind, event.ticket.assignee, staff, event)] : []);
  switch (event.type) {
    case 'Assigned':
      // Delivered late, after the ticket went to someone else: the old assignment is no news.
      if (!event.data.to) return [];
      if (ticket.assignee !== event.data.to) return [{ send: false, kind: 'assigned', id: event.data.to, reason: 'moved-on' }];
      return [judge('assigned', event.data.to, staff, event)];
    case 'CommentAdded':
      if (event.data.visibility === 'internal')
        return (event.data.mentions ?? []).map((id) => {
          const member = staff.find((candidate) => candidate.id === id);
          return member ? judgeSeeing('mentioned', member, ticket, staff, event) : judge('mentioned', id, staff, event);
        });
      return event.actor.role === 'requester' ? toAssignee('requester-replied') : [];
    case 'SlaWarning':
      return toAssignee('sla-warning');
    case 'SlaBreached':
      return toAssignee('sla-breach');
    case 'Escalated':
      return event.data.action === 'notify-lead' ? (event.data.leads ?? []).map((id) => judge('escalation', id, staff, event)) : [];
    case 'TicketCreated':
    case 'TeamChanged': {
      const team = event.type === 'TeamChanged' ? event.data.to : event.ticket.team;
      // Only while the ticket still waits in that team for someone, and only if nobody there can take it.
      if (ticket.team !== team || ticket.assignee || ['resolved', 'closed'].includes(ticket.status)) return [];
      if (routableMembers(staff, team).length > 0) return [];
      return leadsOf(staff, team).map((lead) => judge('unassignable', lead.id, staff, event));
    }
    default:
      return [];
  }
};

/** Where staff links point: the console's ticket page. */
export const consoleTicketUrl = (consoleUrl: string, ticketId: string) => `${consoleUrl.replace(/\/+$/, '')}/tickets/${ticketId}`;

const CLOCKS: Record<Language, Record<ClockName, string>> = {
  id: { firstResponse: 'tanggapan pertama', nextUpdate: 'pembaruan berikutnya', resolution: 'penyelesaian' },
  en: { firstResponse: 'first response', nextUpdate: 'next update', resolution: 'resolution' },
};

const PRIORITIES: Record<Language, Record<string, string>> = {
  id: { critical: 'Kritis', high: 'Tinggi', medium: 'Sedang', low: 'Rendah' },
  en: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
};

/** A due time as the organisation reads it: its own zone, named. */
export const formatDue = (iso: string, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));

type StaffStrings = {
  prefix: Record<StaffNotificationKind, string>;
  greeting: (name: string) => string;
  lead: (kind: StaffNotificationKind, number: number, detail: { clock?: string; due?: string; team: string; author?: string }) => string;
  facts: { subject: string; priority: string; team: string; requester: string };
  status: string;
  quote: string;
  open: string;
  signature: (organisation: string) => string;
  footer: string;
};

const STRINGS: Record<Language, StaffStrings> = {
  id: {
    prefix: {
      assigned: 'Ditugaskan kepada Anda',
      'requester-replied': 'Pemohon membalas',
      'sla-warning': 'SLA hampir habis',
      'sla-breach': 'SLA terlampaui',
      escalation: 'Eskalasi',
      unassignable: 'Tidak ada petugas tersedia',
      mentioned: 'Anda disebut',
      'followed-update': 'Tiket yang Anda ikuti',
    },
    greeting: (name) => `Halo ${name},`,
    lead: (kind, number, { clock, due, team, author }) =>
      ({
        assigned: `Tiket #${number} sekarang ditugaskan kepada Anda.`,
        'requester-replied': `${author ?? 'Pemohon'} membalas tiket #${number} yang ditugaskan kepada Anda:`,
        'sla-warning': `Batas waktu ${clock} tiket #${number} hampir habis: jatuh tempo ${due}.`,
        'sla-breach': `Batas waktu ${clock} tiket #${number} terlampaui: jatuh tempo ${due}.`,
        escalation: `Tiket #${number} tim ${team} dieskalasikan kepada Anda sebagai ketua tim: batas waktu ${clock} terlampaui (jatuh tempo ${due}).`,
        unassignable: `Tiket #${number} masuk ke tim ${team}, dan tidak ada anggota tim yang tersedia untuk menanganinya. Tugaskan seseorang atau atur ketersediaan tim.`,
        mentioned: `${author ?? 'Seorang petugas'} menyebut Anda dalam catatan internal tiket #${number}:`,
        'followed-update': `Ada kabar baru pada tiket #${number} yang Anda ikuti:`,
      })[kind],
    facts: { subject: 'Subjek', priority: 'Prioritas', team: 'Tim', requester: 'Pemohon' },
    status: 'Status',
    quote: 'Balasan pemohon',
    open: 'Buka tiket di konsol',
    signature: (organisation) => `Helpdesk ${organisation}`,
    footer:
      'Email otomatis untuk petugas helpdesk; jangan dibalas: balasan ke email ini tidak masuk ke tiket. Atur email yang Anda terima di konsol (Profil).',
  },
  en: {
    prefix: {
      assigned: 'Assigned to you',
      'requester-replied': 'The requester replied',
      'sla-warning': 'SLA about to run out',
      'sla-breach': 'SLA breached',
      escalation: 'Escalation',
      unassignable: 'No one available',
      mentioned: 'You were mentioned',
      'followed-update': 'A ticket you follow',
    },
    greeting: (name) => `Hello ${name},`,
    lead: (kind, number, { clock, due, team, author }) =>
      ({
        assigned: `Ticket #${number} is now assigned to you.`,
        'requester-replied': `${author ?? 'The requester'} replied on ticket #${number}, which is assigned to you:`,
        'sla-warning': `The ${clock} time of ticket #${number} is about to run out: due ${due}.`,
        'sla-breach': `The ${clock} time of ticket #${number} ran out: it was due ${due}.`,
        escalation: `Ticket #${number} of team ${team} is escalated to you as its lead: the ${clock} time ran out (due ${due}).`,
        unassignable: `Ticket #${number} came to team ${team}, and no one in the team is available to take it. Assign someone, or set the team's availability.`,
        mentioned: `${author ?? 'A colleague'} mentioned you in an internal note on ticket #${number}:`,
        'followed-update': `There is news on ticket #${number}, which you follow:`,
      })[kind],
    facts: { subject: 'Subject', priority: 'Priority', team: 'Team', requester: 'Requester' },
    status: 'Status',
    quote: "The requester's reply",
    open: 'Open the ticket in the console',
    signature: (organisation) => `${organisation} Helpdesk`,
    footer:
      'An automatic mail for helpdesk staff; please do not reply: a reply to this mail does not reach the ticket. Choose which mails you get in the console (Profile).',
  },
};

/** The clock and due time a staff mail names: the event's own, or the ticket's earliest breached clock. */
const clockOf = (event: TicketEvent, ticket: Ticket): { clock: ClockName; dueAt: string } | undefined => {
  if (event.type === 'SlaWarning' || event.type === 'SlaBreached') return { clock: event.data.clock as ClockName, dueAt: event.data.dueAt };
  if (event.type === 'Escalated' && event.data.clock && event.data.dueAt) return { clock: event.data.clock, dueAt: event.data.dueAt };
  const breached = Object.entries(ticket.sla?.clocks ?? {})
    .filter(([, clock]) => clock?.breachedAt && clock.dueAt)
    .sort(([, a], [, b]) => a!.dueAt!.localeCompare(b!.dueAt!))[0];
  return breached ? { clock: breached[0] as ClockName, dueAt: breached[1]!.dueAt! } : undefined;
};

/** The address staff mails point replies at: mail to it is dropped by the inbound mail handler. */
export const noReplyAddress = (config: HelpdeskConfig) =>
  `${NO_REPLY_LOCAL}@${config.organisation.senderAddress.slice(config.organisation.senderAddress.lastIndexOf('@') + 1).toLowerCase()}`;

/** The mail for one staff decision. Pure. */
export const composeStaffMail = (input: {
  kind: StaffNotificationKind;
  member: StaffMember & { email: string };
  event: TicketEvent;
  ticket: Ticket;
  config: HelpdeskConfig;
  consoleUrl: string;
  /** The directory: the name of the colleague who wrote a note (mentions, followed tickets). */
  staff?: readonly StaffMember[];
}): OutgoingMail => {
  const { kind, member, event, ticket, config } = input;
  const colleague = input.staff?.find((candidate) => candidate.id === event.actor.id)?.name;
  const language = member.language ?? config.organisation.defaultLanguage;
  const t = STRINGS[language];
  const team = config.teams.find((candidate) => candidate.id === ticket.team)?.name[language] ?? ticket.team;
  const clock = clockOf(event, ticket);
  const detail = {
    team,
    ...(clock ? { clock: CLOCKS[language][clock.clock], due: formatDue(clock.dueAt, language, config.organisation.timeZone) } : {}),
    ...(kind === 'mentioned' ? (colleague ? { author: colleague } : {}) : ticket.requester.name ? { author: ticket.requester.name } : {}),
  };
  const quoted = kind === 'requester-replied' || kind === 'mentioned' || kind === 'followed-update';
  const blocks: Block[] = [
    { p: t.lead(kind, ticket.number, detail) },
    ...(quoted && event.type === 'CommentAdded' ? [{ words: event.data.body }] : []),
    ...(kind === 'followed-update' && event.type === 'StatusChanged'
      ? [
          {
            p: `${t.status}: ${STATUS_NAMES[language][event.data.from as Status] ?? event.data.from} → ${STATUS_NAMES[language][event.data.to as Status] ?? event.data.to}`,
          },
        ]
      : []),
    {
      facts: [
        [t.facts.subject, oneLine(ticket.subject)],
        [t.facts.priority, PRIORITIES[language][ticket.priority] ?? ticket.priority],
        [t.facts.team, team],
        [t.facts.requester, ticket.requester.name ?? `#${ticket.number}`],
      ],
    },
    { link: t.open, url: consoleTicketUrl(input.consoleUrl, ticket.id) },
  ];
  const subject = `${t.prefix[kind]}: #${ticket.number} ${oneLine(ticket.subject)}`;
  const content = renderDocument(language, {
    subject,
    greeting: t.greeting(member.name),
    blocks,
    signature: t.signature(config.organisation.name),
    footer: t.footer,
  });
  const noReply = noReplyAddress(config);
  return {
    kind,
    from: formatAddress(`Helpdesk ${config.organisation.name}`, config.organisation.senderAddress),
    to: member.email,
    replyTo: noReply,
    ...content,
    headers: [
      // RFC 3834: automatic mail; out-of-office replies stay silent.
      { name: 'Auto-Submitted', value: 'auto-generated' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
    ],
  };
};
