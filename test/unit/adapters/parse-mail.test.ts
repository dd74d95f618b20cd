// The mail parser (shared/adapters/parse-mail.ts, postal-mime) on what clients send beyond the fixtures of the
// inbound-mail tests: legacy charsets in bodies and encoded words, files named under RFC 2231, a forwarded mail,
// format=flowed text with quotes, and line ends.
import { describe, expect, it } from 'vitest';
import { parseMail } from '#shared/adapters/parse-mail.ts';
import { CHARSET_SAMPLES, rawMail } from '#test/fixtures/mime.ts';

describe('charsets', () => {
  it.each(CHARSET_SAMPLES)('%s: the body (base64) and the subject (an encoded word) read as written', async (charset, text, base64) => {
    // Arrange
    const raw = rawMail(
      [`Subject: =?${charset}?B?${base64}?=`, `Content-Type: text/plain; charset="${charset}"`, 'Content-Transfer-Encoding: base64'],
      `${base64}\r\n`,
    );

    // Act
    const mail = await parseMail(raw);

    // Assert
    expect(mail.subject).toBe(text);
    expect(mail.text.trim()).toBe(text);
  });

  it('8-bit Latin text read in its charset, and a sender named in an encoded word', async () => {
    // Arrange
    const [, text, base64] = CHARSET_SAMPLES.find(([charset]) => charset === 'windows-1252')!;
    const raw = Buffer.concat([
      Buffer.from('From: =?iso-8859-1?Q?Fran=E7ois?= <francois@example.org>\r\nTo: desk@uji.example\r\nSubject: x\r\n'),
      Buffer.from('Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      Buffer.from(base64, 'base64'),
    ]);

    // Act
    const mail = await parseMail(raw);

    // Assert
    expect(mail.from).toEqual({ address: 'francois@example.org', name: 'François' });
    expect(mail.text.trim()).toBe(text);
  });

  it('a UTF-16 body with its byte order mark, and line ends as \\n', async () => {
    // Arrange
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Printer rusak.\r\nTolong.\r\n', 'utf16le')]);
    const raw = rawMail(
      ['Subject: x', 'Content-Type: text/plain; charset=utf-16', 'Content-Transfer-Encoding: base64'],
      body.toString('base64'),
    );

    // Act
    const mail = await parseMail(raw);

    // Assert
    expect(mail.text).toBe('Printer rusak.\nTolong.\n');
  });
});

describe('files', () => {
  it('names from RFC 2231 parameters and encoded words; a forwarded mail stays a file', async () => {
    // Arrange
    const raw = rawMail(
      ['Subject: berkas', 'Content-Type: multipart/mixed; boundary="b1"'],
      [
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Terlampir.',
        '--b1',
        'Content-Type: application/pdf',
        "Content-Disposition: attachment; filename*=utf-8''laporan%20kerusakan%20%C3%A9.pdf",
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4 laporan').toString('base64'),
        '--b1',
        'Content-Type: image/png; name="=?iso-8859-1?Q?b=E9b=E9.png?="',
        'Content-Disposition: attachment',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('PNG').toString('base64'),
        '--b1',
        'Content-Type: application/octet-stream; name*0*=utf-8\'\'%E6%96%87%E4%BB%B6; name*1=".bin"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('xx').toString('base64'),
        '--b1',
        'Content-Type: message/rfc822',
        '',
        'From: budi@example.org',
        'Subject: Fwd: printer',
        '',
        'Isi surat yang diteruskan.',
        '--b1--',
        '',
      ].join('\n'),
    );

    // Act
    const mail = await parseMail(raw);

    // Assert
    expect(mail.text.trim()).toBe('Terlampir.');
    expect(mail.attachments.map(({ name, contentType, content }) => ({ name, contentType, content: content.toString('utf8') }))).toEqual([
      { name: 'laporan kerusakan é.pdf', contentType: 'application/pdf', content: '%PDF-1.4 laporan' },
      { name: 'bébé.png', contentType: 'image/png', content: 'PNG' },
      { name: '文件.bin', contentType: 'application/octet-stream', content: 'xx' },
      {
        name: undefined,
        contentType: 'message/rfc822',
        content: expect.stringContaining('Isi surat yang diteruskan.'),
      },
    ]);
  });
});

describe('format=flowed', () => {
  it('unfolds soft line breaks within one quote depth only, keeping the reply under a quote and the signature', async () => {
    // Arrange
    const raw = rawMail(
      ['Subject: Re: printer', 'Content-Type: text/plain; charset=utf-8; format=flowed'],
      [
        'Sudah saya coba, ',
        'masih rusak.',
        '',
        'On Mon, Budi wrote: ',
        '> Sudah kami ',
        '> periksa.',
        '>> Tiket ',
        '>> diterima.',
        'Terima kasih ',
        'banyak.',
        '-- ',
        'Siti',
        '',
      ].join('\n'),
    );

    // Act
    const mail = await parseMail(raw);

    // Assert
    expect(mail.text.trim()).toBe(
      [
        'Sudah saya coba, masih rusak.',
        '',
        'On Mon, Budi wrote: ',
        '> Sudah kami periksa.',
        '>> Tiket diterima.',
        'Terima kasih banyak.',
        '-- ',
        'Siti',
      ].join('\n'),
    );
  });

  it('delsp=yes removes the space a soft break was folded at; space-stuffing is removed', async () => {
    // Arrange
    const raw = rawMail(
      ['Subject: x', 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes'],
      // A word folded in two, and a fold after a space (the sender doubles it, one is removed)
      ['Proyek ', 'tor di ruang  ', 'guru.', ' From the office.', ''].join('\n'),
    );

    // Act
    const mail = await parseMail(raw);

    // Assert
    expect(mail.text.trim()).toBe('Proyektor di ruang guru.\nFrom the office.');
  });
});
