// Uploads from streams at their edges: the survivors of mutation testing (issue #18) in src/stream-upload.ts that
// are real behaviour: what a stream is read for, what is sent, when the source is closed, and the errors.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/checks.js';
import { APIConnectionError, InvalidParamsError } from '../../src/index.js';
import { prepareStream } from '../../src/stream-upload.js';
import { acceptingUploads, fakeClient, jsonResponse, PDF, refusedUpload } from './helpers.js';

const UPLOADED = { id: 'abcde12345', status: 'queued' };

const TEXT = new TextEncoder().encode('plain text, not a scan');

describe('streams that cannot be read are refused, nothing sent', () => {
  it('a locked web stream', async () => {
    const stream = new ReadableStream<Uint8Array>();
    stream.getReader();
    const err = await refusedUpload(stream);
    expect(err.message).toBe('The file stream is locked: something else is reading it.');
  });

  it.each([
    ['null', () => null],
    ['an object without next()', () => ({})],
  ])('an async iterable whose iterator is %s', async (_name, iterator) => {
    const err = await refusedUpload({ [Symbol.asyncIterator]: iterator });
    expect(err.message).toBe('file is an async iterable whose iterator has no next() method.');
  });

  it('a stream that yields something other than bytes or text', async () => {
    const err = await refusedUpload(Readable.from([42], { objectMode: true }));
    expect(err.message).toBe('The file stream yielded something other than bytes.');
  });

  it('an empty stream', async () => {
    const err = await refusedUpload(Readable.from([]));
    expect(err.message).toBe('The file is empty.');
  });
});

describe('a refused stream is closed, not left half read', () => {
  it('a web stream is cancelled with the error', async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(TEXT);
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const err = await refusedUpload(stream);
    expect(cancelled).toBe(err);
  });

  it('a web stream that yields something other than bytes is cancelled with the error', async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<unknown>({
      pull(c) {
        c.enqueue(42);
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const err = await refusedUpload(stream);
    expect(err.message).toBe('The file stream yielded something other than bytes.');
    expect(cancelled).toBe(err);
  });

  it('a Node Readable is destroyed', async () => {
    const readable = Readable.from([Buffer.from(TEXT), Buffer.from('more')]);
    await refusedUpload(readable);
    expect(readable.destroyed).toBe(true);
  });
});

describe('what is read and sent', () => {
  it('text chunks are sent as UTF-8', async () => {
    const { client, forms } = acceptingUploads();
    const chunks = ['%PDF-1.7\n', 'Grüße, café ✓\n', '%%EOF\n'];
    await client.documents.upload({ file: Readable.from(chunks), action: 'transcribe' });
    const file = (forms[0] as FormData).get('file') as File;
    expect(file.type).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(chunks.join(''), 'utf8'))).toBe(true);
  });

  it('every form field is sent beside the streamed file, with its value', async () => {
    const { client, forms } = acceptingUploads();
    await client.documents.upload({
      file: Readable.from([PDF]),
      action: 'extractor',
      extractor_id: 'Ks08XVPyMd',
      delete_after: 3600,
      webhook_url: 'https://example.com/hook',
    });
    const form = forms[0] as FormData;
    expect([...form.keys()]).toEqual(['action', 'delete_after', 'extractor_id', 'webhook_url', 'file']);
    expect(form.get('action')).toBe('extractor');
    expect(form.get('delete_after')).toBe('3600');
    expect(form.get('extractor_id')).toBe('Ks08XVPyMd');
    expect(form.get('webhook_url')).toBe('https://example.com/hook');
  });

  it('the stream is read no further than its first 64 bytes before the request starts', async () => {
    const first = Buffer.concat([PDF, Buffer.alloc(64 - PDF.length, 0x20)]);
    expect(first.length).toBe(64);
    let readPastHead = false;
    async function* file() {
      yield first;
      readPastHead = true;
      yield Buffer.from('%%EOF\n');
    }
    let atRequest: boolean | undefined;
    const { client } = fakeClient(async (request) => {
      atRequest = readPastHead;
      await request.arrayBuffer();
      return jsonResponse(201, UPLOADED);
    });
    await client.documents.upload({ file: file(), action: 'transcribe' });
    expect(atRequest).toBe(false);
    expect(readPastHead).toBe(true);
  });

  it('the multipart boundary is a plain token (no quoting needed in Content-Type)', async () => {
    const { client, requests } = acceptingUploads();
    await client.documents.upload({ file: Readable.from([PDF]), action: 'transcribe' });
    const type = (requests[0] as Request).headers.get('content-type');
    expect(type).toMatch(/^multipart\/form-data; boundary=[0-9A-Za-z'()+_,\-./:=?]{1,70}$/);
  });

  // A custom `fetch` writing chunked encoding could take an empty chunk for the end of the body.
  it('empty chunks of the file are not passed on: the body yields none, and every byte arrives', async () => {
    const chunks: Uint8Array[] = [];
    const { client } = fakeClient(async (request) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
      return jsonResponse(201, UPLOADED);
    });
    const parts = [
      PDF.subarray(0, 10),
      new Uint8Array(0),
      PDF.subarray(10),
      new Uint8Array(0),
      Buffer.from('end'),
    ];
    await client.documents.upload({ file: Readable.from(parts), action: 'transcribe' });
    expect(chunks.filter((chunk) => chunk.byteLength === 0)).toEqual([]);
    expect(Buffer.concat(chunks).includes(Buffer.concat([PDF, Buffer.from('end')]))).toBe(true);
  });
});

