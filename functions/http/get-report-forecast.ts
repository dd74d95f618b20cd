// GET /reports/forecast?days=14 — expected daily volume per category with an 80% interval (leads and admins).
import { statsDeps } from '#shared/adapters/stats-deps.ts';
import { forecastQuerySchema, forecastReport } from '#shared/domain/forecast.ts';
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({ query: forecastQuerySchema }, async ({ identity, query }) => ({
  status: 200,
  body: await forecastReport(statsDeps(), identity, query),
}));
