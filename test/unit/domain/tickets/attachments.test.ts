import { describe, expect, it } from 'vitest';
import type { Identity } from '#shared/domain/access/identity.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { eraseRequester } from '#shared/domain/privacy/erase-requester.ts';
import {
  addCommentWithFiles,
  attachmentLink,
  bytesMatchType,
  LINKED_PREFIX,
  requestUpload,
  UPLOAD_PREFIX,
} from '#shared/domain/tickets/attachments.ts';
import { admin, alice, bob, ivan } from '#test/fixtures/identities.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { InMemoryFiles } from '#test/fixtures/in-memory-files.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

const arrange = (ticket: Parameters<typeof aTicket>[0] = {}) => {
  const deps = testDeps();
  const files = new InMemoryFiles();
  const current = aTicket({ status: 'open', assignee: 'ivan', ...ticket });
  deps.tickets.seed(current);
  /** Asks for an upload URL as `who` and stores the bytes there, as the client's PUT would. */
  const upload = async (who: Identity, body: Uint8Array | string, contentType = 'image/png') => {
    const size = typeof body === 'string' ? body.length : body.length;
    const granted = await requestUpload({ ...deps, files }, who, { contentType, size });
    files.put(files.signed.at(-1)!.key, body, contentType);
    return granted.upload;
  };
  return { deps, files, id: current.id, upload };
};

describe('checking a file against its type', () => {
  it.each([
    ['image/png', PNG],
    ['image/jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])],
    ['image/gif', new TextEncoder().encode('GIF89a...')],
    ['image/webp', new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ')],
    ['application/pdf', new TextEncoder().encode('%PDF-1.7')],
    ['text/plain', new TextEncoder().encode('Halo, ini catatan biasa ✓')],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20])],
  ])('accepts a real %s', (type, head) => {
    expect(bytesMatchType(type, head)).toBe(true);
  });

  it.each([
    ['image/png', new TextEncoder().encode('<script>alert(1)</script>')],
    ['application/pdf', PNG],
    ['text/plain', PNG],
    ['text/plain', new Uint8Array([0xc3, 0x28, 0x41])],
    ['text/html', new TextEncoder().encode('<p>hi</p>')],
  ])('refuses bytes that are not a %s', (type, head) => {
    expect(bytesMatchType(type, head)).toBe(false);
  });
});

describe('asking for an upload URL', () => {
  it('signs a PUT in the caller’s own quarantine folder, for the type and size asked', async () => {
    // Arrange
    const { deps, files } = arrange();

    // Act
    const granted = await requestUpload({ ...deps, files }, alice, { contentType: 'image/png', size: 2048 });

    // Assert
    expect(granted).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/png' }, maxBytes: 10 * 1024 * 1024 });
    expect(granted.expiresAt).toBe(new Date(deps.clock.now().getTime() + 15 * 60_000).toISOString());
    expect(files.signed).toEqual([
      {
        method: 'PUT',
        key: expect.stringMatching(new RegExp(`^${UPLOAD_PREFIX}[0-9a-f]{24}/${granted.upload}$`)),
        contentType: 'image/png',
        size: 2048,
      },
    ]);
  });

  it('refuses a file over the limit (413 naming size) and a type the desk does not accept (422 naming contentType)', async () => {
    // Arrange
    const { deps, files } = arrange();

    // Act
    const tooLarge = await rejectionOf(requestUpload({ ...deps, files }, alice, { contentType: 'image/png', size: 10 * 1024 * 1024 + 1 }));
    const wrongType = await rejectionOf(requestUpload({ ...deps, files }, alice, { contentType: 'application/x-msdownload', size: 10 }));

    // Assert
    expect(tooLarge.kind).toBe('payload-too-large');
    expect(tooLarge.details.errors).toEqual([{ path: 'size', message: 'must be at most 10485760 bytes' }]);
    expect(wrongType.kind).toBe('unprocessable');
    expect(wrongType.details.errors?.map((error) => error.path)).toEqual(['contentType']);
    expect(files.signed).toEqual([]);
  });
});

