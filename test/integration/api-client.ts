// A thin HTTP client for the integration tests: what a user's curl would do, nothing more. `clientFor(url)`
// speaks to any sandbox (a test's own, sandbox-process.ts); the functions below it to the suite's shared one.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { waitFor } from './wait-for.ts';

export type Who = {
  sub?: string;
  name?: string;
  email?: string;
  groups?: string[];
  teams?: string[];
  /** A machine client's access token (client credentials) with these scopes, `sub` its client id. */
  machine?: { scopes: string[] };
};

export type CallOptions = {
  method?: string;
  token?: string;
  body?: unknown;
  /** Sent as is, without JSON encoding. */
  rawBody?: string;
  headers?: Record<string, string>;
};

export type ApiResponse = { status: number; headers: Headers; body: any; text: string };

export const clientFor = (url: string) => {
  /** A sandbox token; a requester with a fresh id unless told otherwise. */
  const tokenFor = async (who: Who = {}): Promise<string> => {
    const response = await fetch(`${url}/_local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: who.sub ?? `user-${randomUUID()}`, groups: ['requester'], ...who }),
    });
    if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };

  const call = async (path: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method: options.method ?? 'GET', headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  /** Polls a ticket until `done` holds (routing runs behind the API, within a second or two). */
  const waitForTicket = async (id: string, token: string, done: (ticket: any) => boolean, timeoutMs = 10_000) =>
    waitFor(async () => (await call(`/tickets/${id}`, { token })).body, done, timeoutMs);

  return { tokenFor, call, waitForTicket };
};

// ---- the suite's shared sandbox (test/integration/global-setup.ts) ----

export const apiUrl = () => inject('apiUrl');
const shared = () => clientFor(apiUrl());

export const tokenFor = (who: Who = {}) => shared().tokenFor(who);
export const call = (path: string, options: CallOptions = {}) => shared().call(path, options);
export const waitForTicket = (id: string, token: string, done: (ticket: any) => boolean, timeoutMs = 10_000) =>
  shared().waitForTicket(id, token, done, timeoutMs);

/** A fresh requester and an agent of IT Support, with their tokens. */
export const cast = async () => {
  const requesterId = `req-${randomUUID()}`;
  const requester = await tokenFor({ sub: requesterId, name: 'Ani Requester', email: 'ani@example.org' });
  const agent = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['agent'], teams: ['it-support'] });
  return { requesterId, requester, agent };
};

/** Files a ticket and waits for the router to give it an agent, so a test starts from a settled ticket. */
export const createRouted = async (token: string, body: Record<string, unknown>) => {
  const created = await call('/tickets', { method: 'POST', token, body });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  return waitForTicket(created.body.id, token, (ticket) => ticket.assignee !== null);
};
