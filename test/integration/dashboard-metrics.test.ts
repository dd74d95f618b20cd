// Every metric the operations dashboard plots and the alarms watch is one the code emits, with the
// dimensions the widget selects it by. What is watched is read from the synthesized Operations construct;
// what is emitted is read from the EMF lines the functions print in a sandbox of this file's own (metrics on),
// after a scenario through every path: tickets filed over the API on each channel and by mail, routed,
// answered, put on hold for the requester, resolved and rated; questions on Telegram and WhatsApp, one while
// Telegram is down; an SLA warned, breached and escalated by moving the sandbox clock; the weekly trend job; the
// sweeper; a report read. With its own clock, the same sandbox shows WhatsApp's 24-hour window.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Operations } from '#infra/constructs/operations.ts';
import { METRICS_NAMESPACE } from '#shared/business-metrics.ts';
import { SKIP_BUNDLING } from '#test/infra/build-test-app.ts';
import { type WatchedMetric, watchedMetrics } from '#test/infra/dashboard-queries.ts';
import { clientFor } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

/** One metric as an EMF line declares it: namespace, name, and the values of one of its dimension sets. */
type Emitted = { namespace: string; metric: string; dimensions: Record<string, string> };

type EmfLine = {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
};

/** Every metric of every EMF line the sandbox printed (one JSON object a line, from Powertools Metrics). */
const emittedIn = (output: string): Emitted[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .flatMap((line) => {
      const emf = JSON.parse(line) as EmfLine;
      return emf._aws.CloudWatchMetrics.flatMap((directive) =>
        directive.Metrics.flatMap((metric) =>
          directive.Dimensions.map((set) => ({
            namespace: directive.Namespace,
            metric: metric.Name,
            dimensions: Object.fromEntries(set.map((name) => [name, String(emf[name])])),
          })),
        ),
      );
    });

/** The watched metrics no emitted metric matches: same name, the same dimension names, the fixed values. */
const missing = (watched: WatchedMetric[], emitted: Emitted[]) =>
  watched.filter(
    (want) =>
      !emitted.some(
        (got) =>
          got.namespace === METRICS_NAMESPACE &&
          got.metric === want.metric &&
          Object.keys(got.dimensions).sort().join() === want.dimensions.join() &&
          Object.entries(want.values).every(([name, value]) => got.dimensions[name] === value),
      ),
  );

/** What the Operations construct's dashboard and alarms name, synthesized on a stack of their own. */
const synthesizedWatchlist = (outdir: string): WatchedMetric[] => {
  const stack = new Stack(new App({ context: SKIP_BUNDLING, outdir }), 'MetricsWatchlist');
  const api = new apigw.HttpApi(stack, 'Api');
  const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new Operations(stack, 'Operations', { api, table });
  return watchedMetrics(Template.fromStack(stack), METRICS_NAMESPACE);
};

let sandbox: SandboxProcess;
let dir: string;
let watched: WatchedMetric[];

beforeAll(async () => {
  dir = sandboxDir('helpdesk-metrics-');
  // Metrics on (the sandbox turns them off by default), printed as one JSON line each (not dev mode).
  const starting = startSandboxProcess(dir, {
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The chat queue's 120 s visibility timeout as 6 s: the reply held while Telegram is down comes back in the test.
    QUEUE_TIME_SCALE: '0.05',
  });
  watched = synthesizedWatchlist(join(dir, 'cdk.out'));
  sandbox = await starting;
}, 90_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the metrics the dashboard and the alarms name', () => {
  it('are read from the synthesized dashboard and alarms', () => {
    expect([...new Set(watched.map((want) => want.metric))].sort()).toEqual([
      'ChatDeliveryFailed',
      'ChatMessageSent',
      'CsatRating',
      'FirstResponseTime',
      'InboundMailCreated',
      'ResolutionTime',
      'SlaBreached',
      'SlaEscalated',
      'SlaWarning',
      'StuckWorkFound',
      'TicketCreated',
    ]);
  });

  it('are all emitted, with the dimensions each widget and alarm selects them by, by a scenario through every path', async () => {
    // Arrange
    const { tokenFor, call, waitForTicket } = clientFor(sandbox.url);
    const health = (await call('/_local/health')).body;
    const smtpPort = health.emulators.smtp.port as number;
    const sesEndpoint = health.emulators.ses.endpoint as string;
    const ani = await tokenFor({ sub: 'ani', name: 'Ani', email: 'ani@example.org' });
    const rina = await tokenFor({ sub: 'rina', name: 'Rina', groups: ['lead'] });
    const file = async (token: string, body: Record<string, unknown>) => {
      const created = await call('/tickets', { method: 'POST', token, body: { category: 'network', ...body } });
      expect(created.status).toBe(201);
      return created.body as { id: string; number: number; priority: string };
    };

    // Act: a ticket on each channel over the API, one priority each (urgency × impact), and one by mail
    const tickets = [
      await file(ani, { subject: 'Wi-Fi lab mati', channel: 'web', urgency: 'high', impact: 'high' }),
      await file(ani, { subject: 'Sinkronisasi gagal', channel: 'api', urgency: 'high', impact: 'medium' }),
      await file(rina, { subject: 'Tanya lewat chat', channel: 'chat', requester: { name: 'Tamu', email: 'tamu@example.org' } }),
      await file(rina, {
        subject: 'Telepon: internet putus',
        channel: 'phone',
        urgency: 'medium',
        impact: 'low',
        requester: { name: 'Pak Darto', phone: '+62 812 0000 0000' },
      }),
    ];
    expect(tickets.map((ticket) => ticket.priority)).toEqual(['critical', 'high', 'medium', 'low']);
    await createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({
      from: 'Wati <wati@example.org>',
      to: 'helpdesk@sekolah.example',
      subject: 'Printer lab bahasa macet',
      text: 'Printer di lab bahasa macet.',
    });
    // routed, answered (first response), one waiting on its requester, all resolved
    for (const ticket of tickets) {
      await waitForTicket(ticket.id, rina, (found) => found.assignee !== null);
      await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: rina, body: { body: 'Sedang kami tangani.' } });
    }
    await call(`/tickets/${tickets[1]!.id}`, { method: 'PATCH', token: rina, body: { status: 'pending' } });
    for (const ticket of tickets) await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: rina, body: { status: 'resolved' } });
    // rated through the "resolved" mail's link (its page's POST)
    const resolvedMail = await waitForMail(sesEndpoint, (mail) => mail.subject.startsWith(`[#${tickets[0]!.number}] Selesai`));
    const rating = /https?:\/\/\S+?(\/csat\/[A-Za-z0-9_.-]+)\?rating=5/.exec(resolvedMail.body.text ?? '')![1]!;
    expect((await call(rating, { method: 'POST', body: { rating: 5 } })).body).toMatchObject({ outcome: 'recorded', rating: 5 });
    // a question on Telegram and on WhatsApp answered, and one on Telegram while its API is down (a failed
    // attempt, retried and sent once it is back)
    const writeTo = (url: string, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const chats = health.emulators as { telegram: { endpoint: string }; whatsapp: { endpoint: string } };
    const botSaid = async (chatId: number) =>
      ((await (await fetch(`${chats.telegram.endpoint}/_sandbox/messages?chat_id=${chatId}`)).json()) as { messages: unknown[] }).messages;
    await writeTo(`${chats.telegram.endpoint}/_sandbox/updates`, { from: 5001, text: 'printer macet' });
    await writeTo(`${chats.whatsapp.endpoint}/_sandbox/messages`, { from: '6281200005001', text: 'printer macet' });
    await waitFor(
      () => botSaid(5001),
      (sent) => sent.length === 1,
    );
    await call('/_local/emulators/telegram', { method: 'POST', body: { running: false } });
    const update = {
      update_id: 5002,
      message: { message_id: 1, from: { id: 5002, first_name: 'Ani' }, chat: { id: 5002, type: 'private' }, date: 1, text: 'halo' },
    };
    const secret = readFileSync(join(dir, 'channel-secrets', 'telegram-webhook-secret'), 'utf8').trim();
    await call('/channels/telegram', { method: 'POST', body: update, headers: { 'x-telegram-bot-api-secret-token': secret } });
    await waitFor(
      async () => (await call('/_local/health')).body.emulators.sqs.queues.chat.retries as number,
      (retries) => retries >= 1,
    );
    await call('/_local/emulators/telegram', { method: 'POST', body: { running: true } });
    await waitFor(
      () => botSaid(5002),
      (sent) => sent.length === 1,
    );
    // an unanswered critical ticket warned, breached and escalated by the SLA check, half an hour later
    const late = await file(ani, { subject: 'Server e-Rapor mati', urgency: 'high', impact: 'high' });
    await waitForTicket(late.id, rina, (found) => found.assignee !== null);
    await call('/_local/clock', { method: 'POST', body: { advance: 'PT31M' } });
    const checked = await call('/_local/run/check-sla', { method: 'POST' });
    await call('/_local/run/detect-trends', { method: 'POST' });
    await call('/_local/run/sweep-stuck-work', { method: 'POST' });
    const report = await call('/reports/summary?from=2026-01-01&to=2026-12-31', {
      token: await tokenFor({ sub: 'root', groups: ['admin'] }),
    });

    // Assert: what each widget and alarm needs has been printed (the stats consumer's times come last)
    expect(checked.body.result.recorded).toMatchObject({ SlaWarning: 1, SlaBreached: 1, Escalated: 1 });
    expect(report.status).toBe(200);
    const emitted = await waitFor(
      async () => emittedIn(sandbox.output()),
      (lines) => missing(watched, lines).length === 0,
      30_000,
    ).catch(() => emittedIn(sandbox.output()));
    expect(missing(watched, emitted)).toEqual([]);
  }, 120_000);
});

