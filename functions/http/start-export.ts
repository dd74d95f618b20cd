// GET /admin/export — starts a full export (or joins the one running) and answers 202 with where to poll it.
// Admins only. GET because the desk's API names it so; it is safe to repeat: a second call joins, not restarts.
import { startExport } from '#shared/domain/portability/export-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { exportDeps } from '#shared/wiring/export-deps.ts';

export const handler = httpHandler({}, async ({ identity }) => {
  const { export: view } = await startExport(exportDeps(), identity);
  return {
    status: 202,
    headers: { location: `/admin/export/${view.id}`, 'retry-after': '5' },
    body: view,
  };
});
