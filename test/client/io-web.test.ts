// io.web.ts: the main entry's `./io.js` where there is no filesystem (browsers, Workers). tsup builds
// dist/index.web.* with it, and package.json gives that build to every runtime without the `node` condition;
// `npm run check:package` drives the built client through a browser bundle. Here the module itself, and the
// client built on it: `./io.js` is io.web.ts throughout this file, as in the web build.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/checks.js';
import { guard as nodeGuard } from '../../src/fetch-guard.js';
import { APIUserAbortError, InvalidParamsError } from '../../src/index.js';
import { downloadToFile, guard, prepareIo } from '../../src/io.web.js';
import {
  acceptingUploads,
  client,
  fakeClient,
  formOf,
  json,
  jsonResponse,
  PNG,
  refusedUpload,
  startServer,
  type TestServer,
} from './helpers.js';

// Each function is looked up when called: importing io.web.ts from the factory would wait on itself (io.web.ts
// imports upload.ts, which imports `./io.js`).
vi.mock('../../src/io.js', () => ({
  prepareIo: (...args: Parameters<typeof prepareIo>) => prepareIo(...args),
  guard: (...args: Parameters<typeof guard>) => guard(...args),
  downloadToFile: (...args: Parameters<typeof downloadToFile>) => downloadToFile(...args),
}));

const UPLOADED = { id: 'abcde12345', status: 'queued' };

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/** A web stream of `chunks`, then its end. */
function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('without a filesystem (io.web.ts)', () => {
  it('refuses a path with InvalidParamsError saying it needs a filesystem', async () => {
    const err = await prepareIo('./letter.png', [], undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err).toMatchObject({ param: 'file', message: expect.stringMatching(/needs a filesystem/) });
  });

  it('refuses downloadToFile with InvalidParamsError saying it needs a filesystem, and sends nothing', async () => {
    const { client, requests } = fakeClient(() => new Response('Hello'));
    const err = await client.documents
      .downloadToFile('abcde12345', 'txt', './out.txt')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err).toMatchObject({
      param: 'path',
      message:
        'downloadToFile needs a filesystem, which this runtime does not have; use download() or downloadStream().',
    });
    expect(requests).toHaveLength(0);
  });

  it('hands responses back as they are: the guard for the fetch of Node (a body re-wrapped for uploads) is not in this build', () => {
    const upload = new Request('https://api.example/v3/documents', { method: 'POST', redirect: 'error' });
    const response = new Response('{}', { status: 201 });
    expect(guard(response, upload)).toBe(response);
    // Under the `node` condition the same upload response gets a body that an abort always reaches.
    expect(nodeGuard(new Response('{}', { status: 201 }), upload)).not.toBe(response);
  });
});

