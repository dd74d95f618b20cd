// What the notify consumer logs, at the most talkative level, for a sent mail and a refused one: ids, kinds
// and outcomes, never the requester's address, the subject or the words of the mail.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/queue/notify.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { captureLogs } from '#test/fixtures/capture-logs.ts';
import { busRecord, comment, created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

// The most talkative level from the start: the logger reads it when the modules load.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const SECRET_SUBJECT = 'Rahasia-subjek-Qp27';
const SECRET_BODY = 'Isi-balasan-pribadi-Hx93';
const SECRET_EMAIL = 'alice.secret@siswa.example';
const ticket = aTicket({
  subject: SECRET_SUBJECT,
  description: SECRET_BODY,
  requester: { id: 'user-alice', name: 'Alice', email: SECRET_EMAIL },
  status: 'open',
});
const invoke = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, lambdaContext());

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-notify-log-'));
  writeFileSync(join(dir, 'key'), Buffer.alloc(32, 9).toString('base64'));
  process.env.SIGNING_KEY_FILE = join(dir, 'key');
  ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
  ddb.on(BatchGetCommand).resolves({ Responses: { 'helpdesk-test': [ticketItem(ticket)] } });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  // The staff directory: nobody on staff to tell in this test.
  ddb.on(QueryCommand, { KeyConditionExpression: 'pk = :staff AND begins_with(sk, :member)' }).resolves({ Items: [] });
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('notify consumer logs', () => {
  it('carry ids and outcomes, never the address, the subject or the words, even at DEBUG and on failures', async () => {
    // Arrange: capture everything written
    const logged = captureLogs();
    ses
      .on(SendEmailCommand)
      .resolvesOnce({ MessageId: 'ses-1' })
      .rejects(Object.assign(new Error(`Email address is not verified: ${SECRET_EMAIL} (${SECRET_SUBJECT})`), { name: 'MessageRejected' }));

    // Act: a sent mail, then a refused one
    await invoke(busRecord(created(ticket)));
    await invoke(busRecord(comment(SECRET_BODY, 'public', { id: 'ivan', role: 'agent' }, ticket)));

    // Assert
    const log = logged();
    expect(log).toContain('notification');
    expect(log).toContain('MessageRejected');
    for (const secret of [SECRET_EMAIL, SECRET_SUBJECT, SECRET_BODY, 'siswa.example']) expect(log).not.toContain(secret);
  });
});
