// The console's security headers, one definition for CloudFront's response headers policy and the
// sandbox's static server. No inline script or style anywhere: the app is one module script and one
// stylesheet from its own origin.

/** Content-Security-Policy of the console; `connect` lists the origins it calls (the API, Cognito's token endpoint). */
export const consoleCsp = (connect: string[]): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');

/** The other headers CloudFront adds (HSTS only over HTTPS: the sandbox serves plain HTTP on loopback). */
export const CONSOLE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** Headers the browser may read from the API's answers (CORS): versions, new resources, waits, replays. */
export const API_EXPOSED_HEADERS = ['etag', 'location', 'retry-after', 'idempotent-replayed'];
/**
 * Methods the console may call the API with, answered to a preflight (by API Gateway on AWS, by the sandbox's
 * gateway locally): every method a route has (a unit test holds this to shared/http/routes.ts), and OPTIONS.
 */
export const API_ALLOWED_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'] as const;
/** Request headers the console sends to the API. */
export const API_ALLOWED_HEADERS = ['authorization', 'content-type', 'if-match', 'idempotency-key'];
/**
 * The browser's upload of a file (a presigned PUT into the mail bucket, docs/decisions.md "Attachments in the
 * console"): the only method the bucket's CORS rule allows, and the only header the console sends with it.
 */
export const UPLOAD_CORS = { methods: ['PUT'], headers: ['content-type'] } as const;
/** How long a browser may keep a preflight's answer (Chromium caps it at two hours). */
export const CORS_MAX_AGE_SECONDS = 7200;
