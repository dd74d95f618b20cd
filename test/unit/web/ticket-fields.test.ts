// The console's reading of tags, custom fields and mentions: which fields a person is offered, a field's form
// and a refusal in words, typed tags, the details form's changes, and the marks on an internal note's mentions.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleField } from '#shared/console/console-config.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';

type Module = typeof import('../../../web/src/ticket-fields.ts');
let fields: Module;
let lang: typeof import('../../../web/src/i18n.ts')['lang'];

beforeAll(async () => {
  // The catalogue remembers the language in localStorage, which Node lacks.
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
  fields = await import('../../../web/src/ticket-fields.ts');
  ({ lang } = await import('../../../web/src/i18n.ts'));
});
beforeEach(() => lang.set('id'));

const field = (over: Partial<ConsoleField> & Pick<ConsoleField, 'id' | 'type'>): ConsoleField => ({
  name: { id: over.id.toUpperCase(), en: over.id },
  maxLength: 200,
  requiredFor: [],
  setBy: ['agent', 'lead', 'admin'],
  ...over,
});

const NISN = field({
  id: 'nisn',
  name: { id: 'NISN siswa', en: "Student's NISN" },
  type: 'text',
  pattern: '^[0-9]{10}$',
  maxLength: 10,
  categories: ['administration'],
  requiredFor: ['administration'],
  setBy: ['requester', 'agent', 'lead', 'admin'],
});
const KELAS = field({ id: 'kelas', type: 'text', setBy: ['requester', 'agent', 'lead', 'admin'] });
const UNITS = field({ id: 'units', name: { id: 'Jumlah unit', en: 'Units' }, type: 'number', min: 1, max: 500, categories: ['hardware'] });
const ROOM = field({
  id: 'room',
  type: 'list',
  options: [{ id: 'lab-1', name: { id: 'Lab Komputer 1', en: 'Computer Lab 1' } }],
  setBy: ['requester', 'agent', 'lead', 'admin'],
});
const ALL = [NISN, KELAS, UNITS, ROOM];

describe('the fields a person is offered', () => {
  it('offers a requester who lets the desk choose only the fields every category carries', () => {
    expect(fields.fieldsFor(ALL, 'requester', undefined).map((one) => one.id)).toEqual(['kelas', 'room']);
  });

  it('adds a category’s own fields once it is chosen, and marks the ones it requires', () => {
    const offered = fields.fieldsFor(ALL, 'requester', 'administration');
    expect(offered.map((one) => one.id)).toEqual(['nisn', 'kelas', 'room']);
    expect(offered.filter((one) => fields.isRequired(one, 'administration')).map((one) => one.id)).toEqual(['nisn']);
    expect(fields.isRequired(NISN, undefined)).toBe(false);
  });

  it('never offers a field the role may not set', () => {
    expect(fields.fieldsFor(ALL, 'requester', 'hardware').map((one) => one.id)).not.toContain('units');
    expect(fields.fieldsFor(ALL, 'agent', 'hardware').map((one) => one.id)).toContain('units');
  });
});

describe('a field’s form in words', () => {
  it('reads simple patterns as counts of digits and letters, in the language shown', () => {
    expect(fields.describePattern('^[0-9]{10}$')).toBe('10 angka');
    expect(fields.describePattern('^[A-Z]{2,5}-[0-9]{3,6}$')).toBe('2–5 huruf besar, lalu “-”, lalu 3–6 angka');
    lang.set('en');
    expect(fields.describePattern('^[A-Z]{2,5}-[0-9]{3,6}$')).toBe('2–5 capital letters, then “-”, then 3–6 digits');
  });

  it('says nothing of a pattern it cannot read rather than something wrong', () => {
    expect(fields.describePattern('^(SD|SMP)[0-9]+$')).toBeUndefined();
    expect(fields.describePattern('[0-9]{3}')).toBeUndefined();
    expect(fields.fieldHelp(field({ id: 'code', type: 'text', pattern: '^(a|b)$' }))).toBeUndefined();
  });

  it('gives a number field its range and a patterned text its form as help', () => {
    expect(fields.fieldHelp(UNITS)).toBe('Angka dari 1 sampai 500.');
    expect(fields.fieldHelp(NISN)).toBe('Bentuknya: 10 angka.');
    expect(fields.fieldHelp(KELAS)).toBeUndefined();
  });
});

