// What the desk says in Telegram and WhatsApp chats besides the answer bot's own words, in Indonesian and
// English. Plain text: both platforms show it as written (no Markdown parsing is asked for).
import type { Language } from '#shared/config/config-values.ts';
import type { NotificationKind } from '#shared/domain/mail/mail-templates.ts';
import { STATUS_NAMES } from '#shared/domain/mail/mail-templates.ts';
import type { Ticket, TicketSummary } from '#shared/domain/tickets/ticket.ts';
import type { ChatChannel } from './chat-account.ts';

/** What a message was, when it was not text. */
export const UNSUPPORTED_KINDS = ['sticker', 'image', 'voice', 'video', 'document', 'location', 'other'] as const;
export type UnsupportedKind = (typeof UNSUPPORTED_KINDS)[number];

const KIND_NAMES: Record<Language, Record<UnsupportedKind, string>> = {
  id: {
    sticker: 'stiker',
    image: 'gambar',
    voice: 'pesan suara',
    video: 'video',
    document: 'berkas',
    location: 'lokasi',
    other: 'jenis pesan ini',
  },
  en: {
    sticker: 'stickers',
    image: 'pictures',
    voice: 'voice notes',
    video: 'videos',
    document: 'files',
    location: 'locations',
    other: 'this kind of message',
  },
};

const COMMANDS = {
  id: '/status 12 — status tiket #12\n/status — tiket Anda\n/link nama@contoh.com — hubungkan chat ini dengan alamat email Anda\n/unlink — putuskan hubungan itu',
  en: '/status 12 — the status of ticket #12\n/status — your tickets\n/link name@example.com — link this chat to your email address\n/unlink — undo that link',
};

const when = (iso: string, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );

/** An address shown back without giving it away to someone looking over a shoulder: `a***@example.org`. */
export const maskAddress = (email: string) => {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
};

