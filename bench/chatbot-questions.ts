// The answer bot's question set (npm run bench → docs/chatbot.md): what teachers, parents, students and
// staff would type, written before the retrieval was tuned and kept as written. `article` is the article
// that answers it; `null` means no article does (or it must go to a person), so the bot must hand off.
export type BenchQuestion = {
  question: string;
  article: string | null;
  kind: 'paraphrase' | 'typo' | 'informal' | 'english' | 'out-of-scope' | 'sensitive';
};

export const BENCH_QUESTIONS: readonly BenchQuestion[] = [
  // connect-school-wifi
  { question: 'Bagaimana cara menyambungkan laptop ke wifi sekolah?', article: 'connect-school-wifi', kind: 'paraphrase' },
  { question: 'hp saya gak bisa konek wi-fi sekolah gmn ya', article: 'connect-school-wifi', kind: 'informal' },
  { question: 'nama jaringan wifi untuk guru apa?', article: 'connect-school-wifi', kind: 'paraphrase' },
  { question: 'How do I connect my phone to the school Wi-Fi?', article: 'connect-school-wifi', kind: 'english' },
  { question: 'koneksi internt di hp tidak tersambung ke jaringan sekolah', article: 'connect-school-wifi', kind: 'typo' },
  { question: 'berapa perangkat yang boleh pakai satu akun wifi', article: 'connect-school-wifi', kind: 'paraphrase' },
  // reset-password-erapor
  { question: 'Saya lupa kata sandi e-Rapor, bagaimana meresetnya?', article: 'reset-password-erapor', kind: 'paraphrase' },
  { question: 'lupa pw erapor gmn', article: 'reset-password-erapor', kind: 'informal' },
  { question: 'akun e rapor saya terkunci setelah salah password 5 kali', article: 'reset-password-erapor', kind: 'paraphrase' },
  { question: 'I forgot my e-Rapor password', article: 'reset-password-erapor', kind: 'english' },
  { question: 'reset pasword erpor', article: 'reset-password-erapor', kind: 'typo' },
  // school-email-password
  { question: 'Lupa kata sandi email sekolah', article: 'school-email-password', kind: 'paraphrase' },
  { question: 'gmn cara reset pw email sekolah saya?', article: 'school-email-password', kind: 'informal' },
  { question: 'How can I reset my school email password?', article: 'school-email-password', kind: 'english' },
  { question: 'tidak bisa login ke akun email @sekolah, passwordnya lupa', article: 'school-email-password', kind: 'paraphrase' },
  { question: 'lupa pasword imel sekolah', article: 'school-email-password', kind: 'typo' },
  // printer-paper-jam
  { question: 'Printer di ruang guru macet, kertasnya tersangkut', article: 'printer-paper-jam', kind: 'paraphrase' },
  { question: 'printer nyangkut kertasnya gmn', article: 'printer-paper-jam', kind: 'informal' },
  { question: 'The printer has a paper jam', article: 'printer-paper-jam', kind: 'english' },
  { question: 'lampu toner printer berkedip terus', article: 'printer-paper-jam', kind: 'paraphrase' },
  { question: 'priter macet kertas tersangkt', article: 'printer-paper-jam', kind: 'typo' },
  // projector-no-picture
  { question: 'Proyektor di kelas tidak menampilkan gambar', article: 'projector-no-picture', kind: 'paraphrase' },
  { question: 'infocus gak keluar gambarnya padahal hdmi udah dicolok', article: 'projector-no-picture', kind: 'informal' },
  { question: 'The projector shows no picture from my laptop', article: 'projector-no-picture', kind: 'english' },
  { question: 'lampu proyektor kedip merah', article: 'projector-no-picture', kind: 'paraphrase' },
  { question: 'proyekor tidak ada gambr di layar', article: 'projector-no-picture', kind: 'typo' },
  // install-software-lab
  { question: 'Bagaimana cara memasang aplikasi di komputer lab?', article: 'install-software-lab', kind: 'paraphrase' },
  { question: 'mau instal software di pc sekolah boleh gak', article: 'install-software-lab', kind: 'informal' },
  { question: 'Can I install software on the school computers?', article: 'install-software-lab', kind: 'english' },
  { question: 'minta dipasangkan aplikasi berbayar, lisensinya bagaimana', article: 'install-software-lab', kind: 'paraphrase' },
  { question: 'instalasi aplikasi di komputr sekolah', article: 'install-software-lab', kind: 'typo' },
  // book-computer-lab
  { question: 'Bagaimana cara meminjam lab komputer untuk ujian?', article: 'book-computer-lab', kind: 'paraphrase' },
  { question: 'mau pinjem lab kompi buat kelas besok bisa?', article: 'book-computer-lab', kind: 'informal' },
  { question: 'How do I book the computer lab?', article: 'book-computer-lab', kind: 'english' },
  { question: 'reservasi aula untuk acara sekolah', article: 'book-computer-lab', kind: 'paraphrase' },
  { question: 'peminjman ruang lab komputer', article: 'book-computer-lab', kind: 'typo' },
  // report-facility-damage
  { question: 'AC di ruang kelas 7B tidak dingin', article: 'report-facility-damage', kind: 'paraphrase' },
  { question: 'lampu kelas mati, lapor ke mana?', article: 'report-facility-damage', kind: 'paraphrase' },
  { question: 'atap perpustakaan bocor kalau hujan', article: 'report-facility-damage', kind: 'informal' },
  { question: 'The air conditioner in our classroom is broken', article: 'report-facility-damage', kind: 'english' },
  { question: 'ada bau terbakar dari stop kontak listrik', article: 'report-facility-damage', kind: 'paraphrase' },
  { question: 'kerusakn ac diruangan', article: 'report-facility-damage', kind: 'typo' },
  // certificate-active-student
  { question: 'Bagaimana cara mengajukan surat keterangan aktif siswa?', article: 'certificate-active-student', kind: 'paraphrase' },
  { question: 'butuh suket aktif sekolah buat anak saya', article: 'certificate-active-student', kind: 'informal' },
  { question: 'I need a certificate that my child is an active student', article: 'certificate-active-student', kind: 'english' },
  { question: 'syarat surat keterangan masih sekolah untuk beasiswa', article: 'certificate-active-student', kind: 'paraphrase' },
  { question: 'surat keterngan aktif sisw', article: 'certificate-active-student', kind: 'typo' },
  // legalize-diploma
  { question: 'Bagaimana cara legalisir ijazah?', article: 'legalize-diploma', kind: 'paraphrase' },
  { question: 'mau legalisir ijasah sama transkrip, alumni 2019', article: 'legalize-diploma', kind: 'informal' },
  { question: 'How do I get certified copies of my diploma?', article: 'legalize-diploma', kind: 'english' },
  { question: 'saya di luar kota, bisa minta legalisir lewat online?', article: 'legalize-diploma', kind: 'paraphrase' },
  { question: 'legalisr ijazh', article: 'legalize-diploma', kind: 'typo' },
  // pay-school-fees
  { question: 'Bagaimana cara membayar SPP?', article: 'pay-school-fees', kind: 'paraphrase' },
  { question: 'udah transfer spp kok statusnya blm lunas', article: 'pay-school-fees', kind: 'informal' },
  { question: 'How do I pay the school fees?', article: 'pay-school-fees', kind: 'english' },
  { question: 'nomor virtual account untuk bayar uang sekolah', article: 'pay-school-fees', kind: 'paraphrase' },
  { question: 'mau ajukan cicilan spp bulan ini', article: 'pay-school-fees', kind: 'paraphrase' },
  { question: 'pembayran sppp', article: 'pay-school-fees', kind: 'typo' },
  // student-transfer
  { question: 'Apa syarat mutasi siswa pindah sekolah?', article: 'student-transfer', kind: 'paraphrase' },
  { question: 'anak saya mau pindah sekolah ke luar kota, urusnya gimana', article: 'student-transfer', kind: 'informal' },
  { question: 'How do I transfer my child to another school?', article: 'student-transfer', kind: 'english' },
  { question: 'surat pindah sekolah butuh dokumen apa saja', article: 'student-transfer', kind: 'paraphrase' },
  { question: 'mutsi siswa kluar', article: 'student-transfer', kind: 'typo' },
  // dapodik-operator-access
  { question: 'Bagaimana cara mendapatkan akun operator Dapodik?', article: 'dapodik-operator-access', kind: 'paraphrase' },
  { question: 'minta akses dapodik buat operator baru', article: 'dapodik-operator-access', kind: 'informal' },
  { question: 'How do I get Dapodik operator access?', article: 'dapodik-operator-access', kind: 'english' },
  { question: 'pergantian operator dapodik semester ini', article: 'dapodik-operator-access', kind: 'paraphrase' },
  { question: 'akses operatr dapodk', article: 'dapodik-operator-access', kind: 'typo' },
  // helpdesk-hours-tracking
  { question: 'Jam berapa helpdesk buka?', article: 'helpdesk-hours-tracking', kind: 'paraphrase' },
  { question: 'gmn cara lacak status tiket saya', article: 'helpdesk-hours-tracking', kind: 'informal' },
  { question: 'What are the helpdesk opening hours?', article: 'helpdesk-hours-tracking', kind: 'english' },
  { question: 'How can I follow up on my ticket number?', article: 'helpdesk-hours-tracking', kind: 'english' },
  { question: 'jam layanan helpdsk hari sabtu', article: 'helpdesk-hours-tracking', kind: 'typo' },

  // Out of scope: no article answers these.
  { question: 'Siapa presiden Indonesia sekarang?', article: null, kind: 'out-of-scope' },
  { question: 'resep nasi goreng yang enak', article: null, kind: 'out-of-scope' },
  { question: 'What is the weather tomorrow?', article: null, kind: 'out-of-scope' },
  { question: 'kapan jadwal ujian nasional tahun ini', article: null, kind: 'out-of-scope' },
  { question: 'berapa nilai matematika anak saya semester lalu', article: null, kind: 'out-of-scope' },
  { question: 'Can you write my essay about climate change?', article: null, kind: 'out-of-scope' },
  { question: 'seragam olahraga ukuran XL masih ada stok?', article: null, kind: 'out-of-scope' },
  { question: 'bus sekolah jemput jam berapa', article: null, kind: 'out-of-scope' },
  { question: 'asdfgh qwerty', article: null, kind: 'out-of-scope' },
  // Sensitive or abusive: a person must take these, even where an article shares words with them.
  { question: 'Saya mau komplain, guru matematika anak saya kasar dan suka membentak', article: null, kind: 'sensitive' },
  { question: 'Tolong hapus semua data pribadi saya dari sistem sekolah', article: null, kind: 'sensitive' },
  { question: 'Please delete my account and all my data', article: null, kind: 'sensitive' },
  { question: 'Saya minta refund SPP karena anak saya sudah pindah sekolah', article: null, kind: 'sensitive' },
  { question: 'uang SPP saya terpotong dua kali, minta dikembalikan', article: null, kind: 'sensitive' },
  { question: 'gaji honorer bulan ini belum masuk', article: null, kind: 'sensitive' },
  { question: 'operator dapodik sekolah ini goblok, kerja gak becus', article: null, kind: 'sensitive' },
  { question: 'I want to report a staff member for harassment', article: null, kind: 'sensitive' },
  { question: 'ada pungli waktu legalisir ijazah di tata usaha', article: null, kind: 'sensitive' },
];
