import { describe, expect, it } from 'vitest';
import { parseBody } from '#shared/http/middleware/body-parser.ts';
import { bodySizeLimit } from '#shared/http/middleware/body-size-limit.ts';
import { requireContentType } from '#shared/http/middleware/content-type.ts';
import { refusal, runMiddleware } from './run-middleware.ts';

const parse = (body: string | undefined, contentType = 'application/json') =>
  runMiddleware([bodySizeLimit({ maxBytes: () => 1000 }), requireContentType({ form: true }), parseBody()], {
    ...(body === undefined ? {} : { body }),
    headers: { 'content-type': contentType },
  });

describe('parseBody', () => {
  it('parses a JSON body', async () => {
    expect((await parse('{"subject":"Wi-Fi","tags":[1]}')).parsedBody).toEqual({ subject: 'Wi-Fi', tags: [1] });
  });

  it('parses a form’s fields as strings', async () => {
    expect((await parse('rating=4&comment=Cepat+sekali%21', 'application/x-www-form-urlencoded')).parsedBody).toEqual({
      rating: '4',
      comment: 'Cepat sekali!',
    });
  });

  it('refuses an empty JSON body, naming (body)', async () => {
    const error = await refusal(parse(undefined));
    expect(error.kind).toBe('validation');
    expect(error.message).toBe('The request needs a JSON body.');
    expect(error.details.errors).toEqual([{ path: '(body)', message: 'is required' }]);
  });

  it('refuses JSON that does not parse, saying why', async () => {
    const error = await refusal(parse('{"subject":'));
    expect(error.message).toBe('The request body is not valid JSON.');
    expect(error.details.errors?.[0]).toMatchObject({ path: '(body)', message: expect.stringMatching(/^is not valid JSON: /) });
  });
});