export const CHANNEL_TEXTS = {
  welcome: (organisation: string, channel: ChatChannel, language: Language) =>
    language === 'en'
      ? `Hello! I am the helpdesk assistant of ${organisation}. Ask your question in your own words, for example "forgot my e-Rapor password". If I cannot answer, I will open a ticket for our staff.\n\n${COMMANDS.en}${channel === 'telegram' ? '\n\nYou can also share your phone number with the button below, so that I know who you are.' : ''}`
      : `Halo! Saya asisten helpdesk ${organisation}. Tulis pertanyaan Anda dengan kata-kata sendiri, misalnya "lupa kata sandi e-Rapor". Bila saya tidak bisa menjawab, saya buatkan tiket untuk petugas kami.\n\n${COMMANDS.id}${channel === 'telegram' ? '\n\nAnda juga bisa membagikan nomor telepon Anda dengan tombol di bawah, agar saya tahu siapa Anda.' : ''}`,
  unsupported: (kind: UnsupportedKind, language: Language) =>
    language === 'en'
      ? `Sorry, I can only read text, not ${KIND_NAMES.en[kind]}. Please type your question in words.`
      : `Maaf, saya hanya bisa membaca teks, bukan ${KIND_NAMES.id[kind]}. Silakan tulis pertanyaan Anda dengan kata-kata.`,
  tooLong: (max: number, language: Language) =>
    language === 'en'
      ? `Your message is too long for me (more than ${max} characters). Please shorten it, or send it in a few messages.`
      : `Pesan Anda terlalu panjang (lebih dari ${max} karakter). Mohon diringkas, atau kirim dalam beberapa pesan.`,
  tooManyMessages: {
    id: 'Anda sudah mengirim banyak pesan dalam satu jam terakhir. Silakan coba lagi nanti.',
    en: 'You have sent many messages in the last hour. Please try again later.',
  },
  status: (ticket: Ticket, language: Language, timeZone: string) =>
    language === 'en'
      ? `Ticket #${ticket.number} "${ticket.subject}": ${STATUS_NAMES.en[ticket.status]} (last change ${when(ticket.updatedAt, 'en', timeZone)}).`
      : `Tiket #${ticket.number} "${ticket.subject}": ${STATUS_NAMES.id[ticket.status]} (terakhir berubah ${when(ticket.updatedAt, 'id', timeZone)}).`,
  statusList: (tickets: TicketSummary[], language: Language) =>
    tickets.length === 0
      ? language === 'en'
        ? 'You have no tickets yet.'
        : 'Belum ada tiket atas nama Anda.'
      : `${language === 'en' ? 'Your tickets:' : 'Tiket Anda:'}\n${tickets
          .map((ticket) => `#${ticket.number} ${ticket.subject} — ${STATUS_NAMES[language][ticket.status]}`)
          .join('\n')}`,
  /** The same words for a ticket that does not exist and one that is not theirs: numbers are not guessable proof. */
  statusNotYours: (number: number, language: Language) =>
    language === 'en'
      ? `I cannot find ticket #${number} among yours. I can tell the status of tickets opened from this chat, or of all your tickets once this chat is linked to you (/link your email address).`
      : `Tiket #${number} tidak ada di antara tiket Anda. Saya bisa memberi status tiket yang dibuat dari chat ini, atau semua tiket Anda setelah chat ini terhubung dengan Anda (/link alamat email Anda).`,
  statusUsage: {
    id: 'Tulis nomor tiketnya, misalnya /status 12. Untuk melihat semua tiket Anda, hubungkan dulu chat ini: /link alamat email Anda.',
    en: 'Type the ticket number, for example /status 12. To see all your tickets, link this chat first: /link your email address.',
  },
  linkUsage: {
    id: 'Tulis /link diikuti alamat email Anda, misalnya /link nama@contoh.com. Saya kirim kode ke alamat itu.',
    en: 'Type /link followed by your email address, for example /link name@example.com. I will send a code there.',
  },
  codeSent: (email: string, minutes: number, language: Language) =>
    language === 'en'
      ? `I have sent a code to ${maskAddress(email)}. Send it here (for example /link 123456) within ${minutes} minutes.`
      : `Kode sudah saya kirim ke ${maskAddress(email)}. Kirim kode itu di sini (misalnya /link 123456) dalam ${minutes} menit.`,
  wrongCode: (left: number, language: Language) =>
    language === 'en'
      ? `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`
      : `Kode itu tidak cocok. Sisa ${left} kali percobaan.`,
  noCodePending: {
    id: 'Tidak ada kode yang sedang ditunggu, atau kodenya sudah kedaluwarsa. Mulai lagi dengan /link alamat email Anda.',
    en: 'No code is waiting, or it has expired. Start again with /link your email address.',
  },
  tooManyLinks: {
    id: 'Terlalu banyak permintaan kode dalam satu jam terakhir. Silakan coba lagi nanti.',
    en: 'Too many code requests in the last hour. Please try again later.',
  },
  linkedEmail: (email: string, language: Language) =>
    language === 'en'
      ? `Done: this chat is now linked to ${email}. Ask me about your tickets with /status.`
      : `Selesai: chat ini sekarang terhubung dengan ${email}. Tanyakan tiket Anda dengan /status.`,
  linkedPhone: (phone: string, language: Language) =>
    language === 'en'
      ? `Thank you: this chat is now linked to ${phone}. Ask me about your tickets with /status.`
      : `Terima kasih: chat ini sekarang terhubung dengan ${phone}. Tanyakan tiket Anda dengan /status.`,
  notOwnContact: {
    id: 'Itu kontak orang lain. Untuk menghubungkan chat ini, bagikan nomor Anda sendiri dengan tombol di bawah.',
    en: "That is someone else's contact. To link this chat, share your own number with the button below.",
  },
  unlinked: {
    id: 'Chat ini tidak lagi terhubung dengan alamat atau nomor Anda.',
    en: 'This chat is no longer linked to your address or number.',
  },
  notLinked: {
    id: 'Chat ini belum terhubung dengan siapa pun.',
    en: 'This chat is not linked to anyone.',
  },
  whatsappIsYourNumber: {
    id: 'Di WhatsApp, nomor Anda sendiri yang menunjukkan siapa Anda; tidak ada yang perlu diputuskan.',
    en: 'On WhatsApp your own number tells who you are; there is nothing to undo.',
  },
  /** Added to the bot's question for an address on Telegram, beside the button. */
  orShareContact: {
    id: 'Atau ketuk tombol di bawah untuk membagikan nomor telepon Anda.',
    en: 'Or tap the button below to share your phone number.',
  },
  shareContactButton: { id: 'Bagikan nomor telepon saya', en: 'Share my phone number' },
  sharedContactTurn: { id: '[nomor telepon dibagikan]', en: '[phone number shared]' },
  commentAdded: (number: number, language: Language) =>
    language === 'en'
      ? `Thank you: your message is now on ticket #${number}; our staff will see it.`
      : `Terima kasih: pesan Anda sudah masuk ke tiket #${number}; petugas kami akan melihatnya.`,
  commentClosed: (number: number, language: Language) =>
    language === 'en'
      ? `Ticket #${number} is closed and takes no more messages. Write your question again and I will help, or open a new ticket.`
      : `Tiket #${number} sudah ditutup dan tidak menerima pesan lagi. Tulis lagi pertanyaan Anda, saya bantu atau buatkan tiket baru.`,
  /** A ticket's news in the chat: the requester mail decision table's kinds. */
  notice: (
    kind: NotificationKind,
    ticket: Ticket,
    detail: { body?: string; author?: string; reopenWindowDays: number },
    language: Language,
  ) => {
    const head = `#${ticket.number} ${ticket.subject}`;
    const replyHint = language === 'en' ? 'Reply to this message to answer.' : 'Balas (reply) pesan ini untuk menjawab.';
    switch (kind) {
      case 'received':
        return language === 'en'
          ? `We have received your request ${head}. We will tell you here when there is news.`
          : `Permintaan Anda ${head} sudah kami terima. Kabar selanjutnya kami sampaikan di sini.`;
      case 'reply':
        return `${language === 'en' ? `${detail.author ?? 'Our staff'} replied on ticket ${head}:` : `${detail.author ?? 'Petugas kami'} membalas tiket ${head}:`}\n\n${detail.body ?? ''}\n\n${replyHint}`;
      case 'pending':
        return language === 'en'
          ? `Ticket ${head} is waiting for your reply. ${replyHint}`
          : `Tiket ${head} menunggu tanggapan Anda. ${replyHint}`;
      case 'resolved':
        return language === 'en'
          ? `Ticket ${head} is resolved. If the problem is still there, reply to this message within ${detail.reopenWindowDays} days and it opens again.`
          : `Tiket ${head} sudah diselesaikan. Bila masalahnya masih ada, balas pesan ini dalam ${detail.reopenWindowDays} hari dan tiket dibuka lagi.`;
    }
  },
  /** The template's `{{2}}`: what happened, in a few words (a template parameter holds no line breaks). */
  templateNotice: {
    id: {
      received: 'permintaan Anda sudah diterima',
      reply: 'ada balasan dari petugas',
      pending: 'menunggu tanggapan Anda',
      resolved: 'sudah diselesaikan',
    },
    en: { received: 'your request was received', reply: 'our staff replied', pending: 'waiting for your reply', resolved: 'resolved' },
  } satisfies Record<Language, Record<NotificationKind, string>>,
} as const;
