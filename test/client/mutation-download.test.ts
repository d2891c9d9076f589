// Downloads at their edges (src/download.ts): the survivors of mutation testing (issue #18) that are real
// behaviour. What names a document, what a download refuses and with which message, and how a streamed body is
// judged by its first bytes and then handed over whole, chunk by chunk, without waiting on the rest.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidParamsError, UnexpectedResponseError } from '../../src/index.js';
import { fakeClient } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

const ID = 'abcde12345';
const bytes = (text: string) => new TextEncoder().encode(text);

/** A 200 whose body arrives as exactly these chunks (a custom fetch, or a body the network split). */
function chunked(chunks: (string | Uint8Array)[], contentType = 'application/octet-stream'): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? bytes(chunk) : chunk);
        controller.close();
      },
    }),
    { status: 200, headers: { 'content-type': contentType } },
  );
}

/** A client whose every request gets `respond()`, never retried (a mutant that throws must not wait on backoff). */
function answering(respond: () => Response) {
  return fakeClient(() => respond(), { maxRetries: 0 });
}

/** Reads a stream chunk by chunk. */
async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    out.push(new TextDecoder().decode(chunk));
  }
  return out;
}

describe('what names a document', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [ID]],
  ])('%s is refused as neither an id nor a document, nothing sent', async (_name, value) => {
    const { client, requests } = answering(() => chunked(['x'], 'text/plain'));
    const err = await client.documents.download(value as never, 'txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).message).toBe(
      'Pass a document id or a document with `id` and `action`.',
    );
    expect((err as InvalidParamsError).param).toBe('id');
    expect(requests).toHaveLength(0);
  });

  it('a document whose fields cannot be read is refused as the document, nothing sent', async () => {
    const { client, requests } = answering(() => chunked(['x'], 'text/plain'));
    const hostile = {
      get id(): string {
        throw new Error('no id here');
      },
      action: 'transcribe',
    };
    const err = await client.documents.downloadStream(hostile as never, 'txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).message).toBe('document could not be read.');
    expect((err as InvalidParamsError).param).toBe('document');
    expect(requests).toHaveLength(0);
  });

  it('downloadToFile: an empty path is refused by name, nothing sent', async () => {
    const { client, requests } = answering(() => chunked(['x'], 'text/plain'));
    const err = await client.documents.downloadToFile(ID, 'txt', '').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).message).toBe('path must be a file path.');
    expect((err as InvalidParamsError).param).toBe('path');
    expect(requests).toHaveLength(0);
  });
});

