// What the dashboard and the administration screens share: a refusal in plain words with the fields it names,
// the role gate, figures as a table with its CSV, and small formatters.
import type { Described } from '../api.ts';
import type { Me } from '../auth.ts';
import { ErrorNotice, Notice } from '../components.tsx';
import { lang, tKey } from '../i18n.ts';
import { ta, taKey } from './texts.ts';
import './admin.css';

/** A field by its name in these screens' words, else the console's, else as the API named it. */
const fieldName = (path: string) => {
  const head = path.split('.')[0]!;
  const name = taKey(`field.${head}`);
  return name === head ? tKey(`field.${head}`) : name;
};

/** A failure: one sentence saying what happened and what to do, then each field the API named, by its name. */
export const AdminError = ({ error, retry }: { error: Described | undefined; retry?: () => void }) => (
  <ErrorNotice error={error} retry={retry} fieldName={fieldName} />
);

export const isLeadOrAdmin = (me: Me) => me.role === 'lead' || me.role === 'admin';

/** What a role a screen is not for sees instead of it (the API refuses them too). */
export const NotForYou = () => (
  <section class="page narrow">
    <Notice kind="warning">{ta('role.only')}</Notice>
  </section>
);

export type Cell = string | number | null;
export type FigureTable = { columns: string[]; rows: Cell[][] };

/** One CSV field, quoted when needed, never run as a formula by a spreadsheet (as the API's CSV). */
const csvField = (value: Cell): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const csvOf = (tables: { title: string; table: FigureTable }[]): string =>
  tables
    .map(({ title, table }) => [[title], table.columns, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n'))
    .join('\r\n\r\n')
    .concat('\r\n');

/** Saves text as a file (a blob link clicked once; nothing leaves the browser). */
export const download = (name: string, text: string) => {
  const url = URL.createObjectURL(new Blob([`\ufeff${text}`], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
};

/** The figures behind a chart, as a table a screen reader and a spreadsheet can read. */
export const DataTable = ({ caption, table }: { caption: string; table: FigureTable }) => (
  // On a phone a wide table scrolls sideways in its own box (focusable, so the keyboard scrolls it too).
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
  <section class="table-scroll" aria-label={caption} tabIndex={0}>
    <table class="figures">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {table.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, index) => (
          <tr key={index}>
            {row.map((cell, column) =>
              column === 0 ? (
                <th key={column} scope="row">
                  {cell ?? '—'}
                </th>
              ) : (
                <td key={column}>{cell ?? '—'}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

const numberFormat = () => new Intl.NumberFormat(lang.get() === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 });
export const num = (value: number | null | undefined) => (value === null || value === undefined ? '—' : numberFormat().format(value));
export const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${numberFormat().format(Math.round(value * 1000) / 10)}%`;

/** A duration in the largest unit that reads well: 45 mnt, 3,5 jam, 2,1 hari. */
export const duration = (ms: number | null | undefined) => {
  if (ms === null || ms === undefined) return '—';
  const minutes = ms / 60_000;
  const id = lang.get() === 'id';
  if (minutes < 90) return `${num(Math.round(minutes))} ${id ? 'mnt' : 'min'}`;
  if (minutes < 48 * 60) return `${num(minutes / 60)} ${id ? 'jam' : 'h'}`;
  return `${num(minutes / 1440)} ${id ? 'hari' : 'd'}`;
};
