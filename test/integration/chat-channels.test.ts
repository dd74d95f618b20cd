// Telegram and WhatsApp through the shared sandbox, as people would use them: a person writes through the
// platform's stand-in (which delivers to the desk's webhook as the platform does), the desk answers through
// the chat queue and the platform's API (which the stand-in records). Question → answer; question → handoff →
// ticket → staff reply → message back in the chat → reply in the chat → comment on the ticket; /status; a
// wrong secret or signature is 401 and does nothing; a repeated delivery acts once; what the bot cannot read
// gets words; Telegram down delays a reply and loses none.
import { randomInt } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';
import { queueIdle, waitFor } from './wait-for.ts';

type Health = { emulators: { telegram: { endpoint: string }; whatsapp: { endpoint: string } } };
type TelegramMessage = { message_id: number; chat_id: string; text: string; reply_markup?: unknown };
type WhatsappMessage = { id: string; to: string; type: string; text?: string };

let telegram: string;
let whatsapp: string;
let table: DynamoDBDocumentClient;

beforeAll(async () => {
  const health = (await call('/_local/health')).body as Health;
  telegram = health.emulators.telegram.endpoint;
  whatsapp = health.emulators.whatsapp.endpoint;
  table = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamoDbEndpoint'),
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});

afterAll(async () => {
  await call('/_local/emulators/telegram', { method: 'POST', body: { running: true } });
  table.destroy();
});

