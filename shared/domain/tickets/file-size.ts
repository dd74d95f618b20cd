// A file's size as people read it ("850 KB", "12,3 MB"), in the language of the page that shows it: the console's
// file pickers and the API's own tracking page say sizes alike.
import type { Language } from '#shared/config/config-values.ts';

export const formatBytes = (bytes: number, language: Language): string => {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'B'];
  const digits = unit !== 'B' && value < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: digits }).format(value)} ${unit}`;
};
