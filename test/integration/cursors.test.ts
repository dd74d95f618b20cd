// Crafted `cursor` values through every list that takes one: a cursor the list did not hand out (a partial
// key, another list's or another person's key, extra or missing attributes, a sort key outside the query's
// range, wrong types, garbage) is a 400 that names `cursor`, never a 5xx and never someone else's rows.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createRouted, tokenFor } from './api-client.ts';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;

type List = { name: string; path: string; token: string; genuine?: Record<string, string> };

let lists: List[];
let otherRequesterCursor: Record<string, string>;
let otherTicketCursor: Record<string, string>;

/** The cursor of a list's first page of one item (every list here has two or more). */
const firstCursor = async (path: string, token: string) => {
  const page = await call(`${path}${path.includes('?') ? '&' : '?'}limit=1`, { token });
  if (page.status !== 200 || !page.body.cursor) throw new Error(`setup: ${path} ${page.status} ${page.text}`);
  return decode(page.body.cursor);
};

beforeAll(async () => {
  const requester = await tokenFor({ sub: `cursor-${randomUUID()}`, email: 'kursor@example.org' });
  const other = await tokenFor({ sub: `cursor-other-${randomUUID()}` });
  const lead = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
  const first = await createRouted(requester, { subject: 'Printer lab macet (kursor 1)', category: 'hardware' });
  await createRouted(requester, { subject: 'Printer lab macet (kursor 2)', category: 'hardware' });
  for (const subject of ['Lain 1', 'Lain 2']) await call('/tickets', { method: 'POST', token: other, body: { subject } });
  const assignee = await tokenFor({ sub: first.assignee, groups: ['agent'] });
  for (const body of ['Satu', 'Dua']) await call(`/tickets/${first.id}/comments`, { method: 'POST', token: requester, body: { body } });
  const second = (await call('/tickets?limit=1', { token: other })).body.items[0];
  await call(`/tickets/${second.id}/comments`, { method: 'POST', token: other, body: { body: 'Tiga' } });

  // A draft article with two versions, for the knowledge base's history.
  const articleId = `kursor-${randomUUID().slice(0, 8)}`;
  const article = { title: 'Kursor uji', category: 'other', language: 'id', body: 'Isi.' };
  await call('/kb/articles', { method: 'POST', token: lead, body: { id: articleId, ...article } });
  await call(`/kb/articles/${articleId}`, {
    method: 'PUT',
    token: lead,
    body: { ...article, body: 'Isi baru.' },
    headers: { 'if-match': '"1"' },
  });

  otherRequesterCursor = await firstCursor('/tickets', other);
  otherTicketCursor = await firstCursor(`/tickets/${second.id}/events`, other);
  lists = [
    { name: 'a requester’s own tickets (gsi2)', path: '/tickets', token: requester },
    { name: 'every ticket (gsi4)', path: '/tickets', token: lead },
    { name: 'every ticket of a status (gsi4, begins_with)', path: '/tickets?status=open', token: lead },
    { name: 'a team’s queue (gsi1)', path: '/tickets?team=it-support', token: lead },
    { name: 'assigned to me (gsi3)', path: '/tickets?assignee=me', token: assignee },
    { name: 'by SLA due time (gsi6)', path: '/tickets?sort=due', token: lead },
    { name: 'breached (gsi6, a key range)', path: '/tickets?sla=breached', token: lead },
    { name: 'a ticket’s history (the table)', path: `/tickets/${first.id}/events`, token: requester },
    { name: 'an article’s versions (the table)', path: `/kb/articles/${articleId}/history`, token: lead },
  ];
  for (const list of lists) if (!list.path.includes('sla=breached')) list.genuine = await firstCursor(list.path, list.token);
}, 60_000);

const ask = async (list: List, cursor: string) => {
  const response = await call(`${list.path}${list.path.includes('?') ? '&' : '?'}limit=2&cursor=${encodeURIComponent(cursor)}`, {
    token: list.token,
  });
  return { status: response.status, names: (response.body?.errors ?? []).map((error: { path: string }) => error.path) };
};

