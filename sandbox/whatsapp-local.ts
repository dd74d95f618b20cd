// WhatsApp in the sandbox: a stand-in for the Cloud API (Graph API) that speaks its wire format and records
// what the desk sends, and that plays Meta's part in the other direction: `POST /_sandbox/messages` is a
// person writing to the business number, delivered to the webhook as Meta does, its raw body signed with the
// app secret (X-Hub-Signature-256).
//   POST /<version>/<phone number id>/messages   Bearer <access token>; {messaging_product, to, type: text | template, …}
//        → {messaging_product, contacts, messages: [{id}]} | {error: {message, type, code, fbtrace_id}}
//   POST /_sandbox/messages   {from, name?, text | type: image | sticker | audio | reaction, context?},
//                             {notification: <a notification, delivered as it is>} or {again: <id>}  → {id, status, body}
//   GET  /_sandbox/sent?to=   what the desk sent (to one number)
// Like WhatsApp, it refuses a wrong token (401, code 190), free text to someone who has not written in the
// last 24 hours (400, code 131047: only a template may open the conversation) and an unknown template
// (404, code 132001). The window follows the sandbox's clock, so moving it (POST /_local/clock) closes it.
import { createHmac } from 'node:crypto';
import { systemClock } from '#shared/adapters/clock.ts';
import { type LocalPlatform, parseJson, startLocalPlatform } from './local-platform.ts';

export type WhatsappSent = {
  id: string;
  to: string;
  type: 'text' | 'template';
  text?: string;
  template?: { name: string; language: string; parameters: string[] };
  at: string;
};

export type LocalWhatsapp = LocalPlatform & { sent(to?: string): WhatsappSent[] };

type PersonWrites = {
  from?: string;
  name?: string;
  text?: string;
  type?: string;
  context?: string;
  notification?: Record<string, unknown>;
  /** Deliver the notification of this earlier message again, as Meta does when a delivery seemed to fail. */
  again?: string;
};

const WINDOW_MS = 24 * 3600_000;

const graphError = (status: number, code: number, message: string) => ({
  status,
  body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'SANDBOX' } },
});

export const startLocalWhatsapp = async (options: {
  accessToken: string;
  appSecret: string;
  phoneNumberId: string;
  /** The approved templates (the configured status template). */
  templates: string[];
  webhookUrl: string;
  log?: (line: string) => void;
}): Promise<LocalWhatsapp> => {
  const sent: WhatsappSent[] = [];
  const lastInbound = new Map<string, number>();
  const delivered = new Map<string, Record<string, unknown>>();
  let counter = 0;
  const nextId = () => `wamid.SANDBOX${String(++counter).padStart(8, '0')}`;

  const deliver = async (notification: Record<string, unknown>) => {
    const raw = JSON.stringify(notification);
    const signature = `sha256=${createHmac('sha256', options.appSecret).update(raw).digest('hex')}`;
    const response = await fetch(options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: raw,
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };

  const notificationFor = (writes: PersonWrites, id: string) => {
    const from = writes.from ?? '6281234567890';
    const type = writes.type ?? 'text';
    const content =
      type === 'text'
        ? { text: { body: writes.text ?? '' } }
        : type === 'reaction'
          ? { reaction: { message_id: writes.context ?? '', emoji: '👍' } }
          : { [type]: { id: `media-${id}`, mime_type: type === 'image' ? 'image/jpeg' : 'application/octet-stream' } };
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA-SANDBOX',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '6281100000000', phone_number_id: options.phoneNumberId },
                contacts: [{ profile: { name: writes.name ?? 'Ani' }, wa_id: from }],
                messages: [
                  {
                    from,
                    id,
                    timestamp: String(Math.floor(systemClock.now().getTime() / 1000)),
                    type,
                    ...(writes.context ? { context: { from: '6281100000000', id: writes.context } } : {}),
                    ...content,
                  },
                ],
              },
            },
          ],
        },
      ],
    };
  };

  const platform = await startLocalPlatform(async (request, url, body) => {
    const send = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(url.pathname);
    if (send && request.method === 'POST') {
      if (request.headers.authorization !== `Bearer ${options.accessToken}`) return graphError(401, 190, 'Invalid OAuth access token.');
      if (send[1] !== options.phoneNumberId) return graphError(400, 100, 'Unsupported post request: no such phone number id.');
      const params = (parseJson(body) ?? {}) as Record<string, unknown>;
      const to = String(params.to ?? '');
      if (params.messaging_product !== 'whatsapp' || !/^\d{5,20}$/.test(to)) return graphError(400, 100, 'Invalid parameter');
      const now = systemClock.now();
      if (params.type === 'text') {
        const text = (params.text as { body?: string } | undefined)?.body ?? '';
        if (text.length === 0 || text.length > 4096) return graphError(400, 100, 'Invalid parameter: text.body');
        // Numbers that wrote through /_sandbox/messages are held to the window; one posted straight to the webhook
        // (curl with its own signature) is taken to have just written, as Meta's delivery would mean.
        const since = lastInbound.get(to);
        if (since !== undefined && now.getTime() - since > WINDOW_MS)
          return graphError(400, 131047, 'Re-engagement message: more than 24 hours have passed since the recipient last replied.');
        const message: WhatsappSent = { id: nextId(), to, type: 'text', text, at: now.toISOString() };
        sent.push(message);
        return {
          status: 200,
          body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: message.id }] },
        };
      }
      if (params.type === 'template') {
        const template = params.template as
          | { name?: string; language?: { code?: string }; components?: { type: string; parameters?: { text?: string }[] }[] }
          | undefined;
        if (!template?.name || !options.templates.includes(template.name))
          return graphError(404, 132001, 'Template name does not exist in the translation');
        const parameters = (template.components?.find((component) => component.type === 'body')?.parameters ?? []).map((p) => p.text ?? '');
        const message: WhatsappSent = {
          id: nextId(),
          to,
          type: 'template',
          template: { name: template.name, language: template.language?.code ?? '', parameters },
          at: now.toISOString(),
        };
        sent.push(message);
        return {
          status: 200,
          body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: message.id }] },
        };
      }
      return graphError(400, 131051, 'Unsupported message type');
    }
    if (request.method === 'POST' && url.pathname === '/_sandbox/messages') {
      const writes = (parseJson(body) ?? {}) as PersonWrites;
      const earlier = writes.again ? delivered.get(writes.again) : undefined;
      if (writes.again && !earlier) return graphError(404, 100, `No message ${writes.again} was delivered`);
      const id = writes.again ?? nextId();
      const notification = earlier ?? writes.notification ?? notificationFor(writes, id);
      if (!earlier && !writes.notification) lastInbound.set(writes.from ?? '6281234567890', systemClock.now().getTime());
      delivered.set(id, notification);
      return { status: 200, body: { id, ...(await deliver(notification)) } };
    }
    if (request.method === 'GET' && url.pathname === '/_sandbox/sent') {
      const to = url.searchParams.get('to');
      return { status: 200, body: { messages: sent.filter((message) => !to || message.to === to) } };
    }
    return graphError(404, 100, 'Unknown path');
  }, options.log);

  return { ...platform, sent: (to) => sent.filter((message) => !to || message.to === to) };
};
