import { describe, expect, it } from 'vitest';
import { bodySizeLimit } from '#shared/http/middleware/body-size-limit.ts';
import { refusal, runMiddleware } from './run-middleware.ts';

describe('bodySizeLimit', () => {
  it('hands on the body’s bytes when they are within the limit', async () => {
    const event = await runMiddleware([bodySizeLimit({ maxBytes: () => 10 })], { body: 'ąbc' });
    expect(event.bodyBytes).toEqual(Buffer.from('ąbc', 'utf8'));
  });

  it('counts the bytes API Gateway base64-encoded, decoded', async () => {
    const event = await runMiddleware([bodySizeLimit({ maxBytes: () => 5 })], {
      body: Buffer.from('12345').toString('base64'),
      isBase64Encoded: true,
    });
    expect(event.bodyBytes?.toString()).toBe('12345');
  });

  it('refuses a body over the limit as 413, saying both sizes', async () => {
    const error = await refusal(runMiddleware([bodySizeLimit({ maxBytes: () => 4 })], { body: 'ąbcd' }));
    expect(error.kind).toBe('payload-too-large');
    expect(error.message).toBe('The request body is 5 bytes; the limit is 4 bytes.');
  });

  it('takes no body as empty', async () => {
    const event = await runMiddleware([bodySizeLimit({ maxBytes: () => 0 })]);
    expect(event.bodyBytes).toEqual(Buffer.alloc(0));
  });
});
