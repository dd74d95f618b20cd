// The one way the console talks to the API: the bearer token, JSON in and out, the ticket's version from
// the ETag, and every failure turned into an ApiError that `describeError` puts in plain words.
import { expireSession, freshToken } from './auth.ts';
import { config } from './config.ts';
import { type MessageKey, t } from './i18n.ts';

export type Problem = { title?: string; detail?: string; errors?: { path: string; message: string }[] };

export class ApiError extends Error {
  constructor(
    /** `network`: no answer at all (offline, DNS, CORS); `session`: 401; `problem`: any other failure. */
    readonly kind: 'network' | 'session' | 'problem',
    readonly status: number,
    readonly problem: Problem = {},
    readonly retryAfter?: number,
  ) {
    super(problem.detail ?? `${kind} ${status}`);
    this.name = 'ApiError';
  }
}

export type Reply<T> = { data: T; etag: string | undefined };

type Options = { method?: string; body?: unknown; ifMatch?: string | undefined; idempotencyKey?: string; auth?: boolean };

export const request = async <T>(path: string, options: Options = {}): Promise<Reply<T>> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.auth !== false) {
    const token = await freshToken();
    if (token) headers.authorization = `Bearer ${token}`;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${config().apiUrl}${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network', 0);
  }
  if (response.status === 401 && options.auth !== false) {
    expireSession();
    throw new ApiError('session', 401);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError('problem', response.status, (json ?? {}) as Problem, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  return { data: json as T, etag: response.headers.get('etag') ?? undefined };
};

export type Described = { message: string; fields: Record<string, string>; kind: ApiError['kind'] | 'other'; status: number };

/** What went wrong, for a person: one sentence saying what to do, and the fields to fix (by API path). */
export const describeError = (error: unknown): Described => {
  if (!(error instanceof ApiError)) return { message: t('error.unknown', { status: '—' }), fields: {}, kind: 'other', status: 0 };
  const { status, problem } = error;
  const fields = Object.fromEntries((problem.errors ?? []).map((field) => [field.path, field.message]));
  const say = (key: MessageKey, params: Record<string, string | number> = {}) => ({
    message: t(key, params),
    fields,
    kind: error.kind,
    status,
  });
  if (error.kind === 'network') return say('error.network');
  if (error.kind === 'session') return say('error.session');
  // A refused file is explained beside it (attachments.tsx); the message says where to look.
  if (Object.keys(fields).some((path) => path.startsWith('attachments'))) return say('error.filesRefused');
  if (status === 400 || status === 422) return say('error.validation');
  if (status === 403) return say('error.forbidden', { detail: problem.detail ?? '' });
  if (status === 404) return say('error.notFound');
  if (status === 409) return say('error.conflict', { detail: problem.detail ?? '' });
  if (status === 412) return say('error.stale');
  if (status === 413) return say('error.tooLarge');
  if (status === 429) return say('error.tooMany', { minutes: Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60)) });
  if (status >= 500) return say('error.server', { id: /request id (\S+?)\.?$/.exec(problem.detail ?? '')?.[1] ?? String(status) });
  return say('error.unknown', { status });
};