// Browsers cannot send a streaming request body over HTTP/1.1 (Chrome) or at all (Firefox, Safari): the web build
// reads a stream whole, then uploads it as a Blob.
describe('stream uploads in the web build: read into a Blob, then sent like one', () => {
  it('a web ReadableStream arrives whole at the server, as a file part with a length, not a chunked stream', async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    bytes.set(PNG);
    server = await startServer((_req, res) => json(res, 201, UPLOADED));
    const file = streamOf(bytes.subarray(0, 10), bytes.subarray(10, 70_000), bytes.subarray(70_000));
    await expect(
      client(server.url).documents.upload({ file, action: 'transcribe', fileName: 'note.png' }),
    ).resolves.toEqual(UPLOADED);
    const [seen] = server.requests;
    expect(seen?.headers['content-length']).toBe(String(seen?.body.length));
    expect(seen?.headers['transfer-encoding']).toBeUndefined();
    const form = await formOf(seen as NonNullable<typeof seen>);
    expect(form.get('action')).toBe('transcribe');
    const part = form.get('file') as File;
    expect(part.name).toBe('note.png');
    expect(part.type).toBe('image/png');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('an async iterable of bytes is read whole too, named by its type', async () => {
    const { client, forms } = acceptingUploads();
    async function* file() {
      yield PNG;
      yield Buffer.from('tail');
    }
    await client.documents.upload({ file: file(), action: 'transcribe' });
    const part = (forms[0] as FormData).get('file') as File;
    expect(part.name).toBe('document.png');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.concat([PNG, Buffer.from('tail')]));
  });

  it('exactly 20 MiB is sent whole', async () => {
    let received = 0;
    const { client } = fakeClient(async (request) => {
      received = ((await request.formData()).get('file') as File).size;
      return jsonResponse(201, UPLOADED);
    });
    const rest = new Uint8Array(MAX_FILE_BYTES - PNG.length);
    await client.documents.upload({ file: streamOf(PNG, rest), action: 'transcribe' });
    expect(received).toBe(MAX_FILE_BYTES);
  });

  it('past 20 MB the stream is cancelled at once with the same error, and nothing is sent', async () => {
    const MiB = new Uint8Array(1024 * 1024);
    let pulls = 0;
    let cancelled: unknown;
    const file = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(pulls === 1 ? PNG : MiB); // endless
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const err = await refusedUpload(file);
    expect(err.message).toBe('The file is over 20 MB; the API accepts at most 20 MB.');
    expect(cancelled).toBe(err);
    // 21 reads: the PNG header and 19 MiB are within the limit, the 20th MiB passes it. The stream may have pulled
    // one chunk ahead (its high-water mark), never more.
    expect(pulls).toBeGreaterThanOrEqual(21);
    expect(pulls).toBeLessThanOrEqual(22);
  });

  it('an abort while the stream is read ends the upload at once with APIUserAbortError, and cancels the stream', async () => {
    let stalled!: () => void;
    const waiting = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    let cancelled: unknown;
    let pulls = 0;
    const file = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        // More than the first 64 bytes (which are read to judge the type in every build).
        if (pulls === 1) return controller.enqueue(Buffer.concat([PNG, Buffer.alloc(1000)]));
        stalled();
        return new Promise<void>(() => {}); // more is coming, never
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const { client, requests } = acceptingUploads();
    const controller = new AbortController();
    const upload = client.documents
      .upload({ file, action: 'transcribe' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await waiting;
    const reason = new Error('user left the page');
    controller.abort(reason);
    const err = await upload;
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect((err as APIUserAbortError).cause).toBe(reason);
    expect(cancelled).toBe(reason);
    expect(requests).toHaveLength(0);
  });

  it('a locked stream is refused', async () => {
    const file = streamOf(PNG);
    file.getReader();
    const err = await refusedUpload(file);
    expect(err.message).toBe('The file stream is locked: something else is reading it.');
  });

  it('an async iterable whose iterator has no next() is refused', async () => {
    const err = await refusedUpload({ [Symbol.asyncIterator]: () => ({}) });
    expect(err.message).toBe('file is an async iterable whose iterator has no next() method.');
  });

  it('a chunk that is not bytes is refused, and the stream cancelled', async () => {
    let cancelled: unknown;
    const file = new ReadableStream<unknown>({
      start(controller) {
        controller.enqueue(PNG);
        controller.enqueue(42);
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const err = await refusedUpload(file);
    expect(err.message).toBe('The file stream yielded something other than bytes.');
    expect(cancelled).toBe(err);
  });

  it('an empty stream is refused', async () => {
    const err = await refusedUpload(streamOf());
    expect(err.message).toBe('The file is empty.');
  });

  it('a stream of another type is refused by its first bytes', async () => {
    const err = await refusedUpload(streamOf(new TextEncoder().encode('plain text, not a scan')));
    expect(err.message).toMatch(/^Unsupported file type: /);
  });

  // In the Node build a stream is sent as it is read, so it cannot be sent twice and a 429 ends the upload.
  it('a 429 is retried: the buffered stream is sent again, whole', async () => {
    vi.useFakeTimers();
    const files: Uint8Array[] = [];
    const { client, requests } = fakeClient(async (request, n) => {
      files.push(new Uint8Array(await ((await request.formData()).get('file') as File).arrayBuffer()));
      return n === 1
        ? jsonResponse(429, { message: 'slow down' }, { 'retry-after': '0' })
        : jsonResponse(201, UPLOADED);
    });
    const call = client.documents.upload({ file: streamOf(PNG, PNG), action: 'transcribe' });
    const outcome = call.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ value: UPLOADED });
    expect(requests).toHaveLength(2);
    const whole = Buffer.concat([PNG, PNG]);
    expect(files.map((f) => Buffer.from(f))).toEqual([whole, whole]);
  });
});
