// functions/email/inbound-mail against mocked S3 and DynamoDB (the real adapters and domain in between): what is
// rejected without a retry (over 10 MB, unparseable), that one bad record does not stop its batch, that a
// fault worth retrying fails the invocation only after every record was tried, and what it logs at DEBUG.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SESEvent, SESEventRecord, SNSEvent, SNSEventRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/email/inbound-mail.ts';
import { MAX_MAIL_BYTES } from '#shared/adapters/mail-bucket.ts';
import { metrics } from '#shared/metrics.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { captureLogs } from '#test/fixtures/capture-logs.ts';
import '#test/fixtures/aws-mock-matchers.ts';

// The most talkative level from the start: the logger reads it when the modules load.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

// mailparser reads almost anything (malformed.eml parses); this marker stands for input it cannot read at all.
const UNPARSEABLE = 'X-Test-Unparseable: yes';
vi.mock('#shared/adapters/parse-mail.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('#shared/adapters/parse-mail.ts')>();
  return {
    ...actual,
    parseMail: vi.fn(async (raw: Buffer, envelope?: Parameters<typeof actual.parseMail>[1]) => {
      if (raw.toString('latin1').includes(UNPARSEABLE)) throw new Error('Unexpected end of MIME structure');
      return actual.parseMail(raw, envelope);
    }),
  };
});

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const BUCKET = 'helpdesk-mail-test';
const EMAILS = join(import.meta.dirname, '../../../fixtures/emails');

const SECRET_SUBJECT = 'Rahasia-subjek-Mv38';
const SECRET_BODY = 'Isi-surat-pribadi-Kq51';
const SECRET_EMAIL = 'sari.rahasia@siswa.example';

const mailWith = (messageId: string, extraHeader = '') =>
  Buffer.from(
    [
      `From: Sari <${SECRET_EMAIL}>`,
      'To: helpdesk@sekolah.example',
      `Subject: ${SECRET_SUBJECT}`,
      `Message-ID: <${messageId}@siswa.example>`,
      ...(extraHeader ? [extraHeader] : []),
      'Content-Type: text/plain; charset=UTF-8',
      '',
      `${SECRET_BODY}`,
      '',
    ].join('\r\n'),
  );

/** SES's receipt notification for a mail stored under `inbound/<sesMessageId>`. */
const sesRecord = (sesMessageId: string, dmarc = 'PASS'): SESEventRecord =>
  ({
    eventSource: 'aws:ses',
    eventVersion: '1.0',
    ses: {
      mail: {
        timestamp: '2026-03-02T02:10:00.000Z',
        source: SECRET_EMAIL,
        messageId: sesMessageId,
        destination: ['helpdesk@sekolah.example'],
        headersTruncated: false,
        headers: [{ name: 'Subject', value: SECRET_SUBJECT }],
        commonHeaders: {
          returnPath: SECRET_EMAIL,
          from: [`Sari <${SECRET_EMAIL}>`],
          to: ['helpdesk@sekolah.example'],
          subject: SECRET_SUBJECT,
          messageId: '<x@y>',
          date: '',
        },
      },
      receipt: {
        timestamp: '2026-03-02T02:10:00.000Z',
        processingTimeMillis: 120,
        recipients: ['helpdesk@sekolah.example'],
        spamVerdict: { status: 'PASS' },
        virusVerdict: { status: 'PASS' },
        spfVerdict: { status: 'PASS' },
        dkimVerdict: { status: 'PASS' },
        dmarcVerdict: { status: dmarc },
        action: { type: 'Lambda', functionArn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:inbound', invocationType: 'Event' },
      },
    },
  }) as unknown as SESEventRecord;

const invoke = (...ids: string[]) => handler({ Records: ids.map((id) => sesRecord(id)) } as SESEvent, lambdaContext());

/** Puts a raw mail in the mocked bucket under `inbound/<id>`. */
const store = (id: string, raw: Buffer, size = raw.length) => {
  s3.on(HeadObjectCommand, { Bucket: BUCKET, Key: `inbound/${id}` }).resolves({ ContentLength: size });
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: `inbound/${id}` }).resolves({
    Body: { transformToByteArray: async () => new Uint8Array(raw) } as never,
  });
};

