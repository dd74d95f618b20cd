// The words of the macros screens: Indonesian first, English by the header's switch (the same `lang` as
// i18n.ts). Kept beside these screens so that they travel in their chunk, not in every first load.
import { lang } from '../i18n.ts';

const id = {
  'macros.title': 'Makro dan balasan siap pakai',
  'macros.intro':
    'Makro mengisi balasan dan mengubah tiket sekaligus, dari panel Makro di halaman tiket. Makro pribadi hanya untuk Anda; makro bersama untuk semua staf (ditulis ketua tim dan admin); makro bawaan berasal dari konfigurasi.',
  'macros.new': 'Makro baru',
  'macros.personal': 'Milik saya',
  'macros.shared': 'Bersama',
  'macros.default': 'Bawaan dari konfigurasi',
  'macros.none': 'Belum ada.',
  'macros.readOnly': 'hanya dibaca',
  'macros.noChanges': 'hanya balasan',
  'macros.deleted': 'Makro “{name}” dihapus. Yang sudah dilakukannya pada tiket tetap tercatat.',
  'macros.back': 'Kembali ke daftar makro',
  'macros.editTitle': 'Ubah makro',
  'macros.newTitle': 'Makro baru',
  'macros.notFound': 'Makro ini tidak ada, atau bukan milik Anda.',
  'field.scope': 'Untuk siapa',
  'macros.scope.personal': 'Hanya saya',
  'macros.scope.shared': 'Semua staf',
  'field.name': 'Nama',
  'field.name.id': 'Nama (Bahasa Indonesia)',
  'field.name.en': 'Nama (English)',
  'field.reply': 'Balasan',
  'field.reply.id': 'Balasan (Bahasa Indonesia, tidak wajib)',
  'field.reply.en': 'Balasan (English, tidak wajib)',
  'macros.replyHelp':
    'Dikirim dalam bahasa pemohon; isi keduanya atau kosongkan keduanya. Penanda: {{requester.name}}, {{ticket.number}}, {{ticket.subject}}, {{ticket.status}}, {{ticket.category}}, {{team.name}}, {{agent.name}}, {{organisation.name}}.',
  'field.visibility': 'Balasan dikirim sebagai',
  'macros.visibility.public': 'Balasan ke pemohon',
  'macros.visibility.internal': 'Catatan internal (pemohon tidak melihatnya)',
  'macros.changes': 'Perubahan pada tiket (tidak wajib)',
  'field.actions': 'Perubahan',
  'field.status': 'Status',
  'field.priority': 'Prioritas',
  'field.team': 'Tim',
  'field.assignee': 'Petugas',
  'field.addTags': 'Tambah tag',
  'field.removeTags': 'Hapus tag',
  'macros.tagsHelp': 'Dipisah koma, huruf kecil dan tanda minus, misalnya wifi-lab.',
  'macros.noChange': 'Tidak diubah',
  'macros.assignMe': 'Yang menerapkan makro',
  'macros.assignNone': 'Tidak ada (lepas)',
  'macros.save': 'Simpan',
  'macros.saving': 'Menyimpan…',
  'macros.saved': 'Tersimpan (versi {version}).',
  'macros.delete': 'Hapus makro',
  'macros.deleteConfirm': 'Hapus makro “{name}”? Ia hilang dari panel Makro; yang sudah dilakukannya pada tiket tetap tercatat.',
  'macros.deleteYes': 'Ya, hapus',
  'macros.cancel': 'Batal',
  'macros.stale': 'Makro ini diubah orang lain sejak Anda membukanya. Salin perubahan Anda bila perlu, lalu muat versi terbaru.',
  'macros.loadLatest': 'Muat versi terbaru',
};

export type MacrosKey = keyof typeof id;

const en: Record<MacrosKey, string> = {
  'macros.title': 'Macros and canned replies',
  'macros.intro':
    "A macro fills in a reply and changes the ticket at once, from the Macro panel on a ticket's page. Personal macros are yours alone; shared ones are for all staff (written by team leads and admins); the defaults come from the configuration.",
  'macros.new': 'New macro',
  'macros.personal': 'Mine',
  'macros.shared': 'Shared',
  'macros.default': 'Defaults from the configuration',
  'macros.none': 'None yet.',
  'macros.readOnly': 'read-only',
  'macros.noChanges': 'reply only',
  'macros.deleted': 'Macro “{name}” was deleted. What it did to tickets stays in their history.',
  'macros.back': 'Back to the macros',
  'macros.editTitle': 'Edit macro',
  'macros.newTitle': 'New macro',
  'macros.notFound': 'This macro does not exist, or is not yours.',
  'field.scope': 'For whom',
  'macros.scope.personal': 'Only me',
  'macros.scope.shared': 'All staff',
  'field.name': 'Name',
  'field.name.id': 'Name (Bahasa Indonesia)',
  'field.name.en': 'Name (English)',
  'field.reply': 'Reply',
  'field.reply.id': 'Reply (Bahasa Indonesia, optional)',
  'field.reply.en': 'Reply (English, optional)',
  'macros.replyHelp':
    "Sent in the requester's language; fill in both or neither. Placeholders: {{requester.name}}, {{ticket.number}}, {{ticket.subject}}, {{ticket.status}}, {{ticket.category}}, {{team.name}}, {{agent.name}}, {{organisation.name}}.",
  'field.visibility': 'The reply goes as',
  'macros.visibility.public': 'A reply to the requester',
  'macros.visibility.internal': 'An internal note (the requester does not see it)',
  'macros.changes': 'Changes to the ticket (optional)',
  'field.actions': 'Changes',
  'field.status': 'Status',
  'field.priority': 'Priority',
  'field.team': 'Team',
  'field.assignee': 'Assignee',
  'field.addTags': 'Add tags',
  'field.removeTags': 'Remove tags',
  'macros.tagsHelp': 'Separated by commas, lower-case letters and dashes, such as wifi-lab.',
  'macros.noChange': 'Unchanged',
  'macros.assignMe': 'Whoever applies the macro',
  'macros.assignNone': 'Nobody (unassign)',
  'macros.save': 'Save',
  'macros.saving': 'Saving…',
  'macros.saved': 'Saved (version {version}).',
  'macros.delete': 'Delete macro',
  'macros.deleteConfirm': 'Delete the macro “{name}”? It leaves the Macro panel; what it did to tickets stays in their history.',
  'macros.deleteYes': 'Yes, delete',
  'macros.cancel': 'Cancel',
  'macros.stale': 'Someone else changed this macro since you opened it. Copy your changes if you need them, then load the latest version.',
  'macros.loadLatest': 'Load the latest version',
};

const CATALOGUE = { id, en } as const;

export const tm = (key: MacrosKey, params: Record<string, string | number> = {}): string =>
  CATALOGUE[lang.get()][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

/** For keys built at run time (`field.${path}`): falls back to the last part of the key. */
export const tmKey = (key: string): string => (key in id ? tm(key as MacrosKey) : key.slice(key.lastIndexOf('.') + 1));