describe('linking uploads to a comment', () => {
  it('copies a checked upload to the linked files, records it on the comment and deletes the quarantine copy', async () => {
    // Arrange
    const { deps, files, id, upload } = arrange();
    const upload1 = await upload(alice, PNG);

    // Act
    const { comment } = await addCommentWithFiles(deps, files, alice, id, {
      body: 'Fotonya',
      visibility: 'public',
      attachments: [{ upload: upload1, name: 'layar.png' }],
    });

    // Assert
    expect(comment.type === 'CommentAdded' && comment.data.attachments).toEqual([
      { name: 'layar.png', size: PNG.length, contentType: 'image/png', key: `${LINKED_PREFIX}${upload1}` },
    ]);
    expect([...files.objects.keys()]).toEqual([`${LINKED_PREFIX}${upload1}`]);
  });

  it.each([
    [
      'a forged type',
      async (up: ReturnType<typeof arrange>['upload']) => up(alice, '<html>not a picture</html>', 'image/png'),
      'unprocessable',
    ],
    [
      'a type changed in the PUT',
      async (up: ReturnType<typeof arrange>['upload'], files: InMemoryFiles) => {
        const granted = await up(alice, PNG);
        files.put(files.signed.at(-1)!.key, '<html></html>', 'text/html');
        return granted;
      },
      'unprocessable',
    ],
    [
      'a file over the limit',
      async (up: ReturnType<typeof arrange>['upload'], files: InMemoryFiles) => {
        const granted = await up(alice, PNG);
        files.put(files.signed.at(-1)!.key, new Uint8Array(10 * 1024 * 1024 + 1), 'image/png');
        return granted;
      },
      'payload-too-large',
    ],
    ['a never-uploaded file', async () => '01JNEVERUPLOADED000000000A', 'unprocessable'],
    ['another person’s upload', async (up: ReturnType<typeof arrange>['upload']) => up(bob, PNG), 'unprocessable'],
  ] as const)('refuses %s naming attachments.0.upload, saves no comment and links nothing', async (_, uploadOf, kind) => {
    // Arrange
    const { deps, files, id, upload } = arrange();
    const name = await uploadOf(upload, files);
    const before = deps.snapshot();

    // Act
    const error = await rejectionOf(
      addCommentWithFiles(deps, files, alice, id, {
        body: 'Lampiran',
        visibility: 'public',
        attachments: [{ upload: name, name: 'x.png' }],
      }),
    );

    // Assert
    expect(error.kind).toBe(kind);
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['attachments.0.upload']);
    expect(deps.snapshot()).toEqual(before);
    expect([...files.objects.keys()].filter((key) => key.startsWith(LINKED_PREFIX))).toEqual([]);
    expect([...files.objects.keys()].filter((key) => key.includes(name) && !key.startsWith(UPLOAD_PREFIX))).toEqual([]);
  });

  it('refuses more files than a message may carry', async () => {
    // Arrange
    const { deps, files, id, upload } = arrange();
    const links = await Promise.all([1, 2, 3, 4, 5, 6].map(async (n) => ({ upload: await upload(alice, PNG), name: `${n}.png` })));

    // Act
    const error = await rejectionOf(
      addCommentWithFiles(deps, files, alice, id, { body: 'Banyak', visibility: 'public', attachments: links }),
    );

    // Assert
    expect(error.kind).toBe('unprocessable');
    expect(error.details.errors?.map((problem) => problem.path)).toEqual(['attachments']);
  });

  it('copies nothing for a comment the caller may not write (a requester’s internal note, a closed ticket)', async () => {
    // Arrange
    const { deps, files, id, upload } = arrange();
    const closed = arrange({ status: 'closed' });
    const first = await upload(alice, PNG);
    const second = await closed.upload(alice, PNG);

    // Act
    const note = await rejectionOf(
      addCommentWithFiles(deps, files, alice, id, { body: 'x', visibility: 'internal', attachments: [{ upload: first, name: 'a.png' }] }),
    );
    const late = await rejectionOf(
      addCommentWithFiles(closed.deps, closed.files, alice, closed.id, {
        body: 'x',
        visibility: 'public',
        attachments: [{ upload: second, name: 'a.png' }],
      }),
    );

    // Assert
    expect([note.kind, late.kind]).toEqual(['forbidden', 'conflict']);
    expect([...files.objects.keys(), ...closed.files.objects.keys()].every((key) => key.startsWith(UPLOAD_PREFIX))).toBe(true);
  });

  it('adds a comment without files as before', async () => {
    // Arrange
    const { deps, files, id } = arrange();

    // Act
    const { comment } = await addCommentWithFiles(deps, files, alice, id, { body: 'Tanpa lampiran', visibility: 'public' });

    // Assert
    expect(comment.type === 'CommentAdded' && comment.data.attachments).toBeUndefined();
  });
});

