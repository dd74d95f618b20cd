// HTTP details of the people routes (staff and requesters): the id in the path.
import { notFound } from '#shared/domain/errors.ts';

/** The path's id, decoded; a broken %-escape, or an id longer than any that exists (256), names nobody. */
export const personIdFrom = (pathParameters: Record<string, string>): string => {
  let id: string;
  try {
    id = decodeURIComponent(pathParameters.id ?? '');
  } catch {
    throw notFound('No such person.');
  }
  if (id.length === 0 || id.length > 256) throw notFound('No such person.');
  return id;
};
