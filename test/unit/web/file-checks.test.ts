// The console's own check of a chosen file, before anything is uploaded: its type (by the browser's word, or by
// its name when the browser has none), its size against the limit, and how many files a message may carry; each
// refusal in words with the sizes as people read them.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Module = typeof import('../../../web/src/file-checks.ts');
let files: Module;
let lang: typeof import('../../../web/src/i18n.ts')['lang'];

beforeAll(async () => {
  // The catalogue remembers the language in localStorage, which Node lacks.
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
  files = await import('../../../web/src/file-checks.ts');
  ({ lang } = await import('../../../web/src/i18n.ts'));
});
beforeEach(() => lang.set('id'));

const LIMITS = { maxBytes: 10 * 1024 * 1024, types: ['image/png' as const, 'application/pdf' as const], perMessage: 2 };
const file = (name: string, size: number, type = '') => ({ name, size, type });

describe('a chosen file, before it is uploaded', () => {
  it('is accepted within the limits', () => {
    expect(files.refusalOf(file('foto.png', 2048, 'image/png'), LIMITS, 1)).toBeUndefined();
  });

  it('is refused when larger than the limit, with both sizes in words', () => {
    expect(files.refusalOf(file('video.png', 12.5 * 1024 * 1024, 'image/png'), LIMITS, 0)).toBe(
      'Tidak dilampirkan: berkas ini 13 MB, batasnya 10 MB. Perkecil dulu (misalnya foto dengan resolusi lebih rendah), lalu lampirkan lagi.',
    );
  });

  it('is refused when of a kind the desk does not take, naming the kinds it does', () => {
    expect(files.refusalOf(file('setup.exe', 100, 'application/x-msdownload'), LIMITS, 0)).toBe(
      'Tidak dilampirkan: jenis berkas ini tidak diterima. Yang diterima: PNG, PDF.',
    );
  });

  it('is refused when the message already has as many files as it may carry, or when it is empty', () => {
    expect(files.refusalOf(file('foto.png', 10, 'image/png'), LIMITS, 2)).toBe('Tidak dilampirkan: paling banyak 2 berkas per pesan.');
    expect(files.refusalOf(file('kosong.pdf', 0, 'application/pdf'), LIMITS, 0)).toBe('Tidak dilampirkan: berkas ini kosong.');
  });

  it('takes its kind from its name when the browser gives none', () => {
    expect(files.typeOf(file('Laporan.PDF', 10))).toBe('application/pdf');
    expect(files.typeOf(file('nilai.xlsx', 10))).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(files.typeOf(file('tanpa-akhiran', 10))).toBe('');
    expect(files.typeOf(file('foto.png', 10, 'image/jpeg'))).toBe('image/jpeg');
  });

  it('lets a phone’s picker offer the accepted kinds, by type and by name', () => {
    expect(files.accepts(LIMITS)).toBe('image/png,.png,application/pdf,.pdf');
  });

  it('shows sizes as people read them, in the language shown', () => {
    expect(files.formatBytes(70)).toBe('70 B');
    expect(files.formatBytes(1536)).toBe('1,5 KB');
    expect(files.formatBytes(850 * 1024)).toBe('850 KB');
    lang.set('en');
    expect(files.formatBytes(2.25 * 1024 * 1024)).toBe('2.3 MB');
  });
});
