// Files through the API, end to end on the sandbox (its S3 stand-in): an upload URL, the bytes PUT there, the
// upload linked to a comment, the other side downloading through the signed link; forged, oversized and
// never-uploaded files refused with problem+json naming the field and nothing linked; an internal note's file
// out of a requester's reach.
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import { call, cast, createRouted } from './api-client.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR and the rest of a tiny picture'),
]);

/** Asks for an upload URL and PUTs the bytes there, as the console would; returns the upload id. */
const upload = async (token: string, bytes: Buffer, contentType: string, declaredSize = bytes.length) => {
  const granted = await call('/attachments', { method: 'POST', token, body: { contentType, size: declaredSize } });
  if (granted.status !== 201) throw new Error(`upload URL: ${granted.status} ${granted.text}`);
  const put = await fetch(granted.body.url, { method: 'PUT', headers: granted.body.headers, body: new Uint8Array(bytes) });
  expect(put.status).toBe(200);
  return granted.body.upload as string;
};

const paths = (response: { body: { errors: { path: string }[] } }) => response.body.errors.map((error) => error.path);

describe('attachments through the API', () => {
  it('links an uploaded file to a comment, and the other side downloads it through a signed link', async () => {
    // Arrange
    const { requester, agent } = await cast();
    const ticket = await createRouted(requester, { subject: 'Layar proyektor bergaris', description: 'Foto terlampir' });
    const id = await upload(requester, PNG, 'image/png');

    // Act
    const comment = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: requester,
      body: { body: 'Ini fotonya', attachments: [{ upload: id, name: 'layar proyektor.png' }] },
    });
    const link = await call(`/tickets/${ticket.id}/events/${comment.body.id}/attachments/0`, { token: agent });
    const file = await fetch(link.body.url);

    // Assert
    expect(comment.status).toBe(201);
    expect(comment.body.data.attachments).toEqual([
      { name: 'layar proyektor.png', size: PNG.length, contentType: 'image/png', key: `attachments/api/${id}` },
    ]);
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ name: 'layar proyektor.png', contentType: 'image/png', size: PNG.length });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);
    const events = await call(`/tickets/${ticket.id}/events`, { token: agent });
    const listed = events.body.items.find((event: { id: string }) => event.id === comment.body.id);
    expect(listed.data.attachments[0].name).toBe('layar proyektor.png');
  });

  it('refuses a forged PNG, an oversized file and a never-uploaded one, naming the field, and links nothing', async () => {
    // Arrange
    const { requester } = await cast();
    const ticket = await createRouted(requester, { subject: 'Printer ruang guru macet', description: 'Kertas tersangkut' });
    const { maxBytes } = loadConfig().attachments;
    const forged = await upload(requester, Buffer.from('<script>alert(1)</script>'), 'image/png');
    const oversized = await upload(requester, Buffer.alloc(maxBytes + 1, 0x20), 'text/plain', 100);
    const comment = (upload: string) => ({ body: 'Lampiran', attachments: [{ upload, name: 'berkas' }] });

    // Act
    const tooLargeToAsk = await call('/attachments', {
      method: 'POST',
      token: requester,
      body: { contentType: 'image/png', size: maxBytes + 1 },
    });
    const wrongType = await call('/attachments', { method: 'POST', token: requester, body: { contentType: 'text/html', size: 10 } });
    const forgedComment = await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: requester, body: comment(forged) });
    const oversizedComment = await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: requester, body: comment(oversized) });
    const neverUploaded = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: requester,
      body: comment('01JZZZZZZZZZZZZZZZZZZZZZZZ'),
    });
    const reused = await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: requester, body: comment(forged) });

    // Assert
    expect(tooLargeToAsk.status).toBe(413);
    expect(paths(tooLargeToAsk)).toEqual(['size']);
    expect(wrongType.status).toBe(422);
    expect(paths(wrongType)).toEqual(['contentType']);
    for (const [response, status] of [
      [forgedComment, 422],
      [oversizedComment, 413],
      [neverUploaded, 422],
      [reused, 422], // a refused upload is deleted: naming it again finds nothing
    ] as const) {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(paths(response)).toEqual(['attachments.0.upload']);
    }
    const history = await call(`/tickets/${ticket.id}/events`, { token: requester });
    expect(history.body.items.filter((event: { type: string }) => event.type === 'CommentAdded')).toEqual([]);
  });

  it("keeps an internal note's file from the requester, and another person's upload from being linked", async () => {
    // Arrange
    const { requester, agent } = await cast();
    const ticket = await createRouted(requester, { subject: 'Akun e-rapor terkunci', description: 'Tidak bisa masuk' });
    const note = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: agent,
      body: {
        body: 'Log server',
        visibility: 'internal',
        attachments: [{ upload: await upload(agent, PNG, 'image/png'), name: 'log.png' }],
      },
    });
    const agentsUpload = await upload(agent, PNG, 'image/png');

    // Act
    const byRequester = await call(`/tickets/${ticket.id}/events/${note.body.id}/attachments/0`, { token: requester });
    const byAgent = await call(`/tickets/${ticket.id}/events/${note.body.id}/attachments/0`, { token: agent });
    const borrowed = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: requester,
      body: { body: 'Punya orang lain', attachments: [{ upload: agentsUpload, name: 'x.png' }] },
    });

    // Assert
    expect(note.status).toBe(201);
    expect(byRequester.status).toBe(404);
    expect(byRequester.headers.get('content-type')).toBe('application/problem+json');
    expect(byAgent.status).toBe(200);
    expect(borrowed.status).toBe(422);
    expect(paths(borrowed)).toEqual(['attachments.0.upload']);
  });

  it('lets the console’s origin PUT a file into the bucket from a browser (CORS), and no other origin', async () => {
    // Arrange
    const { requester } = await cast();
    const granted = await call('/attachments', { method: 'POST', token: requester, body: { contentType: 'image/png', size: PNG.length } });
    const preflight = (origin: string, method = 'PUT') =>
      fetch(granted.body.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
      });

    // Act
    const fromConsole = await preflight(inject('consoleUrl'));
    const fromElsewhere = await preflight('https://evil.example');
    const deleteFromConsole = await preflight(inject('consoleUrl'), 'DELETE');
    const put = await fetch(granted.body.url, {
      method: 'PUT',
      headers: { ...granted.body.headers, origin: inject('consoleUrl') },
      body: new Uint8Array(PNG),
    });

    // Assert
    expect(fromConsole.status).toBe(200);
    expect(fromConsole.headers.get('access-control-allow-origin')).toBe(inject('consoleUrl'));
    expect(fromConsole.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(fromConsole.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(deleteFromConsole.status).toBe(403);
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe(inject('consoleUrl'));
  });
});
