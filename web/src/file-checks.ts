// A chosen file checked against config.json's limits before anything is uploaded (attachments.tsx uses these):
// its kind, by the browser's word or by its name; its size, in words people read; how many a message may carry.
import type { ConsoleConfig } from '#shared/console/console-config.ts';
import { formatBytes as formatFileSize } from '#shared/domain/tickets/file-size.ts';
import { lang, t } from './i18n.ts';

type Limits = ConsoleConfig['attachments'];
/** The short name people know each accepted type by, and the file name endings a phone's picker offers. */
const KINDS: Record<string, { label: string; endings: string[] }> = {
  'image/png': { label: 'PNG', endings: ['.png'] },
  'image/jpeg': { label: 'JPEG', endings: ['.jpg', '.jpeg'] },
  'image/gif': { label: 'GIF', endings: ['.gif'] },
  'image/webp': { label: 'WebP', endings: ['.webp'] },
  'application/pdf': { label: 'PDF', endings: ['.pdf'] },
  'text/plain': { label: 'TXT', endings: ['.txt'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word', endings: ['.docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel', endings: ['.xlsx'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { label: 'PowerPoint', endings: ['.pptx'] },
};

/** The file's type: what the browser says, else (an empty type, some phones) what its name ends with. */
export const typeOf = (file: { name: string; type: string }): string => {
  if (file.type) return file.type;
  const name = file.name.toLowerCase();
  return Object.entries(KINDS).find(([, kind]) => kind.endings.some((ending) => name.endsWith(ending)))?.[0] ?? '';
};

/** "850 KB", "12,3 MB": sizes as people read them, in the language shown. */
export const formatBytes = (bytes: number): string => formatFileSize(bytes, lang.get());

export const acceptedKinds = (limits: Limits) => limits.types.map((type) => KINDS[type]?.label ?? type).join(', ');

/** Why a chosen file cannot be sent, in words; undefined when it may be uploaded. `already`: files the message has. */
export const refusalOf = (file: { name: string; type: string; size: number }, limits: Limits, already: number): string | undefined => {
  if (already >= limits.perMessage) return t('files.tooMany', { n: limits.perMessage });
  if (!(limits.types as string[]).includes(typeOf(file))) return t('files.wrongType', { kinds: acceptedKinds(limits) });
  if (file.size === 0) return t('files.empty');
  if (file.size > limits.maxBytes) return t('files.tooLarge', { size: formatBytes(file.size), max: formatBytes(limits.maxBytes) });
  return undefined;
};

/** The file input's `accept`: the types and their name endings (a phone's picker offers those files). */
export const accepts = (limits: Limits) => limits.types.flatMap((type) => [type, ...(KINDS[type]?.endings ?? [])]).join(',');
