// Thumbnails at their edges (src/thumbnails.ts): the survivors of mutation testing (issue #18) that are real
// behaviour. The messages of a refused URL, what answer is not an image, and how the call is logged.
import { describe, expect, it } from 'vitest';
import { InvalidParamsError, type Logger, UnexpectedResponseError } from '../../src/index.js';
import { fakeClient } from './helpers.js';

const BASE = 'https://api.example.test/v3';
const URL_1 = `${BASE}/document/abcde12345/image-1.jpg`;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xdb]);

function image(contentType: string | undefined): Response {
  return new Response(JPEG, { status: 200, headers: contentType ? { 'content-type': contentType } : {} });
}

/** Expects `thumbnail(value)` to be refused for `param` with `message`, nothing sent. */
async function refused(value: unknown, message: string, param = 'url') {
  const { client, requests } = fakeClient(() => image('image/jpeg'));
  const err = await client.documents.thumbnail(value as never).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidParamsError);
  expect((err as InvalidParamsError).message).toBe(message);
  expect((err as InvalidParamsError).param).toBe(param);
  expect(requests).toHaveLength(0);
}

describe('a thumbnail URL that is refused says which, and why', () => {
  it('an empty URL is quoted', () => refused('', 'Not a thumbnail URL: "".'));

  it('a URL that does not parse is quoted, cut to 40 characters', () => {
    const bad = `http://[${'x'.repeat(100)}`;
    return refused(bad, `Not a thumbnail URL: ${JSON.stringify(`${bad.slice(0, 40)}…`)}.`);
  });

  it('a value that is not a string is shown as the other checks show it', async () => {
    await refused(42, 'Not a thumbnail URL: 42.');
    await refused({ page_number: 1, url: 7 }, 'Not a thumbnail URL: 7.');
    await refused({ page_number: 1, url: {} }, 'Not a thumbnail URL: an object.');
  });

  it('a thumbnail whose url cannot be read is refused as the thumbnail', () =>
    refused(
      {
        page_number: 1,
        get url(): string {
          throw new Error('no url here');
        },
      },
      'thumbnail could not be read.',
      'thumbnail',
    ));

  it('a URL outside the base URL names where the token would have gone', () =>
    refused(
      'https://evil.example.com/v3/document/abcde12345/image-1.jpg?x=1',
      `Refusing to send the API token to https://evil.example.com/v3/document/abcde12345/image-1.jpg: a thumbnail is fetched only from under ${BASE}/.`,
    ));
});

describe('an answer that is not an image', () => {
  it.each(['text/html; charset=utf-8', 'application/json', 'Application/JSON'])(
    '%s is refused, naming the call and the type',
    async (type) => {
      const { client, requests } = fakeClient(
        () => new Response('<p>Sign in</p>', { headers: { 'content-type': type } }),
      );
      const err = await client.documents.thumbnail(URL_1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedResponseError);
      expect((err as UnexpectedResponseError).message).toBe(
        `GET /v3/document/abcde12345/image-1.jpg answered 200 with a ${type} body, not an image.`,
      );
      expect((err as UnexpectedResponseError).status).toBe(200);
      expect(requests).toHaveLength(1); // the server answered: not retried
    },
  );

  it.each([
    ['an image type', 'image/jpeg'],
    ['no Content-Type', undefined],
    // Judged by the media type, not by what a parameter mentions.
    ['an image type whose parameter mentions text/html', 'image/jpeg; comment="not text/html"'],
    ['an image type whose parameter, unspaced, is application/json', 'image/jpeg;sidecar=application/json'],
  ])('%s is an image', async (_name, type) => {
    const { client } = fakeClient(() => image(type));
    expect([...(await client.documents.thumbnail(URL_1))]).toEqual([...JPEG]);
  });
});

describe('logging', () => {
  it('a thumbnail is logged like any call: method, path, status, attempt', async () => {
    const lines: string[] = [];
    const log = (message: string) => {
      lines.push(message);
    };
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    const { client } = fakeClient(() => image('image/jpeg'), { logger, logLevel: 'debug' });
    await client.documents.thumbnail(URL_1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[handwriting-ocr\] GET \/v3\/document\/abcde12345\/image-1\.jpg 200 [\d.]+ ms \(attempt 1\)$/,
    );
  });
});
