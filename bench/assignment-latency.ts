// Time from POST /tickets to an assigned agent, through the sandbox's real pipeline: table stream →
// publish-events → bus rule → SQS `routing` → route-ticket. Tickets are filed one at a time and polled with
// GET /tickets/{id} until `assignee` is set. Marks on the handlers' own SDK clients (shared by the sandbox's
// pollers in this process) split each ticket's time into the pipeline's stages.

import type { Sandbox } from '#sandbox/sandbox.ts';
import { eventBridgeClient } from '#shared/adapters/bus-publisher.ts';
import { dynamoDocumentClient } from '#shared/adapters/dynamodb.ts';
import { loadConfig } from '#shared/config/load-config.ts';

/** Subjects that the default configuration's keywords send to each team; the last ones match no keyword. */
const SUBJECTS = [
  'Wi-Fi di perpustakaan tidak bisa terhubung', // network → it-support
  'Proyektor di ruang 12 tidak menyala', // hardware → it-support
  'Lupa password e-Rapor', // accounts → it-support
  'Pembayaran SPP bulan ini belum tercatat', // finance → keuangan
  'Legalisir ijazah untuk pendaftaran kuliah', // administration → tata-usaha
  'AC di ruang kelas XI-2 bocor', // facilities → sarpras
  'Pertanyaan tentang jadwal ujian', // nothing matched → helpdesk
  'Question about next week', // nothing matched → helpdesk
];

export const STAGES = [
  { key: 'post', label: '`POST /tickets` sent → its transaction (ticket + TicketCreated) written' },
  { key: 'stream', label: 'stream → bus: publish-events puts TicketCreated' },
  { key: 'queue', label: 'bus → SQS `routing` → route-ticket receives it and reads the ticket' },
  { key: 'route', label: "route-ticket: agents' loads, turn, assignment written" },
  { key: 'seen', label: 'assignment seen by the polling `GET`' },
] as const;
export type StageKey = (typeof STAGES)[number]['key'];

export type AssignmentResult = {
  pollMs: number;
  /** Milliseconds from sending the POST to the GET that first showed an assignee. */
  totals: number[];
  /** Per stage, one value per ticket whose marks were all seen. */
  stages: Record<StageKey, number[]>;
  /** Team → tickets routed to it. */
  teams: Map<string, number>;
};

type Mark = { at: number; ticketId?: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const measureTimeToAssignment = async (
  sandbox: Sandbox,
  options: { tickets: number; pollMs: number; timeoutMs: number },
): Promise<AssignmentResult> => {
  const written: Mark[] = [];
  const published: Mark[] = [];
  const routingStarted: Mark[] = [];
  const assigned: Mark[] = [];
  // Only after the sandbox has started: the clients take the emulators' endpoints from the environment.
  const bus = eventBridgeClient();
  const dynamo = dynamoDocumentClient();
  bus.middlewareStack.add(
    (next) => async (args) => {
      const entries = (args.input as { Entries?: { DetailType?: string; Detail?: string }[] }).Entries ?? [];
      for (const entry of entries)
        if (entry.DetailType === 'TicketCreated')
          published.push({
            at: performance.now(),
            ticketId: String((JSON.parse(entry.Detail ?? '{}') as { ticketId?: unknown }).ticketId),
          });
      return next(args);
    },
    { step: 'initialize', name: 'benchMarkPublished' },
  );
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        IndexName?: string;
        TransactItems?: { Put?: { Item?: { entity?: unknown; id?: unknown; assignee?: unknown } } }[];
      };
      // Only route-ticket reads an agent's working tickets (gsi3): its first look at the ticket's team.
      if (context.commandName === 'QueryCommand' && input.IndexName === 'gsi3') routingStarted.push({ at: performance.now() });
      const result = await next(args);
      const ticket = input.TransactItems?.[0]?.Put?.Item;
      if (context.commandName === 'TransactWriteItemsCommand' && ticket?.entity === 'ticket')
        (ticket.assignee ? assigned : written).push({ at: performance.now(), ticketId: String(ticket.id) });
      return result;
    },
    { step: 'initialize', name: 'benchMarkRouting' },
  );

  const api = async (method: string, path: string, token: string | undefined, body: unknown, expect: number) => {
    const response = await fetch(`${sandbox.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expect) throw new Error(`${method} ${path} gave ${response.status}, not ${expect}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };

  const result: AssignmentResult = {
    pollMs: options.pollMs,
    totals: [],
    stages: { post: [], stream: [], queue: [], route: [], seen: [] },
    teams: new Map(),
  };
  try {
    // A requester may file only so many tickets an hour: the tickets take turns over as many requesters as needed.
    const perRequester = loadConfig().limits.ticketsPerRequesterPerHour;
    const tokens: string[] = [];
    for (let n = 0; n * perRequester < options.tickets; n++)
      tokens.push(String((await api('POST', '/_local/token', undefined, { sub: `bench-routing-${n}`, groups: ['requester'] }, 200)).token));
    for (let i = 0; i < options.tickets; i++) {
      const token = tokens[Math.floor(i / perRequester)]!;
      const sent = performance.now();
      const ticket = await api('POST', '/tickets', token, { subject: SUBJECTS[i % SUBJECTS.length] }, 201);
      const id = String(ticket.id);
      result.teams.set(String(ticket.team), (result.teams.get(String(ticket.team)) ?? 0) + 1);
      let seen: number | undefined;
      while (seen === undefined) {
        if (performance.now() - sent > options.timeoutMs)
          throw new Error(`ticket ${id} (${String(ticket.team)}) had no assignee ${options.timeoutMs} ms after it was filed`);
        await sleep(options.pollMs);
        if ((await api('GET', `/tickets/${id}`, token, undefined, 200)).assignee) seen = performance.now();
      }
      result.totals.push(seen - sent);

      const writtenAt = written.find((mark) => mark.ticketId === id)?.at;
      const publishedAt = published.find((mark) => mark.ticketId === id)?.at;
      const assignedAt = assigned.find((mark) => mark.ticketId === id)?.at;
      // Tickets go one at a time, so the first count query after this ticket was published is its routing.
      const startedAt = publishedAt === undefined ? undefined : routingStarted.find((mark) => mark.at >= publishedAt)?.at;
      if (writtenAt !== undefined && publishedAt !== undefined && startedAt !== undefined && assignedAt !== undefined) {
        result.stages.post.push(writtenAt - sent);
        result.stages.stream.push(publishedAt - writtenAt);
        result.stages.queue.push(startedAt - publishedAt);
        result.stages.route.push(assignedAt - startedAt);
        result.stages.seen.push(seen - assignedAt);
      }
      routingStarted.length = 0;
    }
  } finally {
    bus.middlewareStack.remove('benchMarkPublished');
    dynamo.middlewareStack.remove('benchMarkRouting');
  }
  return result;
};
