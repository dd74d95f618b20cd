// The import CLI's reading of files and of its arguments, and how it finds a stage's table (the writing is the
// domain's, tested beside it, and the whole path through a sandbox's table in test/integration/portability.test.ts).
import { readFileSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseImportArgs, runImport, UsageError } from '#tools/import.ts';
import { ImportFileError, readImportFile } from '#tools/import-files.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), 'utf8');
const fixturePath = (name: string) => new URL(`../../fixtures/import/${name}`, import.meta.url).pathname;

describe('reading CSV', () => {
  it('reads every row by the header’s names, reporting a broken one by its line', () => {
    // Act
    const records = readImportFile('csv', fixture('tickets.csv'), 'Asia/Jakarta');

    // Assert
    expect(records.map((record) => record.at)).toEqual(['line 2', 'line 3', 'line 4', 'line 5']);
    expect(records[2]).toEqual({ at: 'line 4', problems: ['created_at: must be an ISO 8601 date and time'] });
    expect(records[0]).toMatchObject({
      ticket: {
        number: '9001',
        subject: 'Kursi lab kimia patah',
        requester: { name: 'Pak Joko', email: 'joko@guru.sekolah.example' },
        messages: [{ body: 'Dua kursi di lab kimia patah, "berbahaya" untuk siswa.', internal: false }],
      },
    });
  });

  it('refuses a header that lacks or misspells a column, and reports a row it cannot parse', () => {
    expect(() => readImportFile('csv', 'number,subjek\n1,x\n', 'Asia/Jakarta')).toThrow(ImportFileError);
    expect(() => readImportFile('csv', '', 'Asia/Jakarta')).toThrow('the file is empty');
    const header =
      'number,subject,description,requester_name,requester_email,requester_phone,category,priority,status,created_at,closed_at,assignee';
    const records = readImportFile('csv', `${header}\n1,"unterminated,x\n`, 'Asia/Jakarta');
    expect(records[0]).toMatchObject({ problems: [expect.stringContaining('cannot be read as CSV')] });
  });
});

describe('reading JSON exports', () => {
  it('reads osTicket’s and Zammad’s arrays, or {"tickets": […]}, and refuses what is not one', () => {
    expect(readImportFile('osticket', fixture('osticket-tickets.json'), 'Asia/Jakarta')).toHaveLength(4);
    expect(readImportFile('zammad', `{"tickets": ${fixture('zammad-tickets.json')}}`, 'Asia/Jakarta')).toHaveLength(3);
    expect(() => readImportFile('zammad', '{"ticket": []}', 'Asia/Jakarta')).toThrow('not a JSON array of tickets');
    expect(() => readImportFile('osticket', 'nope', 'Asia/Jakarta')).toThrow('the file is not JSON');
  });
});

describe('reading this desk’s export', () => {
  it('refuses a file that is not one, and reports a cut file and a broken line', () => {
    expect(() => readImportFile('helpdesk', '{"kind":"ticket"}\n', 'Asia/Jakarta')).toThrow('not a helpdesk export');
    const records = readImportFile(
      'helpdesk',
      '{"kind":"helpdesk-export","version":1,"exportId":"x","startedAt":"2026-11-30T01:00:00.000Z"}\n{oops\n{"kind":"ticket","ticket":{}}\n',
      'Asia/Jakarta',
    );
    expect(records.slice(1).map((record) => ('problems' in record ? record.problems[0] : ''))).toEqual([
      'is not JSON',
      expect.stringContaining('ticket.id'),
      expect.stringContaining('no end line'),
    ]);
  });
});

describe('the arguments', () => {
  it('takes a system, a file, a mapping and one target', () => {
    expect(
      parseImportArgs(['--from', 'csv', 't.csv', '--mapping', 'm.json', '--stage', 'prod', '--region', 'ap-southeast-3', '--dry-run']),
    ).toEqual({
      from: 'csv',
      file: 't.csv',
      mapping: 'm.json',
      numberOffset: 0,
      dryRun: true,
      target: { stage: 'prod', region: 'ap-southeast-3' },
    });
    expect(parseImportArgs(['--from', 'helpdesk', 'x.jsonl', '--sandbox']).target).toEqual({ sandbox: '.sandbox' });
    expect(
      parseImportArgs(['--from', 'helpdesk', 'x.jsonl', '--endpoint', 'http://127.0.0.1:8000', '--table', 't', '--number-offset', '5']),
    ).toMatchObject({
      target: { endpoint: 'http://127.0.0.1:8000', table: 't' },
      numberOffset: 5,
    });
  });

  it.each<[string[], string]>([
    [['--from', 'jira', 'x.json', '--sandbox'], '--from must be osticket, zammad, csv or helpdesk'],
    [['--from', 'csv', 'x.csv', '--sandbox'], '--mapping FILE is required for csv'],
    [['--from', 'helpdesk', 'x.jsonl'], 'name one target'],
    [['--from', 'helpdesk', 'x.jsonl', '--sandbox', '--stage', 'dev'], 'name one target'],
    [['--from', 'helpdesk', 'x.jsonl', '--endpoint', 'http://x'], '--endpoint needs --table'],
    [['--from', 'helpdesk', 'x.jsonl', '--sandbox', '--number-offset', '-3'], '--number-offset must be a whole number'],
    [['--from', 'helpdesk', 'x.jsonl', '--sandbox', '--colour'], 'unknown option --colour'],
    [['--from', 'helpdesk'], '--from needs a system and a file'],
    [['--from', 'helpdesk', 'x.jsonl', '--stage'], '--stage needs a value'],
    [['stray'], 'unexpected "stray"'],
  ])('refuses %j', (argv, words) => {
    expect(() => parseImportArgs(argv)).toThrow(UsageError);
    expect(() => parseImportArgs(argv)).toThrow(words);
  });
});

describe('importing into a deployed stage', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const ddb = mockClient(DynamoDBDocumentClient);
  afterEach(() => {
    cloudFormation.reset();
    ddb.reset();
  });
  const args = (stage: string) =>
    parseImportArgs([
      '--from',
      'csv',
      fixturePath('tickets.csv'),
      '--mapping',
      fixturePath('csv-mapping.json'),
      '--stage',
      stage,
      '--region',
      'ap-southeast-3',
      '--dry-run',
    ]);

  it('finds the table through the stateful stack’s output, and a dry run only reads', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Helpdesk-prod-Stateful' }).resolves({
      Stacks: [
        {
          StackName: 'Helpdesk-prod-Stateful',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [{ OutputKey: 'TableName', OutputValue: 'Helpdesk-prod-Table' }],
        },
      ],
    });
    ddb.on(GetCommand).resolves({});
    const out: string[] = [];

    // Act
    const report = await runImport(args('prod'), { out: (line) => out.push(line), progress: false });

    // Assert
    expect(report).toMatchObject({ imported: 3, already: 0 });
    expect(out[0]).toBe('dry run: nothing written. would import 3 tickets into Helpdesk-prod-Table');
    expect(ddb.commandCalls(GetCommand).every((call) => call.args[0].input.TableName === 'Helpdesk-prod-Table')).toBe(true);
    expect(ddb.calls().every((call) => call.args[0] instanceof GetCommand)).toBe(true);
  });

  it('says to deploy first when the stack has no table output', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Helpdesk-old-Stateful', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [] }],
    });

    // Act
    const refused = await runImport(args('old'), { out: () => undefined, progress: false }).then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assert
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toBe('stack Helpdesk-old-Stateful has no TableName output: deploy this version first');
    expect(ddb.calls()).toHaveLength(0);
  });
});
