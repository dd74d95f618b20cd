// Text processing for retrieval: the same words for what people type and what the articles say.
import { describe, expect, it } from 'vitest';
import { normalise, stemOf, termsOf, wordsOf } from '#shared/domain/kb/text.ts';

const stems = (text: string) => termsOf(text).map((term) => term.stem);

describe('text processing', () => {
  it('joins compounds however they are written: wifi, wi-fi, wi fi; e-Rapor, e rapor, erapor', () => {
    // Act / Assert
    for (const spelling of ['wifi', 'Wi-Fi', 'wi fi', 'WIFI']) expect(wordsOf(spelling), spelling).toEqual(['wifi']);
    for (const spelling of ['e-Rapor', 'e rapor', 'erapor', 'E-RAPOR']) expect(wordsOf(spelling), spelling).toEqual(['erapor']);
    expect(wordsOf('kata sandi')).toEqual(['katasandi']);
    expect(wordsOf('e-mail')).toEqual(['email']);
  });

  it('maps chat spellings and abbreviations to the words the articles use', () => {
    // Act / Assert
    expect(wordsOf('gmn gak bisa')).toEqual(['bagaimana', 'tidak', 'bisa']);
    expect(wordsOf('pw')).toEqual(['katasandi']);
    expect(wordsOf('password')).toEqual(['katasandi']);
    expect(wordsOf('passwordnya')).toEqual(['katasandi']);
    expect(wordsOf('ijasah')).toEqual(['ijazah']);
  });

  it('drops accents and folds Indonesian reduplication', () => {
    // Act / Assert
    expect(normalise('Café')).toBe('cafe');
    expect(wordsOf('surat-surat')).toEqual(['surat']);
  });

  it('drops stop words in both languages and keeps what carries meaning', () => {
    // Act / Assert
    expect(stems('Bagaimana cara saya reset password yang lupa?')).toEqual(['reset', 'katasandi', 'lupa']);
    expect(stems('How do I reset the password?')).toEqual(['reset', 'katasandi']);
  });

  it('gives Indonesian affixed forms one stem: bayar, membayar, pembayaran', () => {
    // Act / Assert
    expect(new Set(['bayar', 'membayar', 'pembayaran', 'dibayar'].map(stemOf))).toEqual(new Set(['bayar']));
    expect(new Set(['pinjam', 'meminjam', 'peminjaman', 'dipinjam'].map(stemOf))).toEqual(new Set(['pinjam']));
    expect(stemOf('menghubungkan')).toBe('hubung');
    expect(stemOf('kerusakan')).toBe('rusak');
  });

  it('gives English inflections one stem: printer, printers; jammed, jam', () => {
    // Act / Assert
    expect(stemOf('printers')).toBe(stemOf('printer'));
    expect(stemOf('payments')).toBe(stemOf('payment'));
  });

  it('leaves short words, numbers and the shared words alone', () => {
    // Act / Assert
    expect(stemOf('spp')).toBe('spp');
    expect(stemOf('2019')).toBe('2019');
    expect(stemOf('katasandi')).toBe('katasandi');
  });

  it('finds no terms in an empty or punctuation-only text', () => {
    // Act / Assert
    expect(termsOf('')).toEqual([]);
    expect(termsOf('?!… —')).toEqual([]);
  });
});
