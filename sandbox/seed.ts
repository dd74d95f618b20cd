// `npm run seed -- --days 90 --per-day 40 [--api http://localhost:3000] [--seed 1]`: fills a running
// sandbox with a believable history ending now, for demos, reports and benchmarks. Without --api it fills
// the sandbox `npm start` runs from SANDBOX_DIR (default .sandbox/), whatever its port.
//
// How: the seed runs the helpdesk's own domain services (create, assign, reply, pending, resolve, reopen,
// and the SLA check) against the sandbox's DynamoDB Local, each call with a clock set to the moment it
// happens in the history. So every ticket and history item is exactly what the API would have written at
// that time, and the table's stream carries every event to the bus and on to the consumers: the statistics
// are folded by the real stats consumer, from real events, not written by the seed. The API cannot do this:
// the sandbox clock only moves forward, so it cannot write the past 90 days. (docs/decisions.md)
//
// One ticket's whole life is written before the next ticket's, oldest first, and the SLA check runs at
// each instant one of its clocks falls due, so warnings, breaches and escalations carry their true times.
// Requesters have no email address, so no mail is sent for seeded tickets; about a third of the resolved
// tickets are rated as if from the resolved mail's links (a seed-only key signs them), a few twice.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { loadConfig } from '#shared/config/load-config.ts';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import type { Identity } from '#shared/domain/access/identity.ts';
import { csatToken, rateTicket } from '#shared/domain/csat/csat.ts';
import { localDate } from '#shared/domain/reports/stats.ts';
import { zonedInstant } from '#shared/domain/sla/business-calendar.ts';
import { checkTicketSla } from '#shared/domain/sla/check-sla.ts';
import { nextSlaCheck } from '#shared/domain/sla/sla.ts';
import { teamMembers } from '#shared/domain/staff/staff.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import type { Channel } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { ticketStores } from '#shared/wiring/ticket-deps.ts';
import { readRunningSandbox } from './running-sandbox.ts';

/** Tickets written at once: DynamoDB Local on two cores gains little beyond this. */
const SEED_CONCURRENCY = 6;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Options = { api?: string; days: number; perDay: number; seed: number };

export const parseSeedArgs = (argv: string[]): Options => {
  const options: Options = { days: 90, perDay: 40, seed: 1 };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (flag === '--api' && value) options.api = value.replace(/\/$/, '');
    else if (flag === '--days' && Number(value) >= 1 && Number(value) <= 366) options.days = Math.floor(Number(value));
    else if (flag === '--per-day' && Number(value) >= 1 && Number(value) <= 500) options.perDay = Math.floor(Number(value));
    else if (flag === '--seed' && Number.isFinite(Number(value))) options.seed = Number(value);
    else throw new Error(`unknown or invalid option ${flag} ${value ?? ''}: use --days 1..366 --per-day 1..500 --api <url> --seed <n>`);
  }
  return options;
};

/** mulberry32: the same history for the same --seed. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const weighted = <T>(rng: () => number, entries: [T, number][]): T => {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let r = rng() * total;
  for (const [value, weight] of entries) if ((r -= weight) < 0) return value;
  return entries[entries.length - 1]![0];
};

// Plausible for a school: network and accounts lead, finance peaks are the same all term.
export const CATEGORY_WEIGHTS: [string, number][] = [
  ['network', 22],
  ['accounts', 18],
  ['hardware', 16],
  ['applications', 10],
  ['administration', 12],
  ['finance', 8],
  ['facilities', 9],
  ['other', 5],
];
const CHANNEL_WEIGHTS: [Channel, number][] = [
  ['web', 45],
  ['email', 20],
  ['phone', 15],
  ['api', 8],
  ['chat', 12],
];
/** Relative volume by weekday (Sunday first): Monday's backlog of the weekend, a quiet Friday afternoon. */
export const WEEKDAY_FACTOR = [0.05, 1.25, 1.05, 1.0, 1.0, 0.8, 0.15];
const LEVELS = ['high', 'medium', 'low'] as const;
/** CSAT: how often a resolution is rated, and how (rating, weight). */
const CSAT_RESPONSE_RATE = 0.35;
const RATING_WEIGHTS: [number, number][] = [
  [5, 40],
  [4, 30],
  [3, 15],
  [2, 8],
  [1, 7],
];
const SEED_CSAT_KEY = Buffer.from('seed-only csat key, never a real one');

const progress = (done: number, total: number, started: number) => {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const elapsed = (Date.now() - started) / 1000;
  const eta = done > 0 ? Math.round((elapsed / done) * (total - done)) : 0;
  process.stderr.write(
    `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} tickets  ${Math.round(elapsed)} s, about ${eta} s left   `,
  );
};

