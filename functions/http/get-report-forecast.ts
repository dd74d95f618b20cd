// GET /reports/forecast?days=14 — expected daily volume per category with an 80% interval (leads and admins).

import { forecastQuerySchema, forecastReport } from '#shared/domain/reports/forecast.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { statsDeps } from '#shared/wiring/stats-deps.ts';

export const handler = httpHandler({ query: forecastQuerySchema }, async ({ identity, query }) => ({
  status: 200,
  body: await forecastReport(statsDeps(), identity, query),
}));
