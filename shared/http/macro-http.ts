// HTTP details of the macro routes: the macro id in the path and its version as the ETag.
import { notFound } from '#shared/domain/errors.ts';
import type { Macro } from '#shared/domain/macros/macros.ts';

/** A configured macro's id is a slug, a stored one a ULID; anything else names no macro. */
export const macroIdFrom = (pathParameters: Record<string, string>, name = 'id'): string => {
  const id = decodeURIComponent(pathParameters[name] ?? '');
  if (!/^(?:[a-z0-9][a-z0-9-]{0,62}|[0-9A-HJKMNP-TV-Z]{26})$/.test(id)) throw notFound(`Macro ${id.slice(0, 64)} was not found.`);
  return id;
};

export const macroHeaders = (macro: Macro): Record<string, string> => ({ etag: `"${macro.version}"` });