/** The sandbox to fill: --api when given, else the one running from SANDBOX_DIR (npm start's own record). */
const sandboxApi = (options: Options): string => {
  if (options.api) return options.api;
  const dir = process.env.SANDBOX_DIR ?? '.sandbox';
  const running = readRunningSandbox(dir);
  if (!running)
    throw new Error(
      `no sandbox is running from ${dir}/: start one with npm start (same SANDBOX_DIR), or name it with --api http://localhost:<port>`,
    );
  return running.apiUrl;
};

export const runSeed = async (options: Options) => {
  const api = sandboxApi(options);
  const health = (await (await fetch(`${api}/_local/health`)).json()) as {
    now: string;
    emulators: { dynamodb: { endpoint: string; table: string } };
  };
  const { endpoint, table } = health.emulators.dynamodb;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: process.env.AWS_REGION ?? 'ap-southeast-3',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const config = loadConfig();
  const stores = ticketStores(client, table);
  // The people the running sandbox knows (its roster, and everyone who signed in): the seeded work is theirs.
  const members = (await stores.staff.list()).filter((member) => member.active);
  const depsAt = (at: number): TicketDeps => {
    const ulid = monotonicFactory();
    return { ...stores, config, clock: { now: () => new Date(at) }, ids: { next: () => ulid(at) }, sleep: async () => undefined };
  };
  const rng = generator(options.seed);
  const closed = new Set([...holidayFile.holidays.map((holiday) => holiday.date), ...config.closedDates.map((entry) => entry.date)]);
  const now = Date.parse(health.now);
  const zone = config.organisation.timeZone;
  const agentsOf = (team: string) => teamMembers(members, team);
  const staff = (id: string): Identity => ({ id, role: 'agent', teams: members.find((member) => member.id === id)?.teams ?? [] });
  const anyAgent = members.find((member) => member.role !== 'admin');
  if (!anyAgent) throw new Error('The sandbox knows no staff to work the tickets: start it with its roster (sandbox/staff-roster.json).');
  const admin: Identity = { id: 'seed-admin', role: 'admin', teams: [] };
  const requesters = Array.from(
    { length: 400 },
    (_, index): Identity => ({ id: `seed-siswa-${index + 1}`, role: 'requester', name: `Siswa ${index + 1}`, teams: [] }),
  );

  // The tickets' creation instants, day by day: weekday pattern, fewer on closed dates, mostly in school hours.
  const births: number[] = [];
  const firstDay = now - options.days * DAY;
  for (let day = 0; day < options.days; day++) {
    const dayStart = firstDay + day * DAY;
    const date = localDate(dayStart, zone);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const factor = WEEKDAY_FACTOR[weekday]! * (closed.has(date) ? 0.1 : 1);
    const count = Math.round(options.perDay * factor * (0.8 + 0.4 * rng()));
    const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
    const midnight = zonedInstant({ year, month, day: dayOfMonth }, 0, zone);
    for (let index = 0; index < count; index++) {
      const hour = rng() < 0.85 ? 7 + rng() * 9 : rng() * 24;
      const at = midnight + hour * HOUR;
      if (at < now - HOUR) births.push(Math.floor(at));
    }
  }
  births.sort((a, b) => a - b);

  const started = Date.now();
  let slaChecks = 0;
  let done = 0;
  // Each ticket lives its own life (its own random draws, its own SLA checks), so several are written at
  // once; the same --seed gives the same history whatever the interleaving.
  const seedTicket = async (index: number, createdAt: number) => {
    const rng = generator(options.seed * 1_000_003 + index + 1);
    const category = weighted(rng, CATEGORY_WEIGHTS);
    const channel = weighted(rng, CHANNEL_WEIGHTS);
    const requester = requesters[Math.floor(rng() * requesters.length)]!;
    const urgency =
      LEVELS[
        weighted(rng, [
          [0, 2],
          [1, 6],
          [2, 2],
        ])
      ]!;
    const impact =
      LEVELS[
        weighted(rng, [
          [0, 2],
          [1, 6],
          [2, 2],
        ])
      ]!;
    const receptionist = staff(agentsOf(config.triageTeam)[0]?.id ?? anyAgent.id);
    const byStaff = channel === 'phone' || channel === 'chat';
    const { ticket } = await createTicket(
      depsAt(createdAt),
      byStaff ? receptionist : requester,
      {
        subject: `Permintaan ${category} #${index + 1}`,
        description: '',
        category,
        channel,
        urgency,
        impact,
        ...(byStaff ? { requester: { name: requester.name!, phone: `+62 812 ${String(1_000_000 + index).slice(-7)}` } } : {}),
      },
      undefined,
      channel === 'email' ? { channel: 'email' } : undefined,
    );
    const id = ticket.id;
    const team = ticket.team;
    const actor = byStaff ? receptionist : requester;
    // The life of the ticket: steps at instants after its creation; the SLA check runs whenever a clock is due.
    const steps: [number, (deps: TicketDeps) => Promise<unknown>][] = [];
    const agents = agentsOf(team);
    const agent = agents[Math.floor(rng() * agents.length)] ?? anyAgent;
    const replyDelay = (rng() < 0.8 ? 5 + rng() * 180 : 180 + rng() * 2400) * MINUTE;
    let at = createdAt + (2 + rng() * 10) * MINUTE;
    steps.push([at, (deps) => updateTicket(deps, admin, id, { assignee: agent.id })]);
    if (rng() < 0.92) {
      at = createdAt + Math.max(replyDelay, 3 * MINUTE);
      steps.push([
        at,
        (deps) => addComment(deps, staff(agent.id), id, { body: 'Terima kasih, sedang kami tangani.', visibility: 'public' }),
      ]);
      if (rng() < 0.2) {
        steps.push([at + MINUTE, (deps) => updateTicket(deps, staff(agent.id), id, { status: 'pending' })]);
        at += MINUTE + (30 + rng() * 1800) * MINUTE;
        const answer = byStaff ? undefined : requester;
        steps.push([
          at,
          (deps) =>
            answer
              ? addComment(deps, answer, id, { body: 'Ini informasinya.', visibility: 'public' })
              : updateTicket(deps, staff(agent.id), id, { status: 'open' }),
        ]);
      }
      if (rng() < 0.9) {
        at += (20 + (rng() < 0.7 ? rng() * 600 : rng() * 6000)) * MINUTE;
        steps.push([at, (deps) => updateTicket(deps, staff(agent.id), id, { status: 'resolved' })]);
        if (rng() < 0.08 && !byStaff) {
          at += (60 + (rng() * 2 * DAY) / MINUTE) * MINUTE;
          steps.push([at, (deps) => updateTicket(deps, actor, id, { status: 'open' })]);
          at += (30 + rng() * 900) * MINUTE;
          steps.push([at, (deps) => updateTicket(deps, staff(agent.id), id, { status: 'resolved' })]);
        }
        if (!byStaff && rng() < CSAT_RESPONSE_RATE) {
          // A click on a rating link of the resolved mail within a few days; now and then a second, other click.
          const rate = (rating: number) => async (deps: TicketDeps) => {
            const resolvedAt = (await deps.tickets.getTicket(id))?.resolvedAt;
            if (resolvedAt) await rateTicket(deps, SEED_CSAT_KEY, csatToken(SEED_CSAT_KEY, id, resolvedAt), { rating });
          };
          at += (10 + (rng() * 3 * DAY) / MINUTE) * MINUTE;
          steps.push([at, rate(weighted(rng, RATING_WEIGHTS))]);
          if (rng() < 0.1) steps.push([at + (1 + rng() * 600) * MINUTE, rate(weighted(rng, RATING_WEIGHTS))]);
        }
      }
    }
    for (const [stepAt, run] of steps) {
      if (stepAt >= now) break;
      // Warnings and breaches due before this step happen first, at their own instants.
      for (;;) {
        const due = nextSlaCheck((await stores.tickets.getTicket(id))?.sla);
        if (!due || Date.parse(due) > stepAt) break;
        await checkTicketSla(depsAt(Date.parse(due)), id, new Date(Date.parse(due)));
        slaChecks += 1;
      }
      // A step the desk would refuse by now (an escalation moved the ticket to another team) is skipped.
      await run(depsAt(Math.floor(stepAt))).catch(() => undefined);
    }
    done += 1;
    if (done % 10 === 0 || done === births.length) progress(done, births.length, started);
  };
  let next = 0;
  const worker = async () => {
    while (next < births.length) {
      const index = next++;
      await seedTicket(index, births[index]!);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  process.stderr.write('\n');
  client.destroy();
  return { api, tickets: births.length, slaChecks, seconds: Math.round((Date.now() - started) / 1000) };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const options = parseSeedArgs(process.argv.slice(2));
    const result = await runSeed(options);
    console.log(
      `Seeded ${result.tickets} tickets over ${options.days} days in ${result.seconds} s (${result.slaChecks} SLA checks). ` +
        `The stats queue catches up within a minute or two: watch GET ${result.api}/_local/health.`,
    );
  } catch (error) {
    console.error(`seed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