describe('what a download refuses, and how it says so', () => {
  /** The UnexpectedResponseError `download(ID, format)` rejects with, given the answer. */
  async function refusal(format: 'txt' | 'csv' | 'docx' | 'xlsx', answer: () => Response) {
    const { client, requests } = answering(answer);
    const err = await client.documents.download(ID, format).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(requests).toHaveLength(1); // the server answered: not retried
    return err as UnexpectedResponseError;
  }

  it('a 204 is no content, whatever its Content-Type', async () => {
    const err = await refusal(
      'txt',
      () => new Response(null, { status: 204, headers: { 'content-type': 'text/plain' } }),
    );
    expect(err.message).toBe(`GET /documents/${ID}.txt answered 204 with no content, not txt.`);
    expect(err.status).toBe(204);
  });

  it.each([
    ['text/html', 'Please sign in to continue.'],
    ['application/xhtml+xml', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>'],
    // The media type is compared without its parameters, the blanks around it or its case.
    ['TEXT/HTML ; charset=UTF-8', 'Please sign in to continue.'],
  ])(
    'an HTML page is refused by its Content-Type %s, even when its body does not look like one',
    async (type, body) => {
      const err = await refusal('txt', () => chunked([body], type));
      expect(err.message).toBe(`GET /documents/${ID}.txt answered 200 with an HTML page.`);
      expect(err.contentType).toBe(type);
      expect(err.body).toBe(body);
    },
  );

  it.each(['application/json', 'application/problem+json', 'Application/Problem+JSON; charset=utf-8'])(
    'a JSON body (%s) is not a csv',
    async (type) => {
      const err = await refusal('csv', () => chunked(['{"title":"Something went wrong"}'], type));
      expect(err.message).toBe(`GET /documents/${ID}.csv answered 200 with a JSON body, not csv.`);
    },
  );

  it.each(['docx', 'xlsx'] as const)(
    '%s bytes must begin with both bytes of a zip archive ("PK"), not one',
    async (format) => {
      const err = await refusal(format, () => chunked(['Please try again later.']));
      expect(err.message).toBe(
        `GET /documents/${ID}.${format} answered 200 with bytes that are not a ${format} (zip) file.`,
      );
      expect(err.body).toBe('Please try again later.');
    },
  );

  // A captive portal or login page may be served as text/plain: an HTML page is known by its start too.
  it.each([
    '<!DOCTYPE html><title>Sign in</title>',
    '<!doctype  html>\n<title>Sign in</title>', // any run of blanks between doctype and html
    '<!DOCTYPE\thtml>',
    '<html lang="en"><body>Sign in</body></html>', // attributes after the tag name
    '<HTML\n><body>Sign in</body></HTML>',
    ' \r\n\t<html><body>Sign in</body></html>', // after blank lines
  ])('an HTML page served as text/plain is refused by its start: %j', async (body) => {
    const err = await refusal('txt', () => chunked([body], 'text/plain'));
    expect(err.message).toBe(`GET /documents/${ID}.txt answered 200 with an HTML page.`);
    expect(err.body).toBe(body);
  });

  // A transcription of handwriting may well mention HTML: only a body that starts as a page is one.
  it.each([
    'Notes on web pages: <html> opens a page, <!DOCTYPE html> comes before it.',
    'Remember: <html>',
    '<htmlx> is not a tag',
  ])('a text that only mentions HTML is the result: %j', async (body) => {
    const { client } = answering(() => chunked([body], 'text/plain'));
    await expect(client.documents.download(ID, 'txt')).resolves.toBe(body);
  });

  it('an empty docx says it is empty', async () => {
    const err = await refusal('docx', () => chunked([]));
    expect(err.message).toBe(`GET /documents/${ID}.docx answered 200 with an empty body, not docx.`);
  });
});

describe('downloadStream: judged by its first bytes, then handed over whole', () => {
  it.each(['docx', 'xlsx'] as const)(
    'a %s whose "PK" comes split over two chunks is read on to judge it, and kept whole',
    async (format) => {
      const { client } = answering(() => chunked(['P', 'K\u0003\u0004', 'rest of the archive']));
      const stream = await client.documents.downloadStream(ID, format);
      expect((await chunksOf(stream)).join('')).toBe('PK\u0003\u0004rest of the archive');
    },
  );

  it('a docx that ends after one byte is refused as not a zip', async () => {
    const { client } = answering(() => chunked(['P']));
    const err = await client.documents.downloadStream(ID, 'docx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as Error).message).toBe(
      `GET /documents/${ID}.docx answered 200 with bytes that are not a docx (zip) file.`,
    );
  });

  it('every chunk after the first is passed on, in order', async () => {
    const { client } = answering(() =>
      chunked(['Dear ', 'Sir, ', 'thank you', ' for your letter.'], 'text/plain'),
    );
    const stream = await client.documents.downloadStream(ID, 'txt');
    expect(await chunksOf(stream)).toEqual(['Dear ', 'Sir, ', 'thank you', ' for your letter.']);
  });

  it('an empty body is a stream that ends at once, with no empty chunk', async () => {
    const { client } = answering(() => chunked([], 'text/plain'));
    const reader = (await client.documents.downloadStream(ID, 'txt')).getReader();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it('a 200 without a body (a custom fetch may give one) is an empty stream', async () => {
    const { client } = answering(
      () => new Response(null, { status: 200, headers: { 'content-type': 'text/csv' } }),
    );
    const stream = await client.documents.downloadStream(ID, 'csv');
    expect(await chunksOf(stream)).toEqual([]);
  });

  it('a text stream is handed over on its first chunk, without waiting for the rest of a slow body', async () => {
    vi.useFakeTimers();
    let rest = () => {};
    const { client } = answering(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(bytes('D'));
              rest = () => {
                controller.enqueue(bytes('ear Sir'));
                controller.close();
              };
            },
          }),
          { status: 200, headers: { 'content-type': 'text/plain' } },
        ),
    );
    let stream: ReadableStream<Uint8Array> | undefined;
    const opened = client.documents.downloadStream(ID, 'txt', { timeoutMs: 60_000 }).then((s) => {
      stream = s;
    });
    // Well within the timeout (which also bounds each stall once handed over), with the rest still to come.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stream).toBeDefined();
    rest();
    await opened;
    expect((await chunksOf(stream as ReadableStream<Uint8Array>)).join('')).toBe('Dear Sir');
  });
});
