// What a message is before any article is looked for: sensitive or abusive requests, a yes or a no, small
// talk, an email address.
import { describe, expect, it } from 'vitest';
import { emailIn, replyTo, sensitiveReason, smallTalk } from '#shared/domain/chat/screen-message.ts';

describe('screening chat messages', () => {
  it.each([
    ['Saya mau komplain, guru matematika anak saya kasar', 'complaint'],
    ['I want to report a staff member for harassment', 'complaint'],
    ['ada pungli di loket', 'complaint'],
    ['Tolong hapus semua data pribadi saya', 'data-deletion'],
    ['Please delete my account', 'data-deletion'],
    ['Saya minta refund SPP', 'money'],
    ['uang spp terpotong dua kali', 'money'],
    ['gaji honorer belum masuk', 'money'],
    ['operatornya goblok', 'abusive'],
    ['this is fucking useless', 'abusive'],
    ['saya mau bicara dengan petugas', 'person-requested'],
    ['can I talk to a human', 'person-requested'],
  ])('hands %j to a person (%s)', (message, reason) => {
    // Act / Assert
    expect(sensitiveReason(message)).toBe(reason);
  });

  it.each(['Bagaimana cara membayar SPP?', 'lupa kata sandi email', 'printer macet', 'bagaimana cara melaporkan AC rusak'])(
    'lets an ordinary question %j through',
    (message) => {
      // Act / Assert
      expect(sensitiveReason(message)).toBeUndefined();
    },
  );

  it.each([
    ['ya', 'yes'],
    ['Iya, boleh', 'yes'],
    ['yes please', 'yes'],
    ['ok buatkan tiketnya', 'yes'],
    ['tidak', 'no'],
    ['tidak usah', 'no'],
    ['no thanks', 'no'],
    ['batal', 'no'],
  ])('reads %j as %s', (message, reply) => {
    // Act / Assert
    expect(replyTo(message)).toBe(reply);
  });

  it('reads anything longer, or anything else, as a new message', () => {
    // Act / Assert
    expect(replyTo('ya tapi printer saya masih macet juga sampai sekarang')).toBeUndefined();
    expect(replyTo('printer')).toBeUndefined();
    expect(replyTo('...')).toBeUndefined();
    expect(replyTo('tiket')).toBeUndefined();
  });

  it('recognises greetings and thanks', () => {
    // Act / Assert
    expect(smallTalk('Halo')).toBe('greeting');
    expect(smallTalk('selamat pagi')).toBe('greeting');
    expect(smallTalk('terima kasih banyak')).toBe('thanks');
    expect(smallTalk('printer macet')).toBeUndefined();
  });

  it('finds a whole email address, lower-cased, and nothing in a broken one', () => {
    // Act / Assert
    expect(emailIn('email saya Ani.Putri@Example.org ya')).toBe('ani.putri@example.org');
    expect(emailIn('ani@example')).toBeUndefined();
    expect(emailIn('tidak punya')).toBeUndefined();
  });
});