// This file's sandbox has a clock of its own, so it also shows WhatsApp's customer-service window closing.
describe("WhatsApp's 24-hour window", () => {
  it("sends a ticket's news as the configured template past the window, and as text once the person writes again", async () => {
    // Arrange: a ticket filed on WhatsApp.
    const { tokenFor, call } = clientFor(sandbox.url);
    const whatsapp = ((await call('/_local/health')).body.emulators as { whatsapp: { endpoint: string } }).whatsapp.endpoint;
    const number = '6281277770001';
    const says = (text: string) =>
      fetch(`${whatsapp}/_sandbox/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: number, name: 'Bu Sri', text }),
      });
    const sent = async () =>
      (
        (await (await fetch(`${whatsapp}/_sandbox/sent?to=${number}`)).json()) as {
          messages: { type: string; text?: string; template?: unknown }[];
        }
      ).messages;
    await says('Siapa presiden Indonesia sekarang?');
    await waitFor(sent, (messages) => messages.length === 1);
    await says('ya');
    await waitFor(sent, (messages) => messages.length === 2);
    const requester = await tokenFor({ sub: `phone:+${number}` });
    const [ticket] = (await call('/tickets?requester=me', { token: requester })).body.items as { id: string; number: number }[];
    const admin = await tokenFor({ sub: 'admin', name: 'Admin Sekolah', groups: ['admin'] });

    // Act: a day later staff put it on hold for her; she writes again; staff reply.
    await call('/_local/clock', { method: 'POST', body: { advance: 'PT25H' } });
    await call(`/tickets/${ticket!.id}`, { method: 'PATCH', token: admin, body: { status: 'pending' } });
    const template = (await waitFor(sent, (messages) => messages.length === 3))[2];
    await says('Saya masih menunggu');
    await waitFor(sent, (messages) => messages.length === 4);
    await call(`/tickets/${ticket!.id}/comments`, { method: 'POST', token: admin, body: { body: 'Kami jawab lewat telepon.' } });
    const text = (await waitFor(sent, (messages) => messages.length === 5))[4];

    // Assert
    expect(template).toMatchObject({
      type: 'template',
      template: { name: 'helpdesk_ticket_update', language: 'id', parameters: [String(ticket!.number), 'menunggu tanggapan Anda'] },
    });
    expect(text).toMatchObject({ type: 'text', text: expect.stringContaining('Kami jawab lewat telepon.') });
  }, 60_000);
});