describe('downloading a file', () => {
  const withNote = async () => {
    const arranged = arrange();
    const { deps, files, id, upload } = arranged;
    const pub = await addCommentWithFiles(deps, files, alice, id, {
      body: 'Foto',
      visibility: 'public',
      attachments: [{ upload: await upload(alice, PNG), name: 'foto.png' }],
    });
    const note = await addCommentWithFiles(deps, files, ivan, id, {
      body: 'Log',
      visibility: 'internal',
      attachments: [{ upload: await upload(ivan, PNG), name: 'log.png' }],
    });
    return { ...arranged, pub: pub.comment, note: note.comment };
  };

  it('signs a short-lived GET for a file of an event the caller may see', async () => {
    // Arrange
    const { deps, files, id, pub } = await withNote();

    // Act
    const link = await attachmentLink({ ...deps, files }, ivan, id, pub.id, 0);

    // Assert
    expect(link).toEqual({
      url: expect.stringContaining(LINKED_PREFIX),
      name: 'foto.png',
      contentType: 'image/png',
      size: PNG.length,
      expiresAt: new Date(deps.clock.now().getTime() + 5 * 60_000).toISOString(),
    });
    expect(files.signed.at(-1)).toMatchObject({ method: 'GET', name: 'foto.png', contentType: 'image/png' });
  });

  it('never gives a requester an internal note’s file, nor anyone a file of a ticket they cannot read', async () => {
    // Arrange
    const { deps, files, id, note, pub } = await withNote();

    // Act
    const byRequester = await rejectionOf(attachmentLink({ ...deps, files }, alice, id, note.id, 0));
    const byStranger = await rejectionOf(attachmentLink({ ...deps, files }, bob, id, pub.id, 0));
    const noSuchIndex = await rejectionOf(attachmentLink({ ...deps, files }, alice, id, pub.id, 1));
    const noSuchEvent = await rejectionOf(attachmentLink({ ...deps, files }, alice, id, '01JNOSUCHEVENT000000000000', 0));

    // Assert
    expect([byRequester, byStranger, noSuchIndex, noSuchEvent].map((error) => error.kind)).toEqual([
      'not-found',
      'not-found',
      'not-found',
      'not-found',
    ]);
  });

  it('serves a mail attachment of an unchecked type as plain bytes', async () => {
    // Arrange
    const { deps, files, id } = arrange();
    const { comment } = await addCommentWithFiles(deps, files, alice, id, { body: 'x', visibility: 'public' });
    deps.tickets.replaceEvents([
      {
        ...comment,
        data: {
          body: 'x',
          visibility: 'public',
          attachments: [{ name: 'a.html', size: 5, contentType: 'text/html', key: 'attachments/m/1-a.html' }],
        },
      } as typeof comment,
    ]);

    // Act
    const link = await attachmentLink({ ...deps, files }, alice, id, comment.id, 0);

    // Assert
    expect(link.contentType).toBe('text/html');
    expect(files.signed.at(-1)).toMatchObject({ key: 'attachments/m/1-a.html', contentType: 'application/octet-stream' });
  });
});

describe('erasure', () => {
  it('deletes the files a requester uploaded, as it does their mail attachments', async () => {
    // Arrange
    const { deps, files, id, upload } = arrange();
    const uploaded = await upload(alice, PNG);
    await addCommentWithFiles(deps, files, alice, id, {
      body: 'x',
      visibility: 'public',
      attachments: [{ upload: uploaded, name: 'alice.png' }],
    });
    const deleted: string[] = [];

    // Act
    await eraseRequester(deps, admin, alice.id, {
      files: { deleteAttachments: async (keys) => void deleted.push(...keys) },
      chats: new InMemoryChatAccountStore(),
    });

    // Assert
    expect(deleted).toEqual([`${LINKED_PREFIX}${uploaded}`]);
    const { items } = await deps.tickets.listEvents(id, { limit: 10 });
    const erased = items.find((event) => event.type === 'CommentAdded');
    expect(erased?.type === 'CommentAdded' && erased.data.attachments?.[0]?.name).toBe('[erased]');
  });
});
