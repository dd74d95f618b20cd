import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseBody } from '#shared/http/middleware/body-parser.ts';
import { requireContentType } from '#shared/http/middleware/content-type.ts';
import { validateBody, validateQuery } from '#shared/http/middleware/validate-request.ts';
import { refusal, runMiddleware } from './run-middleware.ts';

const body = z.strictObject({ subject: z.string().min(1), urgency: z.enum(['low', 'high']).default('low') });
const query = z.strictObject({ limit: z.coerce.number().int().max(100).default(25) });

const post = (json: unknown, contentType = 'application/json') =>
  runMiddleware([requireContentType({ form: true }), parseBody(), validateBody(body)], {
    body: typeof json === 'string' ? json : JSON.stringify(json),
    headers: { 'content-type': contentType },
  });

describe('validateBody', () => {
  it('hands on the schema’s output, defaults filled in', async () => {
    expect((await post({ subject: 'Wi-Fi' })).parsedBody).toEqual({ subject: 'Wi-Fi', urgency: 'low' });
  });

  it('refuses a body that does not fit, naming each field, unknown ones too', async () => {
    const error = await refusal(post({ subject: '', urgency: 'extreme', colour: 'red' }));
    expect(error.message).toBe('The request body is not valid.');
    expect(error.details.errors?.map((problem) => problem.path).sort()).toEqual(['colour', 'subject', 'urgency']);
  });

  it('says "the form" when a form does not fit', async () => {
    expect((await refusal(post('subject=', 'application/x-www-form-urlencoded'))).message).toBe('The form is not valid.');
  });

  it('names the body itself when it is not an object', async () => {
    expect((await refusal(post([1]))).details.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });
});

describe('validateQuery', () => {
  it('hands on the query’s output, defaults filled in and strings coerced', async () => {
    expect((await runMiddleware([validateQuery(query)], { method: 'GET', query: { limit: '10' } })).parsedQuery).toEqual({ limit: 10 });
    expect((await runMiddleware([validateQuery(query)], { method: 'GET' })).parsedQuery).toEqual({ limit: 25 });
  });

  it('refuses a query that does not fit, naming the parameter', async () => {
    const error = await refusal(runMiddleware([validateQuery(query)], { method: 'GET', query: { limit: '500' } }));
    expect(error.message).toBe('The query string is not valid.');
    expect(error.details.errors?.[0]?.path).toBe('limit');
  });
});