type Counted = { name: string; dimensions: Record<string, string> };
let counted: Counted[] = [];
let logged: () => string = () => '';

const tickets = () => ddb.commandCalls(TransactWriteCommand).length;
const s3Reads = (id: string) => s3.commandCalls(GetObjectCommand, { Key: `inbound/${id}` }).length;

beforeAll(() => {
  process.env.MAIL_BUCKET = BUCKET;
  process.env.MAIL_PREFIX = 'inbound/';
  process.env.TABLE_NAME = 'helpdesk-test';
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-inbound-'));
  writeFileSync(join(dir, 'key'), Buffer.alloc(32, 5).toString('base64'));
  process.env.SIGNING_KEY_FILE = join(dir, 'key');
  return () => rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  s3.reset();
  ddb.reset();
  s3.on(PutObjectCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({ Attributes: { value: 41 } });
  ddb.on(DeleteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
  // Every test keeps the process quiet and can read what was written; the privacy test reads it all.
  logged = captureLogs();
  counted = [];
  vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const dimensions: Record<string, string> = {};
    const single = {
      addDimension: (name: string, value: string) => void (dimensions[name] = value),
      addMetric: (name: string) => void counted.push({ name, dimensions }),
    };
    return single as unknown as ReturnType<typeof metrics.singleMetric>;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('inbound mail handler', () => {
  it('makes a ticket of a new mail read from inbound/<SES message id>', async () => {
    // Arrange
    store('ses-new', readFileSync(join(EMAILS, 'new-request.eml')));

    // Act
    await invoke('ses-new');

    // Assert
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: 'inbound/ses-new' });
    expect(tickets()).toBe(1);
    expect(counted).toEqual([{ name: 'InboundMailCreated', dimensions: {} }]);
  });

  it('hands SES’s DMARC verdict to the domain: a staff member’s forged address is held, not acted on', async () => {
    // Arrange: Sari's address is a lead's in the directory, and DMARC failed for this mail
    ddb.on(QueryCommand).resolves({
      Items: [{ id: 'sari', name: 'Sari', email: SECRET_EMAIL, role: 'lead', teams: ['sarpras'], active: true, available: true }],
    });
    store('ses-forged', mailWith('forged'));
    store('ses-genuine', mailWith('genuine'));

    // Act
    await handler({ Records: [sesRecord('ses-forged', 'FAIL'), sesRecord('ses-genuine', 'PASS')] } as SESEvent, lambdaContext());

    // Assert: the forged one made nothing; the genuine one filed a ticket as the lead
    expect(counted).toEqual([
      { name: 'InboundMailDropped', dimensions: { reason: 'unauthenticated-staff' } },
      { name: 'InboundMailCreated', dimensions: {} },
    ]);
    expect(tickets()).toBe(1);
  });

  it('stores and counts a mail over 10 MB without reading, parsing or retrying it', async () => {
    // Arrange: SES stored it; only its size is looked at
    store('ses-big', mailWith('big'), MAX_MAIL_BYTES + 1);

    // Act: the invocation succeeds, so Lambda does not retry it
    await expect(invoke('ses-big')).resolves.toBeUndefined();

    // Assert
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Key: 'inbound/ses-big' });
    expect(s3Reads('ses-big')).toBe(0);
    expect(ddb.calls()).toHaveLength(0);
    expect(counted).toEqual([{ name: 'InboundMailRejected', dimensions: { reason: 'oversized' } }]);
    expect(logged()).toContain('inbound mail rejected');
  });

  it('counts a mail mailparser cannot read as malformed, and does not retry it', async () => {
    // Arrange
    store('ses-bad', mailWith('bad', UNPARSEABLE));

    // Act
    await expect(invoke('ses-bad')).resolves.toBeUndefined();

    // Assert: read, not acted on, nothing claimed (a claim would make a later fixed copy a duplicate)
    expect(s3Reads('ses-bad')).toBe(1);
    expect(ddb.calls()).toHaveLength(0);
    expect(counted).toEqual([{ name: 'InboundMailRejected', dimensions: { reason: 'malformed' } }]);
  });

  it('handles every other record of a batch when one is bad, and succeeds', async () => {
    // Arrange: a good mail, an unparseable one, an oversized one, another good one
    store('ses-1', mailWith('one'));
    store('ses-2', mailWith('two', UNPARSEABLE));
    store('ses-3', mailWith('three'), MAX_MAIL_BYTES + 10);
    store('ses-4', mailWith('four'));

    // Act
    await expect(invoke('ses-1', 'ses-2', 'ses-3', 'ses-4')).resolves.toBeUndefined();

    // Assert
    expect(tickets()).toBe(2);
    expect(counted.map((metric) => [metric.name, metric.dimensions.reason])).toEqual([
      ['InboundMailCreated', undefined],
      ['InboundMailRejected', 'malformed'],
      ['InboundMailRejected', 'oversized'],
      ['InboundMailCreated', undefined],
    ]);
  });

  it('skips a record that is not an SES receipt (no usable message id) and goes on', async () => {
    // Arrange
    store('ses-ok', mailWith('ok'));

    // Act
    await expect(invoke('../../etc/passwd', 'ses-ok')).resolves.toBeUndefined();

    // Assert
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(1);
    expect(tickets()).toBe(1);
  });

  it('fails the invocation on DynamoDB throttling only after every record was tried', async () => {
    // Arrange: the first write of the batch (the first mail's Message-ID claim) is throttled
    store('ses-a', mailWith('a'));
    store('ses-b', mailWith('b'));
    store('ses-c', mailWith('c'));
    ddb
      .on(PutCommand)
      .rejectsOnce(
        new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} }),
      )
      .resolves({});

    // Act: Lambda will retry the whole event (twice, then the DLQ); the claims make b and c do nothing then
    await expect(invoke('ses-a', 'ses-b', 'ses-c')).rejects.toThrow('1 of 3 inbound mails failed');

    // Assert: all three were read, the two others became tickets, the failure was logged by id
    expect(['ses-a', 'ses-b', 'ses-c'].map(s3Reads)).toEqual([1, 1, 1]);
    expect(tickets()).toBe(2);
    expect(counted.map((metric) => metric.name)).toEqual(['InboundMailCreated', 'InboundMailCreated']);
    expect(logged()).toMatch(/inbound mail failed; the invocation will be retried.*ses-a|ses-a.*inbound mail failed/s);
  });

  it('gives the Message-ID claim back when acting fails, so the retry acts', async () => {
    // Arrange: the ticket transaction is throttled after the claim was taken
    store('ses-retry', mailWith('retry'));
    ddb.on(TransactWriteCommand).rejects(new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }));

    // Act
    await expect(invoke('ses-retry')).rejects.toThrow('1 of 1 inbound mails failed');

    // Assert: the MAIL# claim was deleted (and the idempotency claim released)
    const deleted = ddb.commandCalls(DeleteCommand).map((call) => String(call.args[0].input.Key?.pk));
    expect(deleted.some((pk) => pk.startsWith('MAIL#'))).toBe(true);
  });
});

