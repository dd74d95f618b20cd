// What a chat message is, before any article is looked for: a request a person must take (a complaint
// about someone, erasing data, money beyond what the articles say, abuse, or asking for a person), a yes or
// a no to the bot's offer, or small talk. Rules on the normalised words of text.ts, in Indonesian and
// English; kept as short lists because every word here overrides retrieval.
import { normalise, wordsOf } from '#shared/domain/kb/text.ts';

export const HANDOFF_REASONS = [
  'low-confidence',
  'complaint',
  'data-deletion',
  'money',
  'abusive',
  'person-requested',
  'out-of-scope',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

const ABUSIVE = new Set([
  'anjing',
  'anjir',
  'bangsat',
  'bajingan',
  'goblok',
  'goblog',
  'tolol',
  'bego',
  'idiot',
  'kampret',
  'brengsek',
  'keparat',
  'babi',
  'tai',
  'asu',
  'jancok',
  'jancuk',
  'memek',
  'kontol',
  'ngentot',
  'fuck',
  'fucking',
  'shit',
  'bitch',
  'bastard',
  'stupid',
  'moron',
  'asshole',
  'dumb',
  'becus',
]);

// Phrases on the normalised text (text.ts `normalise`): "katasandi", "email" and the like are already one word.
const RULES: [Exclude<HandoffReason, 'low-confidence' | 'out-of-scope' | 'abusive'>, RegExp][] = [
  [
    'data-deletion',
    /\b(?:hapus|hapuskan|menghapus|dihapus|delete|remove|erase|hilangkan)\b.{0,40}\b(?:data|akun|account|informasi|information|identitas|foto|photo)\b|\bhak\s+(?:untuk\s+)?dilupakan\b|\bright\s+to\s+be\s+forgotten\b|\bgdpr\b|\bpdp\b/,
  ],
  [
    'complaint',
    /\b(?:komplain|complain|complaint|keluhan|mengeluh|mengadu|aduan|pengaduan|laporkan|melaporkan|report)\b.{0,60}\b(?:guru|staf|staff|pegawai|petugas|karyawan|satpam|kepala|wali\s*kelas|operator|teacher|principal|member|person|orang)\b|\b(?:guru|staf|staff|pegawai|petugas|satpam|teacher)\b.{0,40}\b(?:kasar|membentak|memukul|mukul|galak|tidak\s+sopan|gak\s+sopan|rude|hit|abusive|diskriminasi|pilih\s+kasih)\b|\b(?:pelecehan|harassment|harass|harassed|bullying|perundungan|dibully|kekerasan|violence|pungli|pungutan\s+liar|suap|sogok|bribe|bribery|korupsi|corruption)\b/,
  ],
  [
    'money',
    /\b(?:refund|pengembalian\s+(?:dana|uang)|uang\s*(?:nya\s+)?kembali|dikembalikan|kembalikan|reimburse|reimbursement|gaji|salary|honor|honorer|tunjangan|insentif|allowance|pinjaman|loan|utang|hutang|denda|fine|terpotong\s+dua\s+kali|bayar\s+dua\s+kali|double\s+(?:payment|charged)|charged\s+twice|salah\s+transfer|wrong\s+transfer)\b/,
  ],
  [
    'person-requested',
    /\b(?:bicara|ngomong|chat|hubungi|sambungkan|talk|speak)\b.{0,30}\b(?:orang|manusia|petugas|admin|operator\s+manusia|cs|human|person|agent|someone|staff)\b|\b(?:human|real\s+person|live\s+agent)\b/,
  ],
];

/** A request the bot must hand to a person whatever the articles say, or undefined. */
export const sensitiveReason = (message: string): HandoffReason | undefined => {
  if (wordsOf(message).some((word) => ABUSIVE.has(word))) return 'abusive';
  const text = normalise(message);
  return RULES.find(([, pattern]) => pattern.test(text))?.[0];
};

const YES = new Set([
  'ya',
  'iya',
  'y',
  'yes',
  'yup',
  'yep',
  'ok',
  'oke',
  'okay',
  'okey',
  'boleh',
  'mau',
  'setuju',
  'sure',
  'please',
  'silakan',
  'lanjut',
  'buat',
  'buatkan',
]);
const NO = new Set(['tidak', 'no', 'nope', 'tdk', 'gak', 'ga', 'nggak', 'enggak', 'jangan', 'batal', 'cancel', 'nanti', 'later', 'cukup']);
/** Words that go with a yes or a no and change nothing ("ya, buatkan tiketnya dong"). */
const FILLER = new Set([
  'saja',
  'aja',
  'dong',
  'deh',
  'kak',
  'pak',
  'bu',
  'tiket',
  'tiketnya',
  'ticket',
  'a',
  'one',
  'usah',
  'thanks',
  'thank',
  'you',
  'makasih',
  'terima',
  'kasih',
]);

/** A short yes or no to the bot's offer ("ya", "iya boleh", "no thanks"); anything longer is a new message. */
export const replyTo = (message: string): 'yes' | 'no' | undefined => {
  const words = normalise(message).match(/[a-z]+/g) ?? [];
  if (words.length === 0 || words.length > 5) return undefined;
  const content = words.filter((word) => !FILLER.has(word));
  if (content.length === 0) return undefined;
  if (content.every((word) => YES.has(word))) return 'yes';
  if (NO.has(content[0]!)) return 'no';
  return undefined;
};

const GREETING =
  /^(?:halo|hallo|hai|hi|hello|hey|pagi|siang|sore|malam|selamat\s+(?:pagi|siang|sore|malam)|assalamualaikum|permisi|test|tes)\b/;
const THANKS = /\b(?:terima\s*kasih|makasih|trims|thanks|thank\s+you|thx|tq)\b/;

/** Greetings and thanks with no question in them. */
export const smallTalk = (message: string): 'greeting' | 'thanks' | undefined => {
  const text = normalise(message).trim();
  if (THANKS.test(text)) return 'thanks';
  if (GREETING.test(text)) return 'greeting';
  return undefined;
};

/** A mistyped or shortened address is asked again; this only finds one that looks whole. */
export const emailIn = (message: string): string | undefined =>
  /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/.exec(message)?.[0]?.toLowerCase();
