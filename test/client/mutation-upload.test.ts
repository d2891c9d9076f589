// Uploads from bytes and Blobs at their edges: the survivors of mutation testing (issue #18) in src/upload.ts that
// are real behaviour: what is sent, which inputs are taken, and the errors for the ones that are not.
import { describe, expect, it } from 'vitest';
import { InvalidParamsError, type UploadParams } from '../../src/index.js';
import { acceptingUploads, heic, PDF } from './helpers.js';

async function refused(params: Record<string, unknown>): Promise<InvalidParamsError> {
  const { client, requests } = acceptingUploads();
  const err = await client.documents.upload(params as unknown as UploadParams).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidParamsError);
  expect((err as InvalidParamsError).param).toBe('file');
  expect(requests).toHaveLength(0);
  return err as InvalidParamsError;
}

const TYPES = 'the API accepts PDF and images (JPEG, PNG, TIFF, HEIC, GIF, BMP, WEBP, AVIF)';

describe('the form fields sent', () => {
  it('only the fields given are sent: no "undefined" for the others', async () => {
    const { client, forms } = acceptingUploads();
    await client.documents.upload({ file: new Uint8Array(PDF), action: 'transcribe' });
    const form = forms[0] as FormData;
    expect([...form.keys()].sort()).toEqual(['action', 'file']);
    expect(form.get('action')).toBe('transcribe');
  });
});

describe('which inputs are files', () => {
  it('a web ReadableStream without async iteration (as in Safari) is still read as a stream', async () => {
    const { client, forms } = acceptingUploads();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(PDF));
        c.close();
      },
    });
    Object.defineProperty(stream, Symbol.asyncIterator, { value: undefined });
    await client.documents.upload({ file: stream, action: 'transcribe' });
    const file = (forms[0] as FormData).get('file') as File;
    expect(file.type).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('anything else is refused, naming what a file may be', async () => {
    const err = await refused({ file: 42, action: 'transcribe' });
    expect(err.message).toBe(
      'file must be a path, a Blob/File, a Uint8Array/ArrayBuffer/Buffer, or a ReadableStream/Node Readable.',
    );
  });

  it('an object whose Symbol.asyncIterator getter throws is refused the same way, not with its error', async () => {
    const file = {
      get [Symbol.asyncIterator]() {
        throw new Error('boom');
      },
    };
    const err = await refused({ file, action: 'transcribe' });
    expect(err.message).toMatch(/^file must be a path, a Blob\/File/);
  });
});

describe('the type is judged from the first 64 bytes, whatever the input', () => {
  // An ftyp box that says it is 100 bytes long: major brand mif1 (HEIC), and an AVIF brand at byte 80, past the
  // 64 bytes looked at. A stream is never read further to judge it, so neither is a Blob.
  const long = heic('mif1', ['mif1', 'miaf', ...Array(14).fill('free'), 'avif', ...Array(4).fill('free')]);
  it('the bytes are as described', () => {
    expect(long.readUInt32BE(0)).toBe(100);
    expect(long.subarray(80, 84).toString('latin1')).toBe('avif');
  });

  it.each([
    ['bytes', () => new Uint8Array(long)],
    ['a Blob', () => new Blob([new Uint8Array(long)])],
    ['a File', () => new File([new Uint8Array(long)], 'photo.heic', { type: 'image/heic' })],
    [
      'a stream',
      () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new Uint8Array(long));
            c.close();
          },
        }),
    ],
  ])('%s', async (_name, file) => {
    const { client, forms } = acceptingUploads();
    await client.documents.upload({ file: file(), action: 'transcribe' });
    expect(((forms[0] as FormData).get('file') as File).type).toBe('image/heic');
  });
});

describe('refused files say why', () => {
  it('an empty file', async () => {
    const err = await refused({ file: new Uint8Array(0), action: 'transcribe' });
    expect(err.message).toBe('The file is empty.');
    const blob = await refused({ file: new Blob([]), action: 'transcribe' });
    expect(blob.message).toBe('The file is empty.');
  });

  const text = new TextEncoder().encode('plain text, not a scan');
  it('an unsupported type without a name: no hint', async () => {
    const err = await refused({ file: text, action: 'transcribe' });
    expect(err.message).toBe(
      `Unsupported file type: ${TYPES}, and the file's first bytes are none of these.`,
    );
  });

  it('an unsupported type with a name that suggests none: the name', async () => {
    const err = await refused({ file: text, fileName: 'notes.txt', action: 'transcribe' });
    expect(err.message).toBe(
      `Unsupported file type (notes.txt): ${TYPES}, and the file's first bytes are none of these.`,
    );
  });

  it('an unsupported type with a name that suggests an accepted one: says the name is not enough', async () => {
    const err = await refused({ file: text, fileName: 'scan.pdf', action: 'transcribe' });
    expect(err.message).toBe(
      `Unsupported file type although its name (scan.pdf) suggests one: ${TYPES}, and the file's first bytes are none of these.`,
    );
  });
});