describe('the 20 MB limit of a stream', () => {
  /** A PDF of exactly `size` bytes, in 1 MiB chunks. */
  async function* pdfOf(size: number) {
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    yield PDF;
    let left = size - PDF.length;
    while (left > 0) {
      const n = Math.min(left, piece.length);
      yield piece.subarray(0, n);
      left -= n;
    }
  }

  it('exactly 20 MiB is sent whole', async () => {
    let received = 0;
    const { client } = fakeClient(async (request) => {
      const form = await request.formData();
      received = (form.get('file') as File).size;
      return jsonResponse(201, UPLOADED);
    });
    await expect(
      client.documents.upload({ file: pdfOf(MAX_FILE_BYTES), action: 'transcribe' }),
    ).resolves.toEqual(UPLOADED);
    expect(received).toBe(MAX_FILE_BYTES);
  });

  it('one byte more is an InvalidParamsError for file', async () => {
    const { client } = fakeClient(async (request) => {
      await request.arrayBuffer();
      return jsonResponse(201, UPLOADED);
    });
    const err = await client.documents
      .upload({ file: pdfOf(MAX_FILE_BYTES + 1), action: 'transcribe' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe('file');
    expect((err as InvalidParamsError).message).toBe(
      'The file is over 20 MB; the API accepts at most 20 MB.',
    );
  });
});

describe('a request body that fetch cancels closes the stream', () => {
  // The Fetch standard cancels the request body when a fetch is aborted or fails while sending (browsers do).
  it('the file stream is cancelled with the same reason', async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(Buffer.concat([PDF, Buffer.alloc(64, 0x20)])));
      },
      pull() {
        return new Promise<void>(() => {}); // more is coming, slowly
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const reason = new Error('connection reset while sending');
    const { client } = fakeClient(async (request) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      await reader.read(); // the multipart preamble
      await reader.cancel(reason);
      throw new TypeError('fetch failed', { cause: reason });
    });
    const err = await client.documents
      .upload({ file: stream, action: 'transcribe' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(cancelled).toBe(reason);
  });
});

describe('an iterator without return() can still be cancelled', () => {
  it('cancelling the request body succeeds', async () => {
    let calls = 0;
    const file = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          calls += 1;
          if (calls === 1) return { done: false, value: Buffer.concat([PDF, Buffer.alloc(64, 0x20)]) };
          return new Promise<IteratorResult<Uint8Array>>(() => {});
        },
      }),
    };
    let outcome: unknown;
    const { client } = fakeClient(async (request) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      outcome = await reader.cancel(new Error('gone')).then(
        () => 'cancelled',
        (err: unknown) => err,
      );
      throw new TypeError('fetch failed');
    });
    const err = await client.documents.upload({ file, action: 'transcribe' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(outcome).toBe('cancelled');
  });
});

describe('prepareStream: a stream body can be built once', () => {
  it('a second body() throws InvalidParamsError', async () => {
    const upload = await prepareStream(Readable.from([PDF]), [['action', 'transcribe']], undefined);
    expect(upload.replayable).toBe(false);
    upload.body();
    expect(() => upload.body()).toThrow(
      new InvalidParamsError('A stream can be uploaded only once.', 'file'),
    );
    try {
      upload.body();
    } catch (err) {
      expect((err as InvalidParamsError).param).toBe('file');
    }
  });
});