/** Cursors made from a genuine one: each is something the list never handed out. */
const mutations = (genuine: Record<string, string>): [string, unknown][] => {
  const names = Object.keys(genuine);
  const sortName = names.find((name) => name !== 'pk' && name.endsWith('sk')) ?? 'sk';
  return [
    ...names.map((name): [string, unknown] => {
      const { [name]: _dropped, ...rest } = genuine;
      return [`without ${name}`, rest];
    }),
    ...names.map((name): [string, unknown] => [`${name} changed`, { ...genuine, [name]: `${genuine[name]}x` }]),
    ...names.map((name): [string, unknown] => [`${name} a number`, { ...genuine, [name]: 7 }]),
    ['an extra attribute', { ...genuine, extra: 'x' }],
    ['the partition key only', Object.fromEntries(names.filter((name) => name.endsWith('pk')).map((name) => [name, genuine[name]]))],
    ['the sort key empty', { ...genuine, [sortName]: '' }],
    ['the sort key before everything', { ...genuine, [sortName]: '!' }],
    ['the sort key after everything', { ...genuine, [sortName]: '~~~~' }],
    [
      'the sort key another ticket’s',
      { ...genuine, [sortName]: genuine[sortName]!.replace(/[0-9A-HJKMNP-TV-Z]{26}$/, '01ARZ3NDEKTSV4RRFFQ69G5FAV') },
    ],
    ['another requester’s list', otherRequesterCursor],
    ['another ticket’s history', otherTicketCursor],
    ['an empty object', {}],
    ['an array', [genuine]],
    ['null', null],
    ['a nested object', { ...genuine, pk: { S: genuine.pk } }],
    ['not JSON', 'pk=TICKET'],
  ];
};

describe('a crafted cursor', () => {
  it('a genuine cursor pages on (200)', async () => {
    for (const list of lists.filter((candidate) => candidate.genuine))
      expect({ list: list.name, ...(await ask(list, b64(list.genuine))) }).toMatchObject({ list: list.name, status: 200 });
  });

  it('anything the list did not hand out is a 400 naming cursor, on every list', async () => {
    // Arrange: the breached list's cursor is made by hand (nothing may be breached yet): a ticket's keys
    // on the SLA queue with a due time far in the future, outside the `due before now` range.
    const breached = lists.find((list) => list.path.includes('sla=breached'))!;
    const genuineDue = lists.find((list) => list.path.includes('sort=due'))!.genuine!;
    const outOfRange = { ...genuineDue, gsi6sk: `2999-01-01T00:00:00.000Z#${genuineDue.pk!.slice('TICKET#'.length)}` };
    const cases = [
      ...lists.filter((list) => list.genuine).flatMap((list) => mutations(list.genuine!).map(([what, value]) => ({ list, what, value }))),
      ...mutations(genuineDue).map(([what, value]) => ({ list: breached, what, value })),
      { list: breached, what: 'due after now', value: outOfRange },
    ]
      .filter(({ list, value }) => JSON.stringify(value) !== JSON.stringify(list.genuine))
      // In a history, another well-formed event key of the same ticket is just another position in what the
      // caller may read anyway: a valid start key, not a crafted one.
      .filter(({ list, what }) => !(list.path.endsWith('/events') && ['sk changed', 'the sort key another ticket’s'].includes(what)));

    // Act
    const answers = [];
    for (const { list, what, value } of cases) answers.push({ list: list.name, what, ...(await ask(list, b64(value))) });

    // Assert
    expect(answers.filter((answer) => answer.status !== 400 || !answer.names.includes('cursor'))).toEqual([]);
  });

  it('random cursors (pieces of genuine ones, changed at random) never get a 5xx', async () => {
    const names = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'gsi6pk', 'gsi6sk', 'x'];
    const values = lists.flatMap((list) => Object.values(list.genuine ?? {}));
    const value = fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null));
    const withGenuine = lists.filter((list) => list.genuine);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withGenuine).chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.oneof(
              fc
                .tuple(fc.subarray(Object.entries(list.genuine!)), fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 2 }))
                .map(([kept, changed]) => b64({ ...Object.fromEntries(kept), ...changed })),
              fc.string({ maxLength: 200 }),
            ),
          ),
        ),
        async ([list, cursor]) => {
          const { status } = await ask(list, cursor);
          expect([200, 400]).toContain(status);
        },
      ),
      { numRuns: 150 },
    );
  });
});
