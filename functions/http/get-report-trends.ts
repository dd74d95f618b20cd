// GET /reports/trends?team= — last week's unusual categories against the weeks before, each with what to do
// about it (leads for their teams, administrators for any team or the desk).
import { trendQuerySchema, trendReport } from '#shared/domain/reports/trends.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { statsDeps } from '#shared/wiring/stats-deps.ts';

export const handler = httpHandler({ query: trendQuerySchema }, async ({ identity, query }) => ({
  status: 200,
  body: await trendReport(statsDeps(), identity, query),
}));
