// The webhook's HTTP call: one POST with Node's fetch, bounded by the subscription's timeout. Redirects are not
// followed (a 3xx is a failed delivery): a signed request goes only to the URL the configuration names.
import type { WebhookRequest } from '#shared/domain/webhooks/webhooks.ts';

export const postWebhook = async (request: WebhookRequest): Promise<{ status: number }> => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  // The body is the receiver's business; read it away so the connection is freed, but never log it.
  await response.arrayBuffer().catch(() => undefined);
  return { status: response.status };
};
