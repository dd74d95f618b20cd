// `npm run import -- --from osticket|zammad|csv|helpdesk FILE [--mapping FILE] [--number-offset N] [--dry-run]
//   (--stage STAGE [--region REGION] | --sandbox [DIR] | --endpoint URL --table NAME)`
// Brings tickets from another helpdesk, or from this desk's own export, into a deployed stage's table (found
// through the stateful stack's TableName output, with your AWS credentials), a running sandbox's, or any
// DynamoDB table. docs/integrations.md says what is kept and how; the domain is import-tickets.ts.
import { readFileSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Presets, SingleBar } from 'cli-progress';
import { readRunningSandbox } from '#sandbox/running-sandbox.ts';
import { createImportTarget } from '#shared/adapters/import-target.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { ImportSystem } from '#shared/domain/portability/import-sources.ts';
import { type ImportReport, importTickets, isImportSystem, mappingSchema } from '#shared/domain/portability/import-tickets.ts';
import { ImportFileError, readImportFile } from './import-files.ts';

export type ImportArgs = {
  from: ImportSystem;
  file: string;
  mapping?: string;
  numberOffset: number;
  dryRun: boolean;
  target: { stage: string; region?: string } | { sandbox: string } | { endpoint: string; table: string };
};

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE =
  'usage: npm run import -- --from osticket|zammad|csv|helpdesk FILE [--mapping FILE] [--number-offset N] [--dry-run] ' +
  '(--stage STAGE [--region REGION] | --sandbox [DIR] | --endpoint URL --table NAME)';

export const parseImportArgs = (argv: string[]): ImportArgs => {
  const values: Record<string, string | true> = {};
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    if (!flag.startsWith('--')) throw new UsageError(`unexpected "${flag}"\n${USAGE}`);
    const name = flag.slice(2);
    const next = argv[index + 1];
    if (name === 'dry-run') values[name] = true;
    else if (name === 'sandbox') values[name] = next && !next.startsWith('--') ? argv[++index]! : '.sandbox';
    else if (name === 'from') {
      if (!next || !argv[index + 2]) throw new UsageError(`--from needs a system and a file\n${USAGE}`);
      values.from = next;
      values.file = argv[index + 2]!;
      index += 2;
    } else if (['mapping', 'number-offset', 'stage', 'region', 'endpoint', 'table'].includes(name)) {
      if (!next || next.startsWith('--')) throw new UsageError(`--${name} needs a value\n${USAGE}`);
      values[name] = next;
      index++;
    } else throw new UsageError(`unknown option ${flag}\n${USAGE}`);
  }
  const from = values.from;
  if (typeof from !== 'string' || !isImportSystem(from)) throw new UsageError(`--from must be osticket, zammad, csv or helpdesk\n${USAGE}`);
  if (from !== 'helpdesk' && typeof values.mapping !== 'string')
    throw new UsageError(`--mapping FILE is required for ${from}: it maps its categories (and statuses, priorities, staff) to this desk's`);
  const offset = values['number-offset'] === undefined ? 0 : Number(values['number-offset']);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new UsageError('--number-offset must be a whole number, 0 or more');
  const targets = [values.stage, values.sandbox, values.endpoint].filter((value) => value !== undefined);
  if (targets.length !== 1) throw new UsageError(`name one target: --stage, --sandbox or --endpoint with --table\n${USAGE}`);
  let target: ImportArgs['target'];
  if (typeof values.stage === 'string')
    target = { stage: values.stage, ...(typeof values.region === 'string' ? { region: values.region } : {}) };
  else if (typeof values.sandbox === 'string') target = { sandbox: values.sandbox };
  else {
    if (typeof values.table !== 'string') throw new UsageError('--endpoint needs --table NAME');
    target = { endpoint: values.endpoint as string, table: values.table };
  }
  return {
    from,
    file: values.file as string,
    ...(typeof values.mapping === 'string' ? { mapping: values.mapping } : {}),
    numberOffset: offset,
    dryRun: values['dry-run'] === true,
    target,
  };
};

/** The table and a client for it: a stage's (its stack's TableName output), a running sandbox's, or the one named. */
const resolveTarget = async (target: ImportArgs['target']) => {
  if ('stage' in target) {
    const stack = `Helpdesk-${target.stage}-Stateful`;
    const cloudFormation = new CloudFormationClient(target.region ? { region: target.region } : {});
    const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
    cloudFormation.destroy();
    const table = Stacks[0]?.Outputs?.find((output) => output.OutputKey === 'TableName')?.OutputValue;
    if (!table) throw new UsageError(`stack ${stack} has no TableName output: deploy this version first`);
    return { client: new DynamoDBClient(target.region ? { region: target.region } : {}), table };
  }
  if ('sandbox' in target) {
    const running = readRunningSandbox(target.sandbox);
    if (!running) throw new UsageError(`no sandbox is running from ${target.sandbox}: start it with npm start`);
    const health = (await (await fetch(`${running.apiUrl}/_local/health`)).json()) as {
      emulators: { dynamodb: { endpoint: string; table: string } };
    };
    return { client: localClient(health.emulators.dynamodb.endpoint), table: health.emulators.dynamodb.table };
  }
  return { client: localClient(target.endpoint), table: target.table };
};

const localClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'ap-southeast-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

export type Io = { out: (line: string) => void; progress: boolean };

/** Runs one import; returns its report (the CLI prints it). */
export const runImport = async (args: ImportArgs, io: Io): Promise<ImportReport> => {
  const config = loadConfig();
  const mapping = args.mapping
    ? mappingSchema.safeParse(JSON.parse(readFileSync(args.mapping, 'utf8')))
    : ({ success: true, data: mappingSchema.parse({ categories: {} }) } as const);
  if (!mapping.success)
    throw new UsageError(
      `the mapping file is not valid: ${mapping.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  const records = readImportFile(args.from, readFileSync(args.file, 'utf8'), config.organisation.timeZone);
  const { client, table } = await resolveTarget(args.target);
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const bar = io.progress
    ? new SingleBar({ format: 'importing [{bar}] {value}/{total} records', hideCursor: true }, Presets.shades_classic)
    : undefined;
  bar?.start(records.length, 0);
  try {
    const report = await importTickets(
      config,
      createImportTarget(documents, table),
      records,
      {
        mapping: mapping.data,
        numberOffset: args.numberOffset,
        dryRun: args.dryRun,
        now: new Date(),
      },
      (done) => bar?.update(done),
    );
    bar?.stop();
    const verb = args.dryRun ? 'would import' : 'imported';
    io.out(
      `${args.dryRun ? 'dry run: nothing written. ' : ''}${verb} ${report.imported} tickets${args.from === 'helpdesk' ? ` and ${report.events} history items` : ''} into ${table}`,
    );
    if (report.already > 0) io.out(`${report.already} were imported before: left as they are`);
    if (report.pastRetention > 0)
      io.out(
        `${report.pastRetention} closed more than retention.closedTicketDays (${config.retention.closedTicketDays}) days ago: not imported`,
      );
    for (const problem of report.problems) io.out(`not imported, ${problem.at}: ${problem.problems.join('; ')}`);
    if (report.problems.length > 0)
      io.out(`${report.problems.length} records were not imported (above); fix them and run again: what was imported stays`);
    return report;
  } finally {
    bar?.stop();
    client.destroy();
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await runImport(parseImportArgs(process.argv.slice(2)), { out: (line) => console.log(line), progress: process.stderr.isTTY === true });
  } catch (error) {
    if (error instanceof UsageError || error instanceof ImportFileError) {
      console.error(`✗ ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
