// An upload's signal covers the whole call, also before the request: a stream that stalls before its first bytes
// (which the type check needs) ends at the caller's abort, is cancelled, and nothing is sent.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { APIUserAbortError, InvalidParamsError, type UploadParams } from '../../src/index.js';
import { acceptingUploads, PDF } from './helpers.js';

/** A web stream of a small PDF. */
function pdfStream() {
  return new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(PDF);
      c.close();
    },
  });
}

/** A web stream that never yields a byte, and the reason it was cancelled with (once it is). */
function stalledWebStream() {
  const seen: { reason?: unknown; cancelled: boolean } = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    cancel(reason) {
      seen.cancelled = true;
      seen.reason = reason;
    },
  });
  return { stream, seen };
}

describe('an upload is abortable before its request', () => {
  it('a web stream stalled before its first bytes: APIUserAbortError at the abort, the stream cancelled, nothing sent', async () => {
    const { client, requests } = acceptingUploads();
    const { stream, seen } = stalledWebStream();
    const controller = new AbortController();
    const pending = client.documents.upload(
      { file: stream, action: 'transcribe' },
      { signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 20));
    const reason = new Error('stop');
    controller.abort(reason);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect((err as APIUserAbortError).cause).toBe(reason);
    expect(requests).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual({ cancelled: true, reason });
  });

  it('a Node stream stalled before its first bytes: APIUserAbortError, the stream destroyed, nothing sent', async () => {
    const { client, requests } = acceptingUploads();
    const stream = new PassThrough();
    const controller = new AbortController();
    const pending = client.documents.upload(
      { file: stream, action: 'transcribe' },
      { signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(requests).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(stream.destroyed).toBe(true);
  });

  it('an already aborted signal: APIUserAbortError before the stream is read (it stays unlocked)', async () => {
    const { client, requests } = acceptingUploads();
    const stream = pdfStream();
    const err = await client.documents
      .upload({ file: stream, action: 'transcribe' }, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(stream.locked).toBe(false);
    expect(requests).toHaveLength(0);
  });

  it('a bad option is refused before the stream is read', async () => {
    const { client, requests } = acceptingUploads();
    const stream = pdfStream();
    const err = await client.documents
      .upload(
        { file: stream, action: 'transcribe' } as UploadParams,
        {
          signal: 'soon',
        } as unknown as { signal: AbortSignal },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe('signal');
    expect(stream.locked).toBe(false);
    expect(requests).toHaveLength(0);
  });

  it("the caller's options are read once: the signal read first is the one the request carries", async () => {
    const { client, requests } = acceptingUploads();
    const first = new AbortController();
    const later = new AbortController();
    later.abort();
    let reads = 0;
    const options = {
      get signal() {
        reads += 1;
        return reads === 1 ? first.signal : later.signal;
      },
    };
    const doc = await client.documents.upload({ file: pdfStream(), action: 'transcribe' }, options);
    expect(doc.id).toBe('abcde12345');
    expect(reads).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('a stream that yields in time is sent as before, under the same signal', async () => {
    const { client, requests } = acceptingUploads();
    const controller = new AbortController();
    const stream = pdfStream();
    const doc = await client.documents.upload(
      { file: stream, action: 'transcribe' },
      { signal: controller.signal },
    );
    expect(doc.id).toBe('abcde12345');
    expect(requests).toHaveLength(1);
  });
});
