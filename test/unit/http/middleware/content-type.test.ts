import { describe, expect, it } from 'vitest';
import { requireContentType } from '#shared/http/middleware/content-type.ts';
import { refusal, runMiddleware } from './run-middleware.ts';

const withType = (contentType: string) => ({ body: '{}', headers: { 'content-type': contentType } });

describe('requireContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/problem+json'])(
    'takes %s as JSON',
    async (type) => {
      expect((await runMiddleware([requireContentType()], withType(type))).bodyFormat).toBe('json');
    },
  );

  it('takes a form where the route allows one', async () => {
    const event = await runMiddleware([requireContentType({ form: true })], withType('application/x-www-form-urlencoded; charset=UTF-8'));
    expect(event.bodyFormat).toBe('form');
  });

  it('refuses a form where the route does not allow one, as 415 saying what to send', async () => {
    const error = await refusal(runMiddleware([requireContentType()], withType('application/x-www-form-urlencoded')));
    expect(error.kind).toBe('unsupported-media-type');
    expect(error.message).toBe('Send the body as JSON with "Content-Type: application/json" (got "application/x-www-form-urlencoded").');
  });

  it('refuses a body without a content type, naming none', async () => {
    const error = await refusal(runMiddleware([requireContentType({ form: true })], { body: '{}' }));
    expect(error.message).toContain('(got "none")');
  });

  it('refuses a type that only starts like JSON', async () => {
    expect((await refusal(runMiddleware([requireContentType()], withType('application/jsonp')))).kind).toBe('unsupported-media-type');
  });
});
