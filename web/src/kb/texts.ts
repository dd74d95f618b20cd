// The words of the knowledge-base screens for staff: Indonesian first, English by the header's switch (the same
// `lang` as i18n.ts). Kept beside these screens so that they travel in their chunk, not in every first load.
import { lang } from '../i18n.ts';

const id = {
  'kb.title': 'Basis pengetahuan',
  'kb.intro':
    'Artikel yang terbit disarankan kepada pemohon saat menulis permintaan dan dipakai bot untuk menjawab. Draf hanya dilihat staf.',
  'kb.new': 'Artikel baru',
  'kb.drafts': 'Draf',
  'kb.published': 'Terbit',
  'kb.noDrafts': 'Tidak ada draf.',
  'kb.noPublished': 'Belum ada artikel yang terbit.',
  'kb.filter': 'Saring menurut judul, kata kunci atau kategori',
  'kb.noMatch': 'Tidak ada yang cocok.',
  'kb.updated': 'diubah {when}',
  'kb.deleted': 'Artikel {id} dihapus. Riwayatnya tetap tersimpan.',
  'kb.back': 'Kembali ke basis pengetahuan',
  'kb.editTitle': 'Ubah artikel',
  'kb.newTitle': 'Artikel baru',
  'kb.statusDraft': 'Draf',
  'kb.statusPublished': 'Terbit',
  'kb.version': 'Versi {version}',
  'field.title': 'Judul',
  'field.title_en': 'Judul dalam bahasa Inggris (tidak wajib)',
  'field.id': 'Alamat artikel (tidak wajib)',
  'field.idHelp': 'Huruf kecil, angka dan tanda minus, misalnya reset-kata-sandi. Bila kosong, dibuat dari judul. Tidak bisa diubah nanti.',
  'field.category': 'Kategori',
  'field.language': 'Bahasa artikel',
  'field.tags': 'Kata kunci (tidak wajib)',
  'field.tagsHelp': 'Dipisah koma. Membantu saran dan bot menemukan artikel ini.',
  'field.status': 'Status',
  'field.body': 'Isi',
  'field.bodyHelp':
    'Markdown: **tebal**, daftar bernomor dengan "1.", tautan [teks](https://…). Paragraf terakhir yang diawali "English:" (atau "Indonesia:" pada artikel berbahasa Inggris) adalah versi bahasa lainnya.',
  'kb.language.id': 'Bahasa Indonesia',
  'kb.language.en': 'English',
  'kb.status.draft': 'Draf: hanya staf yang melihatnya',
  'kb.status.published': 'Terbit: pemohon dan bot melihatnya',
  'kb.chooseCategory': 'Pilih kategori',
  'kb.save': 'Simpan',
  'kb.saving': 'Menyimpan…',
  'kb.restored': 'Perubahan yang belum Anda simpan dikembalikan.',
  'kb.saved': 'Tersimpan sebagai versi {version}.',
  'kb.preview': 'Seperti yang dilihat pemohon',
  'kb.delete': 'Hapus artikel',
  'kb.deleteConfirm':
    'Hapus “{title}”? Pemohon dan bot tidak lagi melihatnya. Riwayatnya tetap tersimpan, dan alamatnya tidak bisa dipakai lagi.',
  'kb.deleteYes': 'Ya, hapus',
  'kb.cancel': 'Batal',
  'kb.gone': 'Artikel ini sudah dihapus ({when}). Riwayatnya ada di bawah.',
  'kb.stale': 'Artikel ini diubah orang lain sejak Anda membukanya. Salin perubahan Anda bila perlu, lalu muat versi terbaru.',
  'kb.loadLatest': 'Muat versi terbaru',
  'kb.history': 'Riwayat',
  'kb.event.ArticleCreated': 'dibuat',
  'kb.event.ArticleUpdated': 'diubah',
  'kb.event.ArticleDeleted': 'dihapus',
  'kb.by': 'oleh {who}',
};

export type KbKey = keyof typeof id;

const en: Record<KbKey, string> = {
  'kb.title': 'Knowledge base',
  'kb.intro':
    'Published articles are suggested to requesters while they write a request, and the answer bot answers from them. Drafts are seen by staff only.',
  'kb.new': 'New article',
  'kb.drafts': 'Drafts',
  'kb.published': 'Published',
  'kb.noDrafts': 'No drafts.',
  'kb.noPublished': 'No published articles yet.',
  'kb.filter': 'Filter by title, keyword or category',
  'kb.noMatch': 'Nothing matches.',
  'kb.updated': 'changed {when}',
  'kb.deleted': 'Article {id} was deleted. Its history is kept.',
  'kb.back': 'Back to the knowledge base',
  'kb.editTitle': 'Edit article',
  'kb.newTitle': 'New article',
  'kb.statusDraft': 'Draft',
  'kb.statusPublished': 'Published',
  'kb.version': 'Version {version}',
  'field.title': 'Title',
  'field.title_en': 'Title in English (optional)',
  'field.id': 'Article address (optional)',
  'field.idHelp': 'Lower-case letters, digits and dashes, such as reset-password. Made from the title when empty. Cannot be changed later.',
  'field.category': 'Category',
  'field.language': "Article's language",
  'field.tags': 'Keywords (optional)',
  'field.tagsHelp': 'Separated by commas. They help the suggestions and the bot find this article.',
  'field.status': 'Status',
  'field.body': 'Text',
  'field.bodyHelp':
    'Markdown: **bold**, numbered lists with "1.", links [text](https://…). A last paragraph starting "Indonesia:" (or "English:" in an Indonesian article) is the other language\'s version.',
  'kb.language.id': 'Bahasa Indonesia',
  'kb.language.en': 'English',
  'kb.status.draft': 'Draft: seen by staff only',
  'kb.status.published': 'Published: requesters and the bot see it',
  'kb.chooseCategory': 'Choose a category',
  'kb.save': 'Save',
  'kb.saving': 'Saving…',
  'kb.restored': 'Your unsaved changes were brought back.',
  'kb.saved': 'Saved as version {version}.',
  'kb.preview': 'As requesters see it',
  'kb.delete': 'Delete article',
  'kb.deleteConfirm':
    'Delete “{title}”? Requesters and the bot will no longer see it. Its history is kept, and its address cannot be used again.',
  'kb.deleteYes': 'Yes, delete',
  'kb.cancel': 'Cancel',
  'kb.gone': 'This article was deleted ({when}). Its history is below.',
  'kb.stale': 'Someone else changed this article since you opened it. Copy your changes if you need them, then load the latest version.',
  'kb.loadLatest': 'Load the latest version',
  'kb.history': 'History',
  'kb.event.ArticleCreated': 'created',
  'kb.event.ArticleUpdated': 'changed',
  'kb.event.ArticleDeleted': 'deleted',
  'kb.by': 'by {who}',
};

const CATALOGUE = { id, en } as const;

export const tk = (key: KbKey, params: Record<string, string | number> = {}): string =>
  CATALOGUE[lang.get()][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));

/** For keys built at run time (`field.${path}`): falls back to the last part of the key. */
export const tkKey = (key: string): string => (key in id ? tk(key as KbKey) : key.slice(key.lastIndexOf('.') + 1));
