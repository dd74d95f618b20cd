// The requester's mails: both languages, text and HTML, every value escaped in the HTML part.
import { describe, expect, it } from 'vitest';
import { escapeHtml, type MailContext, type MailModel, mailSubject, renderMail, STATUS_NAMES } from '#shared/domain/mail/mail-templates.ts';

const context: MailContext = {
  organisation: 'Sekolah Uji',
  requesterName: 'Alice Putri',
  number: 42,
  subject: 'Wi-Fi di lab mati',
  trackUrl: 'https://desk.uji.example/track/abc.def',
};

const MODELS: MailModel[] = [
  { kind: 'received', category: 'Jaringan', description: 'Sejak pagi tidak ada sinyal.' },
  { kind: 'reply', author: 'Ivan', body: 'Access point sedang kami ganti.' },
  { kind: 'pending', needed: 'Mohon kirim foto router.' },
  { kind: 'resolved', reopenWindowDays: 7 },
];

describe('mail subjects', () => {
  it.each([
    ['id', 'received', '[#42] Tiket diterima: Wi-Fi di lab mati'],
    ['id', 'reply', '[#42] Balasan baru: Wi-Fi di lab mati'],
    ['id', 'pending', '[#42] Menunggu tanggapan Anda: Wi-Fi di lab mati'],
    ['id', 'resolved', '[#42] Selesai: Wi-Fi di lab mati'],
    ['en', 'received', '[#42] Ticket received: Wi-Fi di lab mati'],
    ['en', 'reply', '[#42] New reply: Wi-Fi di lab mati'],
    ['en', 'pending', '[#42] Waiting for your reply: Wi-Fi di lab mati'],
    ['en', 'resolved', '[#42] Resolved: Wi-Fi di lab mati'],
  ] as const)('%s %s: %s', (language, kind, expected) => {
    expect(mailSubject(language, kind, 42, 'Wi-Fi di lab mati')).toBe(expected);
  });

  it('keep to one line whatever the ticket subject holds', () => {
    expect(mailSubject('en', 'reply', 7, 'a\r\nBcc: someone@example.org')).toBe('[#7] New reply: a Bcc: someone@example.org');
  });
});

describe('the received mail', () => {
  it('in Indonesian: number, summary, tracking link and "reply to this mail"', () => {
    // Act
    const mail = renderMail('id', context, MODELS[0]!);

    // Assert
    expect(mail.text).toContain('Halo Alice Putri,');
    expect(mail.text).toContain('tercatat sebagai tiket #42');
    expect(mail.text).toContain('Subjek: Wi-Fi di lab mati');
    expect(mail.text).toContain('Kategori: Jaringan');
    expect(mail.text).toContain(`Status: ${STATUS_NAMES.id.new}`);
    expect(mail.text).toContain('Sejak pagi tidak ada sinyal.');
    expect(mail.text).toContain(context.trackUrl);
    expect(mail.text).toContain('Cukup balas email ini');
    expect(mail.html).toContain(`<a href="${context.trackUrl}">`);
    expect(mail.html).toContain('<html lang="id">');
  });

  it('in English, the same facts', () => {
    // Act
    const mail = renderMail('en', context, MODELS[0]!);

    // Assert
    expect(mail.subject).toBe('[#42] Ticket received: Wi-Fi di lab mati');
    expect(mail.text).toContain('Hello Alice Putri,');
    expect(mail.text).toContain('recorded it as ticket #42');
    expect(mail.text).toContain('Status: New');
    expect(mail.text).toContain('Just reply to this email');
    expect(mail.html).toContain('<html lang="en">');
  });

  it('greets politely when the name is unknown', () => {
    expect(renderMail('id', { ...context, requesterName: undefined }, MODELS[0]!).text).toMatch(/^Halo Bapak\/Ibu,/);
    expect(renderMail('en', { ...context, requesterName: undefined }, MODELS[0]!).text).toMatch(/^Hello,/);
  });

  it('repeats at most 500 characters of the description', () => {
    // Act
    const mail = renderMail('en', context, { kind: 'received', category: 'Network', description: 'x'.repeat(2000) });

    // Assert
    expect(mail.text).toContain(`${'x'.repeat(500)}…`);
    expect(mail.text).not.toContain('x'.repeat(501));
  });
});

describe('the other mails', () => {
  it('a reply carries the agent, their words with line breaks, and how to answer', () => {
    const mail = renderMail('id', context, { kind: 'reply', author: 'Ivan', body: 'Baris satu.\nBaris dua.' });
    expect(mail.text).toContain('Ivan membalas tiket #42 (Wi-Fi di lab mati):');
    expect(mail.text).toContain('Baris satu.\nBaris dua.');
    expect(mail.text).toContain('Balas email ini untuk menanggapi.');
    expect(mail.html).toContain('white-space:pre-wrap">Baris satu.\nBaris dua.</blockquote>');
  });

  it('pending says what is needed: the request, or a general ask when there is none', () => {
    expect(renderMail('en', context, { kind: 'pending', needed: 'Please send a photo.' }).text).toContain(
      'we need the following from you:\n\nPlease send a photo.',
    );
    const general = renderMail('en', context, { kind: 'pending' }).text;
    expect(general).toContain('"Waiting for your reply"');
    expect(general).toContain('please send us the further details or confirmation we need');
    expect(renderMail('id', context, { kind: 'pending' }).text).toContain('"Menunggu tanggapan Anda"');
  });

  it('resolved says how to reopen: reply within the window', () => {
    expect(renderMail('id', context, MODELS[3]!).text).toContain('balas email ini dalam 7 hari dan tiket akan dibuka kembali');
    expect(renderMail('en', context, MODELS[3]!).text).toContain('reply to this email within 7 days and the ticket will be reopened');
    expect(renderMail('en', context, { kind: 'resolved', reopenWindowDays: 0 }).text).toContain('please file a new ticket');
  });
});

describe('HTML escaping', () => {
  const hostile = '<script>alert("x")</script> & \'quotes\'';

  it.each(MODELS.map((model) => [model.kind, model] as const))(
    '%s: a <script> subject, name or text is shown, never run',
    (_kind, model) => {
      // Arrange: every value that can come from outside is hostile
      const hostileModel: MailModel =
        model.kind === 'received'
          ? { ...model, category: hostile, description: hostile }
          : model.kind === 'reply'
            ? { ...model, author: hostile, body: hostile }
            : model.kind === 'pending'
              ? { ...model, needed: hostile }
              : model;

      // Act
      const mail = renderMail('en', { ...context, subject: hostile, requesterName: hostile, organisation: hostile }, hostileModel);

      // Assert
      expect(mail.html).not.toMatch(/<script/i);
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
      // The plain text part is plain: shown as written.
      expect(mail.text).toContain(hostile);
      expect(mail.subject).toContain('<script>');
    },
  );

  it('escapes a hostile tracking link too', () => {
    const mail = renderMail('en', { ...context, trackUrl: 'https://x/"><script>' }, MODELS[1]!);
    expect(mail.html).toContain('href="https://x/&quot;&gt;&lt;script&gt;"');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