const post = async (url: string, body: unknown) =>
  (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json() as Promise<any>;

/** Whether the desk stored anything under the key (the delivery's claim: it acted on it). */
const stored = async (pk: string, sk: string) =>
  (await table.send(new GetCommand({ TableName: inject('tableName'), Key: { pk, sk } }))).Item !== undefined;

/** A person on Telegram with an id of their own, so tests do not see each other's chats. */
const telegramPerson = () => {
  const id = randomInt(10_000_000, 99_999_999);
  const messages = async () =>
    ((await (await fetch(`${telegram}/_sandbox/messages?chat_id=${id}`)).json()) as { messages: TelegramMessage[] }).messages;
  return {
    id,
    writes: (content: Record<string, unknown>) => post(`${telegram}/_sandbox/updates`, { from: id, name: 'Ani', ...content }),
    says: (text: string, extra: Record<string, unknown> = {}) =>
      post(`${telegram}/_sandbox/updates`, { from: id, name: 'Ani', text, ...extra }),
    messages,
    /** Waits for the bot's `count`th message to this chat. */
    answer: async (count: number) => (await waitFor(messages, (sent) => sent.length >= count))[count - 1]!,
  };
};

const whatsappPerson = () => {
  const number = `62812${randomInt(10_000_000, 99_999_999)}`;
  const messages = async () =>
    ((await (await fetch(`${whatsapp}/_sandbox/sent?to=${number}`)).json()) as { messages: WhatsappMessage[] }).messages;
  return {
    number,
    says: (text: string, extra: Record<string, unknown> = {}) =>
      post(`${whatsapp}/_sandbox/messages`, { from: number, name: 'Bu Sri', text, ...extra }),
    sends: (type: string) => post(`${whatsapp}/_sandbox/messages`, { from: number, name: 'Bu Sri', type }),
    messages,
    answer: async (count: number) => (await waitFor(messages, (sent) => sent.length >= count))[count - 1]!,
  };
};

/** The requester's own view of their tickets: a token whose subject is their requester id. */
const ticketsOf = async (requesterId: string) => {
  const token = await tokenFor({ sub: requesterId });
  return (await call('/tickets?requester=me', { token })).body.items as { id: string; number: number; subject: string; channel: string }[];
};

const admin = () => tokenFor({ sub: 'admin', name: 'Admin Sekolah', groups: ['admin'] });

describe('Telegram', () => {
  it('answers a question from the knowledge base', async () => {
    // Arrange
    const ani = telegramPerson();

    // Act
    const delivered = await ani.says('printer nyangkut kertasnya gmn');
    const answer = await ani.answer(1);

    // Assert
    expect(delivered.status).toBe(200);
    expect(answer.text).toContain('1. Matikan printer dan cabut kabel daya.');
  });

  it('hands off to a ticket for the number shared, brings the staff reply back, and takes the answer as a comment', async () => {
    // Arrange
    const ani = telegramPerson();
    const phone = `+62813${String(ani.id).slice(0, 8)}`;
    await ani.says('Siapa presiden Indonesia sekarang?');
    await ani.answer(1);
    await ani.says('ya');
    const asked = await ani.answer(2);

    // Act: she shares her number with the button; an admin replies on the ticket; she answers that message.
    await ani.writes({ contact: { phone, own: true } });
    const opened = await ani.answer(3);
    const [ticket] = await ticketsOf(`phone:${phone}`);
    const token = await admin();
    await call(`/tickets/${ticket!.id}/comments`, {
      method: 'POST',
      token,
      body: { body: 'Presiden bukan urusan helpdesk, tapi terima kasih.' },
    });
    const reply = await ani.answer(4);
    // The desk learns which ticket a sent message belongs to once Telegram has answered the send: a person
    // replies seconds later; the test waits for the chat queue to be done instead.
    await waitFor(
      async () => (await call('/_local/health')).body.emulators.sqs.queues.chat as { visible: number; inFlight: number },
      queueIdle,
    );
    await ani.says('Baik, terima kasih', { replyTo: reply.message_id });
    const thanked = await ani.answer(5);
    const events = (await call(`/tickets/${ticket!.id}/events`, { token })).body.items as {
      type: string;
      actor: { id: string };
      data: any;
    }[];
    await ani.says(`/status ${ticket!.number}`);
    const status = await ani.answer(6);

    // Assert
    expect(asked.reply_markup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
    expect(opened.text).toContain(`Tiket #${ticket!.number} sudah dibuat`);
    expect(ticket).toMatchObject({ channel: 'chat', subject: 'Siapa presiden Indonesia sekarang?' });
    expect(reply.text).toContain('Presiden bukan urusan helpdesk, tapi terima kasih.');
    expect(thanked.text).toContain(`sudah masuk ke tiket #${ticket!.number}`);
    expect(events.at(-1)).toMatchObject({ type: 'CommentAdded', actor: { id: `phone:${phone}` }, data: { body: 'Baik, terima kasih' } });
    expect(status.text).toContain(`Tiket #${ticket!.number} "Siapa presiden Indonesia sekarang?"`);
  });

  it('refuses a delivery without the secret token with 401, and does nothing', async () => {
    // Arrange
    const ani = telegramPerson();
    const update = {
      update_id: ani.id,
      message: {
        message_id: 1,
        from: { id: ani.id, is_bot: false, first_name: 'Ani' },
        chat: { id: ani.id, type: 'private' },
        date: 1,
        text: 'printer macet',
      },
    };

    // Act
    const refused = await call('/channels/telegram', {
      method: 'POST',
      body: update,
      headers: { 'x-telegram-bot-api-secret-token': 'guess' },
    });
    await ani.says('halo');
    await ani.answer(1);

    // Assert
    expect(refused.status).toBe(401);
    expect(await stored(`CHATIN#telegram:${ani.id}`, 'CHATIN')).toBe(false);
    expect(await ani.messages()).toHaveLength(1);
  });

  it('acts once on an update Telegram delivers again', async () => {
    // Arrange
    const ani = telegramPerson();
    const first = await ani.says('printer macet');
    await ani.answer(1);

    // Act
    const again = await post(`${telegram}/_sandbox/updates`, { again: first.update_id });
    await ani.says('terima kasih');
    await ani.answer(2);

    // Assert
    expect(again).toMatchObject({ update_id: first.update_id, status: 200 });
    expect((await ani.messages()).map((message) => message.text)).toEqual([
      expect.stringContaining('Printer macet'),
      'Sama-sama! Ada lagi yang bisa saya bantu?',
    ]);
  });

  it('answers stickers, pictures, voice notes and a text over 4096 characters with polite words', async () => {
    // Arrange
    const ani = telegramPerson();

    // Act
    for (const content of [{ sticker: true }, { photo: true }, { voice: true }]) {
      await ani.writes(content);
    }
    await ani.says('tolong '.repeat(700));
    const answers = await waitFor(ani.messages, (sent) => sent.length >= 4);

    // Assert
    expect(answers.map((message) => message.text).sort()).toEqual(
      [
        'Maaf, saya hanya bisa membaca teks, bukan stiker. Silakan tulis pertanyaan Anda dengan kata-kata.',
        'Maaf, saya hanya bisa membaca teks, bukan gambar. Silakan tulis pertanyaan Anda dengan kata-kata.',
        'Maaf, saya hanya bisa membaca teks, bukan pesan suara. Silakan tulis pertanyaan Anda dengan kata-kata.',
        'Pesan Anda terlalu panjang (lebih dari 4096 karakter). Mohon diringkas, atau kirim dalam beberapa pesan.',
      ].sort(),
    );
  });

  it("delays a staff reply while Telegram's API is down, and delivers it once it is back", async () => {
    // Arrange: a ticket filed from the chat.
    const ani = telegramPerson();
    await ani.writes({ contact: { phone: `+62814${String(ani.id).slice(0, 8)}`, own: true } });
    await ani.answer(1);
    await ani.says('tiket');
    await ani.answer(2);
    await ani.says('ya');
    await ani.answer(3);
    const [ticket] = await ticketsOf(`phone:+62814${String(ani.id).slice(0, 8)}`);
    const retriesBefore = (await call('/_local/health')).body.emulators.sqs.queues.chat.retries as number;

    // Act
    await call('/_local/emulators/telegram', { method: 'POST', body: { running: false } });
    await call(`/tickets/${ticket!.id}/comments`, { method: 'POST', token: await admin(), body: { body: 'Kami cek sore ini.' } });
    await waitFor(
      async () => (await call('/_local/health')).body.emulators.sqs.queues.chat.retries as number,
      (retries) => retries >= retriesBefore + 2,
    );
    await call('/_local/emulators/telegram', { method: 'POST', body: { running: true } });
    const reply = await ani.answer(4);

    // Assert
    expect(reply.text).toContain('Kami cek sore ini.');
    expect(await ani.messages()).toHaveLength(4);
  });
});

describe('WhatsApp', () => {
  it('answers a question, and hands off at once to a ticket for the number, whose staff reply comes back', async () => {
    // Arrange
    const sri = whatsappPerson();

    // Act
    await sri.says('printer nyangkut kertasnya gmn');
    const answer = await sri.answer(1);
    await sri.says('Siapa presiden Indonesia sekarang?');
    await sri.answer(2);
    await sri.says('ya');
    const opened = await sri.answer(3);
    const [ticket] = await ticketsOf(`phone:+${sri.number}`);
    const token = await admin();
    await call(`/tickets/${ticket!.id}/comments`, { method: 'POST', token, body: { body: 'Pertanyaan di luar layanan kami.' } });
    const reply = await sri.answer(4);
    await sri.says('Oke, maaf', { context: reply.id });
    await sri.answer(5);
    const events = (await call(`/tickets/${ticket!.id}/events`, { token })).body.items as { type: string; data: any }[];

    // Assert
    expect(answer).toMatchObject({ type: 'text', text: expect.stringContaining('1. Matikan printer') });
    expect(opened.text).toContain(`Tiket #${ticket!.number} sudah dibuat`);
    expect(ticket).toMatchObject({ channel: 'chat', subject: 'Siapa presiden Indonesia sekarang?' });
    expect(reply).toMatchObject({ type: 'text', text: expect.stringContaining('Pertanyaan di luar layanan kami.') });
    expect(events.at(-1)).toMatchObject({ type: 'CommentAdded', data: { body: 'Oke, maaf' } });
  });

  it('refuses a body not signed with the app secret with 401, and does nothing', async () => {
    // Arrange
    const sri = whatsappPerson();
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: '100000000000001' },
                messages: [
                  { from: sri.number, id: `wamid.forged${sri.number}`, timestamp: '1', type: 'text', text: { body: 'printer macet' } },
                ],
              },
            },
          ],
        },
      ],
    });

    // Act
    const refused = await call('/channels/whatsapp', {
      method: 'POST',
      rawBody: body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    });
    await sri.says('halo');
    await sri.answer(1);

    // Assert
    expect(refused.status).toBe(401);
    expect(await stored(`CHATIN#whatsapp:wamid.forged${sri.number}`, 'CHATIN')).toBe(false);
    expect(await sri.messages()).toHaveLength(1);
  });

  it('acts once on a message Meta delivers again, and answers pictures and voice notes with words', async () => {
    // Arrange
    const sri = whatsappPerson();
    const first = await sri.says('printer macet');
    await sri.answer(1);

    // Act
    const again = await post(`${whatsapp}/_sandbox/messages`, { again: first.id });
    await sri.sends('image');
    await sri.sends('audio');
    const answers = await waitFor(sri.messages, (sent) => sent.length >= 3);

    // Assert
    expect(again).toMatchObject({ id: first.id, status: 200 });
    expect(
      answers
        .slice(1)
        .map((message) => message.text)
        .sort(),
    ).toEqual([
      'Maaf, saya hanya bisa membaca teks, bukan gambar. Silakan tulis pertanyaan Anda dengan kata-kata.',
      'Maaf, saya hanya bisa membaca teks, bukan pesan suara. Silakan tulis pertanyaan Anda dengan kata-kata.',
    ]);
    expect(answers.filter((message) => message.text?.includes('Printer macet'))).toHaveLength(1);
  });

  it("answers Meta's callback check with the challenge for the verify token only", async () => {
    // Act
    const refused = await call('/channels/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42');

    // Assert
    expect(refused.status).toBe(401);
  });
});
