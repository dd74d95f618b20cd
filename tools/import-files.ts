// Reads an import file into records (shared/domain/portability): osTicket's and Zammad's JSON, CSV with a
// header row, or this desk's own export (JSON Lines). A record that cannot be read is a record with its
// problems (where it is, and why), so the import reports it and goes on with the next.
import { parse } from 'csv-parse/sync';
import { exportLineSchema } from '#shared/domain/portability/export-format.ts';
import { csvHeaderProblems, fromCsvRow, fromOsTicket, fromZammad, type ImportSystem } from '#shared/domain/portability/import-sources.ts';
import type { ImportRecord } from '#shared/domain/portability/import-tickets.ts';

/** Thrown when the file as a whole cannot be read: nothing is imported. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

const jsonArray = (text: string, system: string): unknown[] => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`the file is not JSON (${(error as Error).message}); ${system} exports are a JSON array of tickets`);
  }
  const tickets = Array.isArray(json) ? json : (json as { tickets?: unknown })?.tickets;
  if (!Array.isArray(tickets)) throw new ImportFileError(`the file is not a JSON array of tickets (nor {"tickets": [...]})`);
  return tickets;
};

const csvRecords = (text: string): ImportRecord[] => {
  const records: ImportRecord[] = [];
  let header: string[] | undefined;
  const rows = parse(text, {
    bom: true,
    columns: (names: string[]) => (header = names.map((name) => name.trim().toLowerCase())),
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      records.push({ at: `line ${error?.lines ?? '?'}`, problems: [`cannot be read as CSV: ${error?.message ?? raw ?? ''}`] });
      return undefined;
    },
  }) as { record: Record<string, string>; info: { lines: number } }[];
  const headerProblems = header ? csvHeaderProblems(header) : ['the file is empty'];
  if (headerProblems.length > 0) throw new ImportFileError(headerProblems.join('; '));
  for (const { record, info } of rows) {
    const ticket = fromCsvRow(record);
    records.push('problems' in ticket ? { at: `line ${info.lines}`, problems: ticket.problems } : { at: `line ${info.lines}`, ticket });
  }
  return records.sort((a, b) => Number(a.at.slice(5)) - Number(b.at.slice(5)));
};

const exportRecords = (text: string): ImportRecord[] => {
  const lines = text.split('\n');
  const records: ImportRecord[] = [];
  let header = false;
  let end = false;
  for (const [index, raw] of lines.entries()) {
    if (!raw.trim()) continue;
    const at = `line ${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      records.push({ at, problems: ['is not JSON'] });
      continue;
    }
    const parsed = exportLineSchema.safeParse(json);
    if (!parsed.success) {
      records.push({ at, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`) });
      continue;
    }
    if (parsed.data.kind === 'helpdesk-export') header = true;
    if (parsed.data.kind === 'end') end = true;
    records.push({ at, line: parsed.data });
  }
  if (!header) throw new ImportFileError('the file is not a helpdesk export: its first line is not {"kind":"helpdesk-export",…}');
  if (!end)
    records.push({
      at: `line ${lines.length}`,
      problems: ['the export has no end line: it is incomplete (an export still running, or a cut download)'],
    });
  return records;
};

/** Every record of the file, in its order. `zone`: the desk's time zone, which osTicket's times are in. */
export const readImportFile = (system: ImportSystem, text: string, zone: string): ImportRecord[] => {
  switch (system) {
    case 'osticket':
      return jsonArray(text, 'osTicket').map((raw, index) => {
        const ticket = fromOsTicket(raw, zone);
        return 'problems' in ticket ? { at: `ticket [${index}]`, problems: ticket.problems } : { at: `ticket [${index}]`, ticket };
      });
    case 'zammad':
      return jsonArray(text, 'Zammad').map((raw, index) => {
        const ticket = fromZammad(raw);
        return 'problems' in ticket ? { at: `ticket [${index}]`, problems: ticket.problems } : { at: `ticket [${index}]`, ticket };
      });
    case 'csv':
      return csvRecords(text);
    case 'helpdesk':
      return exportRecords(text);
  }
};
