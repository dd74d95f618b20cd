// A worked example for other systems (an ERP, a school information system, Dapodik's operator tools): file a
// helpdesk ticket for a student, named by NISN in the desk's `nisn` custom field, with the desk's machine
// client, and read back what became of it. It uses nothing but Node's fetch, so it can be copied into another
// project as it is. docs/integrations.md, "Machine access", explains the pattern.
//
//   export HELPDESK_API=https://<ApiUrl>                      (the stateless stack's output)
//   export HELPDESK_TOKEN_URL=https://<TokenEndpoint>         (the stateful stack's output)
//   export HELPDESK_CLIENT_ID=<MachineClientId> HELPDESK_CLIENT_SECRET=<its secret, from your secret store>
//   node --import tsx examples/erp-file-for-student.ts file --request ERP-2026-00042 --nisn 0051234567 \
//     --name "Siti Aminah" --email wali.siti@example.org --subject "Surat keterangan aktif untuk beasiswa" \
//     [--description TEXT] [--category administration] [--phone "+62 812 3456 7890"] [--field nisn]
//   node --import tsx examples/erp-file-for-student.ts status <ticket id>
//
// Against the sandbox (npm start): HELPDESK_API=http://localhost:3000 and HELPDESK_SANDBOX=1 instead of the
// token URL and secret (the sandbox signs a machine token for HELPDESK_CLIENT_ID, default `erp`).

/** Where the desk is and how this system signs in. */
export type Connection = {
  api: string;
  clientId: string;
  /** Cognito's token endpoint and the client's secret; absent against the sandbox. */
  tokenUrl?: string;
  clientSecret?: string;
  /** The sandbox's API: tokens come from its /_local/token. */
  sandbox?: boolean;
  /** The first wait before a retry (then doubled); 1 s unless told. */
  retryDelayMs?: number;
};

export type Student = { nisn: string; name: string; email?: string; phone?: string };

export type StudentRequest = {
  /** This system's own id for the request: the ticket's Idempotency-Key, so a retry never files it twice. */
  requestId: string;
  subject: string;
  description?: string;
  category?: string;
  /** The custom field that holds the NISN (the desk's configuration, `customFields`). */
  nisnField?: string;
};

/** What the desk says about a ticket this system filed. */
export type TicketStatus = { id: string; number: number; status: string; team: string; category: string; updatedAt?: string };

/** The desk refused the request: its words, and the fields it named (problem+json). */
export class HelpdeskError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(fields.length ? `${message} (${fields.map((field) => `${field.path}: ${field.message}`).join('; ')})` : message);
    this.name = 'HelpdeskError';
  }
}

/** NISN: Nomor Induk Siswa Nasional, ten digits. Checked here so a typo never reaches the desk. */
export const NISN = /^[0-9]{10}$/;

const SCOPES = ['helpdesk/tickets.write', 'helpdesk/tickets.read'];

let cached: { token: string; until: number } | undefined;

/** A machine token, reused until a minute before it expires (Cognito bills each token request). */
export const machineToken = async (connection: Connection, now = Date.now()): Promise<string> => {
  if (cached && cached.until > now) return cached.token;
  let token: string;
  let seconds: number;
  if (connection.sandbox) {
    const response = await fetch(new URL('/_local/token', connection.api), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: connection.clientId, machine: { scopes: SCOPES } }),
    });
    if (!response.ok) throw new HelpdeskError(response.status, `the sandbox refused a token: ${await response.text()}`);
    ({ token } = (await response.json()) as { token: string });
    seconds = 3600;
  } else {
    if (!connection.tokenUrl || !connection.clientSecret) throw new Error('HELPDESK_TOKEN_URL and HELPDESK_CLIENT_SECRET are needed');
    const response = await fetch(connection.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${connection.clientId}:${connection.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPES.join(' ') }),
    });
    if (!response.ok)
      throw new HelpdeskError(response.status, `the token endpoint refused the client (${response.status}): check its id and secret`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    token = body.access_token;
    seconds = body.expires_in;
  }
  cached = { token, until: now + (seconds - 60) * 1000 };
  return token;
};

/** Forgets the token (after a 401: it was revoked, or the clock is off). */
export const forgetToken = () => {
  cached = undefined;
};

const refusal = async (response: Response): Promise<HelpdeskError> => {
  const text = await response.text();
  let problem: { detail?: string; title?: string; errors?: { path: string; message: string }[] } = {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    // Not problem+json (a gateway in between): the status says enough.
  }
  const wait = response.headers.get('retry-after');
  const words = problem.detail ?? problem.title ?? `HTTP ${response.status}`;
  return new HelpdeskError(response.status, wait ? `${words} Try again in ${wait} s.` : words, problem.errors ?? []);
};