describe('a refused value, explained', () => {
  it('says which rule a refused NISN breaks and what is accepted', () => {
    expect(fields.explainRefusal(NISN, '12345', 'does not have the form this field needs (^[0-9]{10}$)')).toBe(
      'NISN siswa tidak berbentuk yang benar. Yang diterima: 10 angka.',
    );
  });

  it('explains a number out of range, not a number, a required field and one the category does not carry', () => {
    expect(fields.explainRefusal(UNITS, '900', 'must be at most 500')).toBe('Jumlah unit harus angka dari 1 sampai 500.');
    expect(fields.explainRefusal(UNITS, 'banyak', 'must be a number')).toBe('Jumlah unit harus berupa angka.');
    expect(fields.explainRefusal(NISN, undefined, 'is required for a ticket of category Administration')).toBe(
      'NISN siswa wajib diisi untuk jenis permintaan ini.',
    );
    expect(fields.explainRefusal(UNITS, '3', 'does not apply to a ticket of category Network')).toMatch(
      /tidak berlaku untuk jenis tiket ini/,
    );
  });

  it('falls back to the API’s sentence, named, when no rule of the field explains it', () => {
    expect(fields.explainRefusal(KELAS, '8B', 'must be one line without control characters')).toBe(
      'KELAS: must be one line without control characters',
    );
  });
});

describe('tags typed into a box', () => {
  it('splits at commas and spaces, lowers the case, keeps each once and sets aside what cannot be a tag', () => {
    expect(fields.parseTags('WiFi-Lab, ujian  ujian #ppdb bad_tag')).toEqual({ tags: ['wifi-lab', 'ujian', 'ppdb'], invalid: ['bad_tag'] });
    expect(fields.parseTags('  ')).toEqual({ tags: [], invalid: [] });
  });
});

describe('the details form’s changes', () => {
  const ticket = {
    status: 'open',
    priority: 'medium',
    category: 'hardware',
    team: 'it',
    assignee: null,
    tags: ['a', 'b'],
    fields: { units: 3 },
  } as unknown as Ticket;

  it('sends nothing for the same tags in another order or a field typed back to its value', () => {
    expect(fields.changesOf(ticket, { tags: ['b', 'a'], fields: { units: '3 ' }, status: 'open' })).toEqual({});
  });

  it('sends what differs: a status, a new tag list, a field changed or cleared', () => {
    expect(fields.changesOf(ticket, { status: 'pending', tags: ['a'], fields: { units: '', kelas: '8B' } })).toEqual({
      status: 'pending',
      tags: ['a'],
      fields: { units: '', kelas: '8B' },
    });
  });
});

describe('mentions in an internal note', () => {
  it('marks each @name, leaves addresses and the closing full stop alone', () => {
    expect(fields.splitMentions('Tolong @budi cek, cc @yusuf. Kirim ke ani@sekolah.example')).toEqual([
      { text: 'Tolong ', mention: false },
      { text: '@budi', mention: true },
      { text: ' cek, cc ', mention: false },
      { text: '@yusuf', mention: true },
      { text: '. Kirim ke ani@sekolah.example', mention: false },
    ]);
    expect(fields.splitMentions('tanpa sebutan')).toEqual([{ text: 'tanpa sebutan', mention: false }]);
  });

  it('names a list option by its name and an empty value by a dash', () => {
    expect(fields.valueLabel(ROOM, 'lab-1')).toBe('Lab Komputer 1');
    expect(fields.valueLabel(UNITS, 3)).toBe('3');
    expect(fields.valueLabel(undefined, null)).toBe('—');
  });
});
