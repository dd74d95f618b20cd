// What the bot says besides articles, in Indonesian and English.
import type { Language } from '#shared/config/config-values.ts';
import type { HandoffReason } from './screen-message.ts';

const ASK = {
  id: 'Mau saya buatkan tiket agar petugas kami menindaklanjuti? Balas "ya" atau "tidak".',
  en: 'Shall I open a ticket so that our staff follow it up? Reply "yes" or "no".',
};

const OFFER: Record<HandoffReason, Record<Language, string>> = {
  'low-confidence': {
    id: 'Maaf, saya belum yakin artikel mana yang menjawab pertanyaan itu.',
    en: 'Sorry, I am not sure which article answers that question.',
  },
  'out-of-scope': {
    id: 'Maaf, pertanyaan itu belum ada jawabannya di basis pengetahuan kami.',
    en: 'Sorry, our knowledge base has no answer to that question.',
  },
  complaint: {
    id: 'Laporan tentang seseorang ditangani langsung oleh petugas kami, dengan rahasia.',
    en: 'Reports about a person are handled by our staff directly, in confidence.',
  },
  'data-deletion': {
    id: 'Permintaan tentang data pribadi ditangani langsung oleh petugas kami.',
    en: 'Requests about personal data are handled by our staff directly.',
  },
  money: {
    id: 'Urusan keuangan seperti ini ditangani langsung oleh petugas kami.',
    en: 'Money matters like this are handled by our staff directly.',
  },
  abusive: {
    id: 'Saya mengerti Anda kesal. Petugas kami akan membantu langsung.',
    en: 'I understand you are upset. Our staff will help you directly.',
  },
  'person-requested': {
    id: 'Baik, saya sambungkan dengan petugas kami.',
    en: 'Of course, I will put you through to our staff.',
  },
};

export const CHAT_TEXTS = {
  offer: (reason: HandoffReason, language: Language) => `${OFFER[reason][language]} ${ASK[language]}`,
  askContact: {
    id: 'Ke alamat email mana petugas kami bisa membalas? Tulis alamat email Anda (atau "batal").',
    en: 'Which email address can our staff reply to? Type your email address (or "cancel").',
  },
  askContactAgain: {
    id: 'Itu belum terlihat seperti alamat email. Tulis alamat seperti nama@contoh.com, atau "batal".',
    en: 'That does not look like an email address. Type one such as name@example.com, or "cancel".',
  },
  declined: {
    id: 'Baik, tidak dibuatkan tiket. Ada lagi yang bisa saya bantu?',
    en: 'All right, no ticket. Is there anything else I can help with?',
  },
  ticketOpened: (number: number, email: string | undefined, language: Language) =>
    language === 'en'
      ? `I have opened ticket #${number} with our conversation. Our staff will reply${email ? ` to ${email}` : ''}; quote #${number} when you ask about it.`
      : `Tiket #${number} sudah dibuat berisi percakapan ini. Petugas kami akan membalas${email ? ` ke ${email}` : ''}; sebutkan #${number} bila menanyakannya.`,
  tooManyTickets: {
    id: 'Anda sudah membuat banyak tiket dalam satu jam terakhir. Silakan coba lagi nanti.',
    en: 'You have opened many tickets in the last hour. Please try again later.',
  },
  greeting: {
    id: 'Halo! Saya asisten helpdesk. Tulis pertanyaan Anda, misalnya "lupa kata sandi e-Rapor" atau "printer macet".',
    en: 'Hello! I am the helpdesk assistant. Ask your question, for example "forgot my e-Rapor password" or "printer jammed".',
  },
  thanks: {
    id: 'Sama-sama! Ada lagi yang bisa saya bantu?',
    en: "You're welcome! Anything else I can help with?",
  },
  transcriptHeading: { id: 'Percakapan chat dengan asisten helpdesk:', en: 'Chat conversation with the helpdesk assistant:' },
  speaker: { id: { requester: 'Penanya', bot: 'Asisten' }, en: { requester: 'Requester', bot: 'Assistant' } },
  fallbackSubject: { id: 'Pertanyaan lewat chat', en: 'Question from the chat' },
} as const;
