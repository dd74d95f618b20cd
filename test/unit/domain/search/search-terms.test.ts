// What a ticket is found by, and what a search asks for.
import { describe, expect, it } from 'vitest';
import { emailTerm, MAX_TERMS_PER_TICKET, parseQuery, phoneTerm, ticketTerms } from '#shared/domain/search/search-terms.ts';

const requester = { id: 'user-ani', name: 'Ani', email: 'Ani@Example.org', phone: '0812-3456-7890' };

describe('the terms of a ticket', () => {
  it('weighs a subject word three times a description word, and counts every word once per occurrence', () => {
    // Act
    const { terms, length } = ticketTerms({ subject: 'Printer rusak', description: 'Printernya di ruang guru rusak lagi', requester }, []);

    // Assert: "printernya" and "printer" share a stem; "di", "lagi" are stop words.
    expect(terms).toMatchObject({ printer: 4, rusak: 4, ruang: 1, guru: 1 });
    expect(length).toBe(6);
  });

  it('adds the public comments it is given, and the requester’s address and phone as hashed exact terms', () => {
    // Act
    const { terms } = ticketTerms({ subject: 'Wi-Fi mati', description: '', requester }, ['Access point sudah diganti']);

    // Assert
    expect(Object.keys(terms)).toEqual(expect.arrayContaining(['wifi', 'mati', 'access', 'point', 'ganti']));
    expect(terms[emailTerm('ani@example.org')]).toBe(1);
    expect(terms[phoneTerm('+62 812 3456 7890')]).toBe(1);
    // No key shows the address or the number.
    expect(JSON.stringify(terms)).not.toMatch(/example|3456/);
  });

  it(`keeps every subject word and the weightiest others, at most ${MAX_TERMS_PER_TICKET} terms`, () => {
    // Arrange: 100 different words in the description, one of them many times.
    const words = Array.from({ length: 100 }, (_, index) => `kata${index}x`);
    const description = `${words.join(' ')} ${'kata99x '.repeat(5)}`;

    // Act
    const { terms } = ticketTerms({ subject: 'Proyektor', description, requester: { id: 'x' } }, []);

    // Assert
    expect(Object.keys(terms)).toHaveLength(MAX_TERMS_PER_TICKET);
    expect(terms.proyektor).toBe(3);
    expect(terms.kata99x).toBe(6);
  });
});

describe('a search', () => {
  it('finds ticket numbers with or without #, and keeps them as words too', () => {
    expect(parseQuery('#123 printer')).toEqual({ numbers: [123], exact: [], words: ['printer'] });
    expect(parseQuery('123 printer')).toEqual({ numbers: [123], exact: [], words: ['123', 'printer'] });
    expect(parseQuery('45')).toMatchObject({ numbers: [45] });
  });

  it('reads an address and a phone number as exact terms, however the number is written', () => {
    // Act
    const byMail = parseQuery('ANI@example.org wifi');
    const byPhone = parseQuery('+62 812-3456-7890');

    // Assert
    expect(byMail).toEqual({ numbers: [], exact: [emailTerm('ani@example.org')], words: ['wifi'] });
    expect(byPhone.exact).toEqual([phoneTerm('081234567890')]);
    expect(byPhone.numbers).toEqual([]);
  });

  it('keeps a code with a run of digits as a word, not a phone number', () => {
    expect(parseQuery('kd86293031')).toEqual({ numbers: [], exact: [], words: ['kd86293031'] });
  });

  it('handles Indonesian affixes and informal spellings as the knowledge base does', () => {
    expect(parseQuery('printernya gak bisa ngeprint').words).toEqual(['printer', 'ngeprint']);
    expect(parseQuery('pembayaran spp').words).toEqual(['bayar', 'spp']);
  });

  it('uses at most eight words', () => {
    expect(parseQuery('satu dua tiga empat lima enam tujuh delapan sembilan sepuluh').words).toHaveLength(8);
  });
});
