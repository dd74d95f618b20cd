// POST /chat — the answer bot (no account needed): a message in, the reply the client shows out.
import { createHash } from 'node:crypto';
import { chatRequestSchema, converse } from '#shared/domain/chat/converse.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { chatDeps } from '#shared/wiring/chat-deps.ts';

/** The hourly limit counts per source address, kept as a hash: the table holds no addresses. */
const clientOf = (sourceIp: string | undefined) =>
  `ip:${createHash('sha256')
    .update(sourceIp ?? 'unknown')
    .digest('base64url')
    .slice(0, 22)}`;

export const handler = httpHandler({ auth: false, body: chatRequestSchema }, async ({ body, sourceIp }) => ({
  status: 200,
  body: await converse(chatDeps(), { ...body, channel: 'web', client: clientOf(sourceIp) }),
}));
