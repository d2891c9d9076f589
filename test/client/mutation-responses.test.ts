// Reading answers as users meet it: what a 2xx that is not JSON, or not the promised type, is reported as, and how
// thumbnail and 202 bodies are read (mutation survivors of issue #18 in src/responses.ts).
import { describe, expect, it } from 'vitest';
import { NotFoundError, UnexpectedResponseError } from '../../src/index.js';
import { parseJson } from '../../src/responses.js';
import { fakeClient, jsonResponse, PDF, PROCESSED } from './helpers.js';

const raw = (status: number, body: string | null, type = 'application/json') =>
  new Response(body, { status, headers: { 'content-type': type } });

async function errorOf<T>(
  answer: () => Response,
  call: (c: ReturnType<typeof fakeClient>['client']) => Promise<T>,
) {
  const { client, requests } = fakeClient(answer);
  const err = await call(client).catch((e: unknown) => e);
  expect(requests).toHaveLength(1);
  return err as UnexpectedResponseError;
}
const me = (c: ReturnType<typeof fakeClient>['client']) => c.users.me();

describe('a 2xx body that is not JSON', () => {
  it('empty, blank or a 204: "an empty body", the body kept as it was', async () => {
    for (const [answer, status, body] of [
      [() => raw(200, ''), 200, ''],
      [() => raw(200, ' \n\t '), 200, ' \n\t '],
      [() => raw(204, null), 204, ''],
    ] as const) {
      const err = await errorOf(answer, me);
      expect(err).toBeInstanceOf(UnexpectedResponseError);
      expect(err.message).toBe(`GET /users/me answered ${status} with an empty body, not JSON.`);
      expect(err.body).toBe(body);
    }
  });

  it('invalid JSON: says so, without quoting the parser, and keeps the body', async () => {
    const err = await errorOf(() => raw(200, '{"id": 7, "email": '), me);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toBe('GET /users/me answered 200 with a body that is not valid JSON.');
    expect(err.body).toBe('{"id": 7, "email": ');
  });
});

describe('the message names the call and the promised type, and what a caller must know', () => {
  it('users.me: no note', async () => {
    const err = await errorOf(() => jsonResponse(200, {}), me);
    expect(err.message).toBe(
      'GET /users/me answered 200 with a body that is not a user (`id` is missing, not string or integer).',
    );
  });

  it('upload: an uploaded document, and that its pages may be charged', async () => {
    const err = await errorOf(
      () => jsonResponse(201, { status: 'queued' }),
      (c) => c.documents.upload({ file: PDF, action: 'transcribe' }),
    );
    expect(err.message).toBe(
      'POST /documents answered 201 with a body that is not an uploaded document (`id` is missing, not string); ' +
        'the upload may have been accepted and its pages charged: check documents.list() before uploading again.',
    );
    const unusable = await errorOf(
      () => jsonResponse(201, { id: '../x', status: 'queued' }),
      (c) => c.documents.upload({ file: PDF, action: 'transcribe' }),
    );
    expect(unusable.message).toMatch(
      /^POST \/documents answered 201 with a body that is not an uploaded document \(`id` is not a usable document id\); the upload may/,
    );
  });

  it('topup: a top-up result, and that the purchase may have gone through', async () => {
    const err = await errorOf(
      () => jsonResponse(200, { success: true }),
      (c) => c.credits.topup({ amount: 100 }),
    );
    expect(err.message).toBe(
      'POST /credits/topup answered 200 with a body that is not a top-up result (`credits_purchased` is missing, not integer); ' +
        'the purchase may have gone through: check users.me() before buying again.',
    );
  });

  it('list and retrieve: a page of documents, a document', async () => {
    const page = await errorOf(
      () => jsonResponse(200, { documents: [] }),
      (c) => c.documents.list(),
    );
    expect(page.message).toBe(
      'GET /documents answered 200 with a body that is not a page of documents (`current_page` is missing, not integer).',
    );
    const doc = await errorOf(
      () => jsonResponse(200, { id: 'abcde12345' }),
      (c) => c.documents.retrieve('abcde12345'),
    );
    expect(doc.message).toBe(
      'GET /documents/abcde12345 answered 200 with a body that is not a document (`status` is missing, not string).',
    );
  });
});

describe('thumbnails', () => {
  const thumb = (c: ReturnType<typeof fakeClient>['client']) =>
    c.documents.thumbnail('documents/abcde12345/thumbnails/1');

  it('an HTML page instead of an image: an UnexpectedResponseError without a body', async () => {
    const err = await errorOf(() => raw(200, '<html>Sign in</html>', 'text/html'), thumb);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toBe(
      'GET /v3/documents/abcde12345/thumbnails/1 answered 200 with a text/html body, not an image.',
    );
    expect(err.body).toBeUndefined();
    expect(err.contentType).toBe('text/html');
  });

  it('an error body is read as JSON when it is JSON, else as text; an empty one is no body', async () => {
    const cases = [
      [
        () => jsonResponse(404, { message: 'No such page.' }),
        { message: 'No such page.' },
        '404 Not Found: No such page.',
      ],
      [() => raw(404, 'Gone.', 'text/plain'), 'Gone.', '404 Not Found: Gone.'],
      [() => raw(404, ''), undefined, '404 Not Found'],
    ] as const;
    for (const [answer, body, message] of cases) {
      const err = (await errorOf(answer, thumb)) as unknown as NotFoundError;
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.body).toEqual(body);
      expect(err.message).toBe(message);
    }
  });

  it('parseJson: undefined when empty, JSON when JSON, else the text', () => {
    expect(parseJson('')).toBeUndefined();
    expect(parseJson(undefined)).toBeUndefined();
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseJson('not json')).toBe('not json');
  });
});

describe('a 202 body', () => {
  const pending = async (answer: () => Response) => {
    const { client } = fakeClient(answer);
    return client.documents.retrieve('abcde12345');
  };

  it('is kept when it is a JSON object, else only the id and a pending status remain', async () => {
    await expect(pending(() => jsonResponse(202, { status: 'queued', page_count: 3 }))).resolves.toEqual({
      id: 'abcde12345',
      status: 'queued',
      page_count: 3,
    });
    for (const body of ['"queued"', '[1]', 'null', 'Processing...', '']) {
      await expect(pending(() => raw(202, body))).resolves.toEqual({
        id: 'abcde12345',
        status: 'processing',
      });
    }
  });

  it('a processed 200 is the result', async () => {
    await expect(pending(() => jsonResponse(200, PROCESSED))).resolves.toEqual(PROCESSED);
  });
});
