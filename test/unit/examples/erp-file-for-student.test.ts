// The ERP/SIS example against a stand-in for the desk and Cognito's token endpoint on a local port: what it
// sends (client credentials, the requester, the NISN in the custom field, its own request id as the
// Idempotency-Key), how it retries, and how it reports a refusal.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Connection, fileForStudent, forgetToken, main, ticketStatus } from '#examples/erp-file-for-student.ts';

type Seen = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

/** The error a call ends in; a call that succeeds fails the test. */
const refusalOf = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: Error) => error,
  );

const TICKET = { id: '01JTICKET', number: 4312, status: 'new', team: 'tata-usaha', category: 'administration' };

describe('examples/erp-file-for-student.ts', () => {
  const seen: Seen[] = [];
  /** How the stand-in answers POST /tickets, call by call (then 201). */
  let ticketAnswers: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
  let server: Server;
  let connection: Connection;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const item = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        };
        seen.push(item);
        const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
          response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        if (item.path === '/oauth2/token') return json(200, { access_token: 'machine-token', expires_in: 3600, token_type: 'Bearer' });
        if (item.method === 'POST' && item.path === '/tickets') {
          const answer = ticketAnswers.shift() ?? { status: 201, body: TICKET };
          return json(answer.status, answer.body, answer.headers);
        }
        if (item.method === 'GET' && item.path === `/tickets/${TICKET.id}`) return json(200, { ...TICKET, status: 'open' });
        return json(404, { title: 'Not found', status: 404, detail: 'Ticket x was not found.' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    connection = { api: base, clientId: 'erp-client', clientSecret: 's3cret', tokenUrl: `${base}/oauth2/token`, retryDelayMs: 1 };
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
    ticketAnswers = [];
    forgetToken();
  });

  const student = { nisn: '0051234567', name: 'Siti Aminah', email: 'wali.siti@example.org' };
  const request = { requestId: 'ERP-2026-00042', subject: 'Surat keterangan aktif untuk beasiswa', category: 'administration' };

  it('signs in with client credentials and files for the student, the NISN in the custom field, its request id as the key', async () => {
    // Act
    const ticket = await fileForStudent(connection, student, request);
    const later = await ticketStatus(connection, ticket.id);

    // Assert
    expect(ticket).toEqual(TICKET);
    expect(later.status).toBe('open');
    const [token, post, get] = seen;
    expect(seen).toHaveLength(3);
    expect(token!.headers.authorization).toBe(`Basic ${Buffer.from('erp-client:s3cret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'helpdesk/tickets.write helpdesk/tickets.read',
    });
    expect(post!.headers.authorization).toBe('Bearer machine-token');
    expect(post!.headers['idempotency-key']).toBe('erp-ERP-2026-00042');
    expect(JSON.parse(post!.body)).toEqual({
      subject: 'Surat keterangan aktif untuk beasiswa',
      category: 'administration',
      channel: 'api',
      requester: { name: 'Siti Aminah', email: 'wali.siti@example.org' },
      fields: { nisn: '0051234567' },
    });
    expect(get!.headers.authorization).toBe('Bearer machine-token');
  });

  it('sends the same request again after a 503, so the desk files it once', async () => {
    // Arrange
    ticketAnswers = [{ status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'busy' } }];

    // Act
    const ticket = await fileForStudent(connection, student, request);

    // Assert
    const posts = seen.filter((item) => item.path === '/tickets');
    expect(ticket.id).toBe(TICKET.id);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.headers['idempotency-key']).toBe(posts[0]!.headers['idempotency-key']);
    expect(posts[1]!.body).toBe(posts[0]!.body);
  });

  it('reports the desk’s refusal with the fields it names, and a rate limit with its wait', async () => {
    // Arrange
    ticketAnswers = [
      {
        status: 400,
        body: {
          title: 'Unprocessable',
          status: 400,
          detail: 'The request is not valid.',
          errors: [{ path: 'fields.nisn', message: 'must match ^[0-9]{10}$' }],
        },
      },
      {
        status: 429,
        body: { title: 'Too many requests', status: 429, detail: 'Too many tickets this hour.' },
        headers: { 'retry-after': '120' },
      },
    ];

    // Act
    const refused = await refusalOf(fileForStudent(connection, student, request));
    const limited = await refusalOf(fileForStudent(connection, student, request));

    // Assert
    expect(refused.message).toBe('The request is not valid. (fields.nisn: must match ^[0-9]{10}$)');
    expect(limited.message).toBe('Too many tickets this hour. Try again in 120 s.');
  });

  it('checks the NISN and a way to reach the student before it calls anybody', async () => {
    // Act
    const shortNisn = await refusalOf(fileForStudent(connection, { ...student, nisn: '12345' }, request));
    const unreachable = await refusalOf(fileForStudent(connection, { nisn: student.nisn, name: student.name }, request));

    // Assert
    expect(shortNisn.message).toContain('nisn: must be 10 digits');
    expect(unreachable.message).toContain('requester: needs an email or a phone number');
    expect(seen).toEqual([]);
  });

  it('prints the ticket from the command line, and how to call it when the arguments are short', async () => {
    // Arrange
    const env = {
      HELPDESK_API: connection.api,
      HELPDESK_TOKEN_URL: connection.tokenUrl,
      HELPDESK_CLIENT_ID: 'erp-client',
      HELPDESK_CLIENT_SECRET: 's3cret',
    };
    const out: string[] = [];

    // Act
    await main(
      [
        'file',
        '--request',
        'R1',
        '--nisn',
        '0051234567',
        '--name',
        'Siti Aminah',
        '--phone',
        '+62 812 3456 7890',
        '--subject',
        'Kartu pelajar hilang',
        '--field',
        'student_nisn',
      ],
      env,
      (line) => out.push(line),
    );
    const usage = await refusalOf(main(['file', '--nisn', '0051234567'], env, () => undefined));

    // Assert
    expect(JSON.parse(out[0]!)).toEqual(TICKET);
    expect(JSON.parse(seen.find((item) => item.path === '/tickets')!.body)).toMatchObject({
      requester: { name: 'Siti Aminah', phone: '+62 812 3456 7890' },
      fields: { student_nisn: '0051234567' },
    });
    expect(usage.message).toMatch(/^usage: file --request ID --nisn NISN/);
  });
});