describe('inbound mail received in another region (SES → S3 there → SNS → this function)', () => {
  const REMOTE_BUCKET = 'helpdesk-dev-mail-123456789012-eu-west-1';
  const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:helpdesk-dev-inbound-mail';

  /** What SNS delivers for the receipt rule's S3 action: SES's notification as the message, in JSON. */
  const snsRecord = (sesMessageId: string, action: Record<string, unknown> = {}, verdicts = { spam: 'PASS' }): SNSEventRecord => {
    const { ses } = sesRecord(sesMessageId);
    const notification = {
      notificationType: 'Received',
      mail: ses.mail,
      receipt: {
        ...ses.receipt,
        spamVerdict: { status: verdicts.spam },
        action: {
          type: 'S3',
          topicArn: TOPIC,
          bucketName: REMOTE_BUCKET,
          objectKeyPrefix: 'inbound/',
          objectKey: `inbound/${sesMessageId}`,
          ...action,
        },
      },
    };
    return {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC}:0b5c`,
      Sns: { Type: 'Notification', MessageId: 'sns-1', TopicArn: TOPIC, Message: JSON.stringify(notification) },
    } as unknown as SNSEventRecord;
  };
  const invokeSns = (...records: SNSEventRecord[]) => handler({ Records: records } as SNSEvent, lambdaContext());
  const storeRemote = (id: string, raw: Buffer) => {
    s3.on(HeadObjectCommand, { Bucket: REMOTE_BUCKET, Key: `inbound/${id}` }).resolves({ ContentLength: raw.length });
    s3.on(GetObjectCommand, { Bucket: REMOTE_BUCKET, Key: `inbound/${id}` }).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(raw) } as never,
    });
  };

  beforeAll(() => {
    process.env.RAW_MAIL_BUCKET = REMOTE_BUCKET;
    process.env.RAW_MAIL_REGION = 'eu-west-1';
  });
  afterAll(() => {
    delete process.env.RAW_MAIL_BUCKET;
    delete process.env.RAW_MAIL_REGION;
  });

  it("makes a ticket of the mail, read from the receiving region's bucket with a client of that region", async () => {
    // Arrange
    storeRemote('ses-far', readFileSync(join(EMAILS, 'new-request.eml')));

    // Act
    await invokeSns(snsRecord('ses-far'));

    // Assert
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: REMOTE_BUCKET, Key: 'inbound/ses-far' });
    const read = s3.commandCalls(GetObjectCommand)[0]!;
    expect(await (read.thisValue as S3Client).config.region()).toBe('eu-west-1');
    expect(tickets()).toBe(1);
    expect(counted).toEqual([{ name: 'InboundMailCreated', dimensions: {} }]);
  });

  it("keeps SES's spam verdict: a mail SES marked as spam is dropped", async () => {
    // Arrange
    storeRemote('ses-spam', mailWith('spam'));

    // Act
    await invokeSns(snsRecord('ses-spam', {}, { spam: 'FAIL' }));

    // Assert
    expect(tickets()).toBe(0);
    expect(counted).toEqual([{ name: 'InboundMailDropped', dimensions: { reason: 'spam' } }]);
  });

  it('reads nothing for a notification naming another bucket or key, one that is not a receipt, or not JSON', async () => {
    // Arrange
    storeRemote('ses-fine', mailWith('fine'));
    const notJson = snsRecord('ses-x');
    notJson.Sns.Message = 'hello';
    const notReceipt = snsRecord('ses-y');
    notReceipt.Sns.Message = JSON.stringify({ notificationType: 'Bounce' });

    // Act
    await expect(
      invokeSns(
        snsRecord('ses-other', { bucketName: 'someone-elses-bucket' }),
        snsRecord('ses-key', { objectKey: 'attachments/secret' }),
        notJson,
        notReceipt,
        snsRecord('ses-fine'),
      ),
    ).resolves.toBeUndefined();

    // Assert: only the last one was read and became a ticket; the others were logged with a reason
    expect(s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input.Key)).toEqual(['inbound/ses-fine']);
    expect(tickets()).toBe(1);
    const log = logged();
    expect(log).toContain('"reason":"sns-other-bucket"');
    expect(log).toContain('"reason":"sns-not-json"');
    expect(log).toContain('"reason":"sns-not-receipt"');
  });
});

describe('inbound mail logs', () => {
  it('carry no address, subject or body at DEBUG: not for a ticket, a rejection or a failure', async () => {
    // Arrange: three mails with the secrets in the sender, the subject and the body, and in SES's event
    store('ses-p1', mailWith('p1'));
    store('ses-p2', mailWith('p2', UNPARSEABLE));
    store('ses-p3', mailWith('p3'));
    ddb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejects(new Error(`boom while writing ${SECRET_EMAIL} ${SECRET_SUBJECT} ${SECRET_BODY}`));

    // Act
    await expect(invoke('ses-p1', 'ses-p2', 'ses-p3')).rejects.toThrow('1 of 3');

    // Assert: the three outcomes were logged, by SES message id, and nothing private
    const log = logged();
    expect(log).toContain('"sesMessageId":"ses-p1"');
    expect(log).toContain('inbound mail rejected');
    expect(log).toContain('inbound mail failed');
    expect(log).not.toContain(SECRET_EMAIL);
    expect(log).not.toContain('sari.rahasia');
    expect(log).not.toContain(SECRET_SUBJECT);
    expect(log).not.toContain(SECRET_BODY);
  });
});
