// The shape check of the API's answers as users meet it: which 2xx bodies are refused, and what the message says
// about them (mutation survivors of issue #18 in src/shapes.ts).
import { describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '../../src/index.js';
import { fakeClient, jsonResponse, PDF, PROCESSED } from './helpers.js';

const USER = { id: 7, email: 'ada@example.test', balance: 120 };
const PAGE = { documents: [], current_page: 1, last_page: 1, per_page: 10, total: 0 };
const LISTED = { id: 'abcde12345', status: 'processed' };

/** The message of the error `call` rejects with when the API answers `body` with a 200. */
async function refusal(
  call: (c: ReturnType<typeof fakeClient>['client']) => Promise<unknown>,
  body: unknown,
) {
  const { client } = fakeClient(() => jsonResponse(200, body));
  const err = await call(client).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UnexpectedResponseError);
  return (err as UnexpectedResponseError).message;
}

const me = (c: ReturnType<typeof fakeClient>['client']) => c.users.me();
const retrieve = (c: ReturnType<typeof fakeClient>['client']) => c.documents.retrieve('abcde12345');
const list = (c: ReturnType<typeof fakeClient>['client']) => c.documents.list();
const notUser = (why: string) => `GET /users/me answered 200 with a body that is not a user (${why}).`;
const notDocument = (why: string) =>
  `GET /documents/abcde12345 answered 200 with a body that is not a document (${why}).`;
const notPage = (why: string) =>
  `GET /documents answered 200 with a body that is not a page of documents (${why}).`;

describe('a field of the wrong kind is named, with what it is and what it should be', () => {
  it.each([
    [{ ...USER, email: null }, '`email` is null, not string'],
    [{ ...USER, email: ['a'] }, '`email` is an array, not string'],
    [{ ...USER, email: 5 }, '`email` is an integer, not string'],
    [{ ...USER, email: 1.5 }, '`email` is a number, not string'],
    [{ ...USER, email: true }, '`email` is a boolean, not string'],
    [{ ...USER, email: { address: 'a' } }, '`email` is an object, not string'],
    [{ id: 7, balance: 1 }, '`email` is missing, not string'],
    [{ ...USER, id: false }, '`id` is a boolean, not string or integer'],
    [{ ...USER, balance: 1.5 }, '`balance` is a number, not integer'],
    [{ ...USER, balance: '120' }, '`balance` is a string, not integer'],
  ])('%j → %s', async (body, why) => {
    expect(await refusal(me, body)).toBe(notUser(why));
  });

  it('a body that is not an object says what it is', async () => {
    expect(await refusal(me, 'hello')).toBe(notUser('the body is a string, not an object'));
    expect(await refusal(me, 42)).toBe(notUser('the body is an integer, not an object'));
    expect(await refusal(me, null)).toBe(notUser('the body is null, not an object'));
    expect(await refusal(me, [USER])).toBe(notUser('the body is an array, not an object'));
  });

  it('a user that fits is returned as sent, with an id of either kind', async () => {
    for (const user of [USER, { ...USER, id: 'u7', name: 'Ada' }]) {
      const { client } = fakeClient(() => jsonResponse(200, user));
      await expect(client.users.me()).resolves.toEqual(user);
    }
  });
});

describe('a document result', () => {
  it('needs an action the SDK knows, its own key only', async () => {
    const known = 'one of transcribe, tables, extractor';
    expect(await refusal(retrieve, { ...PROCESSED, action: 'summarise' })).toBe(
      notDocument(`\`action\` is "summarise", not ${known}`),
    );
    expect(await refusal(retrieve, { ...PROCESSED, action: 'toString' })).toBe(
      notDocument(`\`action\` is "toString", not ${known}`),
    );
    const { action: _, ...noAction } = PROCESSED;
    expect(await refusal(retrieve, noAction)).toBe(notDocument('`action` is missing, not string'));
  });

  it('refuses results or thumbnails that are not arrays; null or absent is fine', async () => {
    expect(await refusal(retrieve, { ...PROCESSED, results: 'Hello' })).toBe(
      notDocument('`results` is a string, not an array'),
    );
    expect(await refusal(retrieve, { ...PROCESSED, thumbnails: { 0: 'x' } })).toBe(
      notDocument('`thumbnails` is an object, not an array'),
    );
    for (const body of [
      { ...PROCESSED, results: null, thumbnails: null },
      { ...PROCESSED, thumbnails: [] },
      { id: 'abcde12345', status: 'processed', action: 'tables' },
    ]) {
      const { client } = fakeClient(() => jsonResponse(200, body));
      await expect(client.documents.retrieve('abcde12345')).resolves.toEqual(body);
    }
  });

  it('a json download is checked the same way', async () => {
    const { client } = fakeClient(() => jsonResponse(200, { ...PROCESSED, action: 'summarise' }));
    const err = await client.documents.download('abcde12345', 'json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as Error).message).toMatch(/not a document \(`action` is "summarise", not one of /);
  });
});

describe('a page of documents', () => {
  it('checks every listed document, not only the first', async () => {
    expect(await refusal(list, { ...PAGE, documents: [LISTED, { id: 'b2' }], total: 2 })).toBe(
      notPage('`documents[1].status` is missing, not string'),
    );
  });

  it('names a listed item that is not an object by its index', async () => {
    expect(await refusal(list, { ...PAGE, documents: [LISTED, null], total: 2 })).toBe(
      notPage('`documents[1]` is null, not an object'),
    );
    expect(await refusal(list, { ...PAGE, documents: ['abcde12345'], total: 1 })).toBe(
      notPage('`documents[0]` is a string, not an object'),
    );
  });

  it('refuses `documents` that is not an array', async () => {
    expect(await refusal(list, { ...PAGE, documents: {} })).toBe(
      notPage('`documents` is an object, not array'),
    );
  });

  it('a page that fits is returned', async () => {
    const page = { ...PAGE, documents: [LISTED, { id: 'b2', status: 'queued' }], total: 2 };
    const { client } = fakeClient(() => jsonResponse(200, page));
    await expect(client.documents.list()).resolves.toEqual(page);
  });
});

describe('an uploaded document', () => {
  const upload = (c: ReturnType<typeof fakeClient>['client']) =>
    c.documents.upload({ file: PDF, action: 'transcribe' });

  // The id is then put into paths (`/documents/{id}`): one that goes on past its letters and digits would poll,
  // download or delete another path.
  it.each(['abc/..', 'abc12?x=1', 'abc12 ', 'abc12\n', '/abc12', ''])(
    'an id %j is not a usable document id, whatever letters and digits it starts or ends with',
    async (id) => {
      expect(await refusal(upload, { id, status: 'queued' })).toMatch(
        /^POST \/documents answered 200 with a body that is not an uploaded document \(`id` is not a usable document id\); /,
      );
    },
  );

  it('an id of letters and digits is returned as sent', async () => {
    const { client } = fakeClient(() => jsonResponse(201, { id: 'AbC09xyz', status: 'queued' }));
    await expect(upload(client)).resolves.toEqual({ id: 'AbC09xyz', status: 'queued' });
  });
});
