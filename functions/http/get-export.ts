// GET /admin/export/{id} — an export as it stands: 202 while it runs (poll again after Retry-After), 200 with a
// download link (one hour) once done, 200 with status failed when it was given up. Admins only.
import { exportStatus } from '#shared/domain/portability/export-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { exportDeps } from '#shared/wiring/export-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => {
  const view = await exportStatus(exportDeps(), identity, pathParameters.id ?? '');
  return view.status === 'running' ? { status: 202, headers: { 'retry-after': '5' }, body: view } : { status: 200, body: view };
});
