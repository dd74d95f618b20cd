// Who is signed in. The ID token (the one the API reads) lives in this tab's sessionStorage and in memory:
// gone when the tab closes, never in a cookie. In the sandbox a local page asks the sandbox for a token; on
// AWS the browser goes to Cognito's managed sign-in with the authorization-code flow and PKCE.
import type { Role } from '#shared/domain/access/identity.ts';
import { config } from './config.ts';
import { challengeOf, claimsOf, randomVerifier } from './pkce.ts';
import { signal } from './state.ts';

export type Me = { id: string; name: string; email?: string; role: Role; teams: string[] };
type Session = { token: string; refreshToken?: string; expiresAt: number; me: Me };

const SESSION_KEY = 'helpdesk.session';
const PKCE_KEY = 'helpdesk.pkce';
const ROLES: Role[] = ['requester', 'agent', 'lead', 'admin'];

const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];

const sessionFrom = (token: string, refreshToken?: string): Session => {
  const claims = claimsOf(token);
  const groups = list(claims['cognito:groups']);
  const role = [...ROLES].reverse().find((candidate) => groups.includes(candidate)) ?? 'requester';
  return {
    token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: Number(claims.exp) * 1000,
    me: {
      id: String(claims.sub),
      name: typeof claims.name === 'string' ? claims.name : typeof claims.email === 'string' ? claims.email : String(claims.sub),
      ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
      role,
      teams: list(claims['custom:teams']),
    },
  };
};

const restore = (): Session | undefined => {
  try {
    const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  } catch {
    return undefined;
  }
};

export const session = signal<Session | undefined>(restore());
/** Set when the API refused the token: the sign-in page says why, and where to come back to. */
export const expiredAt = signal<string | undefined>(undefined);

const store = (next: Session | undefined) => {
  if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(SESSION_KEY);
  session.set(next);
};

export const isStaff = (me: Me) => me.role !== 'requester';

/** The API said 401: keep the page to come back to (drafts stay in sessionStorage), and sign in again. */
export const expireSession = () => {
  expiredAt.set(location.pathname + location.search);
  store(undefined);
};

export const signInLocally = async (request: { sub: string; name: string; email?: string; role: Role; teams: string[] }) => {
  const response = await fetch(`${config().apiUrl}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: request.sub,
      name: request.name,
      ...(request.email ? { email: request.email } : {}),
      groups: [request.role],
      ...(request.teams.length > 0 ? { teams: request.teams } : {}),
    }),
  });
  if (!response.ok) throw new Error(`token ${response.status}`);
  store(sessionFrom(((await response.json()) as { token: string }).token));
};

export const startCognitoSignIn = async (returnTo: string) => {
  const signIn = config().signIn;
  if (signIn.mode !== 'cognito') return;
  const verifier = randomVerifier();
  const state = randomVerifier();
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    client_id: signIn.clientId,
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: signIn.redirectUri,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${signIn.domain}/oauth2/authorize?${query}`);
};

const tokenRequest = async (form: Record<string, string>) => {
  const signIn = config().signIn;
  if (signIn.mode !== 'cognito') throw new Error('not a Cognito sign-in');
  const response = await fetch(`${signIn.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: signIn.clientId, ...form }),
  });
  if (!response.ok) throw new Error(`the token endpoint answered ${response.status}.`);
  return (await response.json()) as { id_token: string; refresh_token?: string };
};

/** Back from Cognito with `?code=&state=`: exchange the code (with the verifier) for tokens. Returns where to go. */
export const completeCognitoSignIn = async (search: string): Promise<string> => {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  if (params.get('error')) throw new Error(`${params.get('error_description') ?? params.get('error')}.`);
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) throw new Error('the answer does not belong to this tab.');
  const signIn = config().signIn;
  if (signIn.mode !== 'cognito') throw new Error('not a Cognito sign-in');
  const tokens = await tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: signIn.redirectUri,
    code_verifier: pending.verifier,
  });
  store(sessionFrom(tokens.id_token, tokens.refresh_token));
  return pending.returnTo || '/';
};

/** A Cognito session renews its ID token with the refresh token shortly before it expires. */
export const freshToken = async (): Promise<string | undefined> => {
  const current = session.get();
  if (!current) return undefined;
  if (current.expiresAt - Date.now() > 60_000 || !current.refreshToken) return current.token;
  try {
    const tokens = await tokenRequest({ grant_type: 'refresh_token', refresh_token: current.refreshToken });
    store(sessionFrom(tokens.id_token, current.refreshToken));
    return tokens.id_token;
  } catch {
    return current.token;
  }
};

export const signOut = () => {
  const signIn = config().signIn;
  store(undefined);
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('helpdesk.')) sessionStorage.removeItem(key);
  if (signIn.mode === 'cognito')
    location.assign(`${signIn.domain}/logout?${new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.logoutUri })}`);
};