/** Calls the API with the machine token: once more with a new token after a 401, and again after a network
 *  error or a 5xx (at most `tries` in all, waiting 1 s, 2 s, ...), the same request each time. */
const callApi = async (connection: Connection, path: string, init: RequestInit, tries = 3): Promise<Response> => {
  for (let attempt = 1; ; attempt++) {
    const token = await machineToken(connection);
    const response = await fetch(new URL(path, connection.api), {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    }).catch((error: unknown) => (attempt < tries ? undefined : Promise.reject(error)));
    if (response?.status === 401 && attempt === 1) {
      forgetToken();
      continue;
    }
    if (response && (response.status < 500 || attempt >= tries)) return response;
    await new Promise((resolve) => setTimeout(resolve, (connection.retryDelayMs ?? 1000) * 2 ** (attempt - 1)));
  }
};

/**
 * Files the request for the student: the student (or their guardian's address) is the requester, who gets the
 * desk's mail and may follow the ticket; the NISN goes into the desk's custom field. The same requestId files
 * once, however often it is sent (a retry after a timeout returns the ticket filed the first time).
 */
export const fileForStudent = async (connection: Connection, student: Student, request: StudentRequest): Promise<TicketStatus> => {
  if (!NISN.test(student.nisn)) throw new HelpdeskError(400, 'the request was not sent', [{ path: 'nisn', message: 'must be 10 digits' }]);
  if (!student.email && !student.phone)
    throw new HelpdeskError(400, 'the request was not sent', [
      { path: 'requester', message: 'needs an email or a phone number, so the desk can answer the student' },
    ]);
  const response = await callApi(connection, '/tickets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `erp-${request.requestId}` },
    body: JSON.stringify({
      subject: request.subject,
      ...(request.description ? { description: request.description } : {}),
      ...(request.category ? { category: request.category } : {}),
      channel: 'api',
      requester: {
        name: student.name,
        ...(student.email ? { email: student.email } : {}),
        ...(student.phone ? { phone: student.phone } : {}),
      },
      fields: { [request.nisnField ?? 'nisn']: student.nisn },
    }),
  });
  if (response.status !== 201 && response.status !== 200) throw await refusal(response);
  return statusOf((await response.json()) as Record<string, unknown>);
};

/** What became of a ticket this system filed (a machine client reads the tickets it filed, and no others). */
export const ticketStatus = async (connection: Connection, ticketId: string): Promise<TicketStatus> => {
  const response = await callApi(connection, `/tickets/${encodeURIComponent(ticketId)}`, { method: 'GET' });
  if (!response.ok) throw await refusal(response);
  return statusOf((await response.json()) as Record<string, unknown>);
};

const statusOf = (ticket: Record<string, unknown>): TicketStatus => ({
  id: String(ticket.id),
  number: Number(ticket.number),
  status: String(ticket.status),
  team: String(ticket.team),
  category: String(ticket.category),
  ...(typeof ticket.updatedAt === 'string' ? { updatedAt: ticket.updatedAt } : {}),
});

const connectionFromEnv = (env: NodeJS.ProcessEnv): Connection => {
  const api = env.HELPDESK_API;
  if (!api) throw new Error('set HELPDESK_API to the desk API URL');
  return {
    api,
    clientId: env.HELPDESK_CLIENT_ID ?? 'erp',
    ...(env.HELPDESK_TOKEN_URL ? { tokenUrl: env.HELPDESK_TOKEN_URL } : {}),
    ...(env.HELPDESK_CLIENT_SECRET ? { clientSecret: env.HELPDESK_CLIENT_SECRET } : {}),
    sandbox: env.HELPDESK_SANDBOX === '1',
  };
};

const option = (args: string[], name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

/** The command line: `file ...` or `status <id>`; prints the ticket as JSON. */
export const main = async (args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> => {
  const connection = connectionFromEnv(env);
  if (args[0] === 'status' && args[1]) {
    out(JSON.stringify(await ticketStatus(connection, args[1])));
    return;
  }
  const [requestId, nisn, name, subject] = ['request', 'nisn', 'name', 'subject'].map((key) => option(args, key));
  if (args[0] !== 'file' || !requestId || !nisn || !name || !subject)
    throw new Error(
      'usage: file --request ID --nisn NISN --name NAME (--email ADDRESS | --phone NUMBER) --subject TEXT, or status TICKET_ID',
    );
  const email = option(args, 'email');
  const phone = option(args, 'phone');
  const description = option(args, 'description');
  const category = option(args, 'category');
  const nisnField = option(args, 'field');
  const ticket = await fileForStudent(
    connection,
    { nisn, name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
    { requestId, subject, ...(description ? { description } : {}), ...(category ? { category } : {}), ...(nisnField ? { nisnField } : {}) },
  );
  out(JSON.stringify(ticket));
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv.slice(2), process.env, (line) => console.log(line)).catch((error: unknown) => {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  });
}
