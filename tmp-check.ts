import { buildHolidayFile } from './shared/config/generate-public-holidays.ts';
import file from './shared/config/public-holidays.json' with { type: 'json' };
const t = performance.now();
const built = buildHolidayFile('ID', new Date(Date.UTC(2026, 5, 1)));
console.log(performance.now() - t, JSON.stringify(built) === JSON.stringify(file));
