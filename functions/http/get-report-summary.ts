// GET /reports/summary?from=&to=&team= — the desk's figures for a range of local dates (leads and admins);
// JSON, or CSV when the client asks for text/csv.

import { reportCsv, reportQuerySchema, summaryReport } from '#shared/domain/reports/reports.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { statsDeps } from '#shared/wiring/stats-deps.ts';

const wantsCsv = (accept: string | undefined) => !!accept && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);

export const handler = httpHandler({ query: reportQuerySchema }, async ({ identity, query, headers }) => {
  const report = await summaryReport(statsDeps(), identity, query);
  if (!wantsCsv(headers.accept)) return { status: 200, body: report };
  const name = `helpdesk-summary-${report.from}-${report.to}${report.team ? `-${report.team}` : ''}.csv`;
  return {
    status: 200,
    text: reportCsv(report),
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, vary: 'accept' },
  };
});
