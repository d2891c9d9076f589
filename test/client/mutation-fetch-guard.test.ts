// The guard for Node's fetch (src/fetch-guard.ts): an upload's answer gets a body that the attempt's abort always
// reaches (nodejs/undici#4068). Mutation survivors of issue #18, through `guard`, the module's contract.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guard } from '../../src/fetch-guard.js';

const URL_ = 'https://api.example.test/v3/documents';

function upload(signal: AbortSignal): Request {
  return new Request(URL_, { method: 'POST', body: 'x', redirect: 'error', signal });
}

/** A body that sends `first`, then waits; records how it was cancelled. */
function stalling(first = 'Hello') {
  const seen = { cancelled: undefined as unknown, fail: (_e: unknown) => {} };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
      seen.fail = (e) => controller.error(e);
    },
    cancel(reason) {
      seen.cancelled = reason;
    },
  });
  return { body, seen };
}

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('guard: an upload’s answer', () => {
  it('keeps status, status text and headers, and passes the body through', async () => {
    const response = new Response('{"id":"abcde12345"}', {
      status: 201,
      statusText: 'Created',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
    });
    const request = upload(new AbortController().signal);
    const guarded = guard(response, request);
    expect(guarded.status).toBe(201);
    expect(guarded.statusText).toBe('Created');
    expect(guarded.headers.get('x-request-id')).toBe('r1');
    expect(await guarded.text()).toBe('{"id":"abcde12345"}');
    // Read to its end: the body lets go of the signal.
    expect(listeners(request.signal)).toBe(0);
  });

  it('an abort while the body stalls fails the read with the abort’s reason and cancels the body', async () => {
    const controller = new AbortController();
    const { body, seen } = stalling();
    const request = upload(controller.signal);
    const guarded = guard(new Response(body, { status: 201 }), request);
    const reader = guarded.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('Hello');
    const next = reader.read().catch((e: unknown) => e);
    const reason = new DOMException('The attempt timed out.', 'TimeoutError');
    controller.abort(reason);
    expect(await next).toBe(reason);
    expect(seen.cancelled).toBe(reason);
    expect(listeners(request.signal)).toBe(0);
  });

  it('a signal aborted before the answer came fails the body at once', async () => {
    const reason = new Error('gone');
    const { body, seen } = stalling();
    const guarded = guard(new Response(body, { status: 201 }), upload(AbortSignal.abort(reason)));
    await expect(guarded.text()).rejects.toBe(reason);
    expect(seen.cancelled).toBe(reason);
  });

  it('a broken connection fails the body with fetch’s own error, and lets go of the signal', async () => {
    const { body, seen } = stalling();
    const request = upload(new AbortController().signal);
    const guarded = guard(new Response(body, { status: 201 }), request);
    const reader = guarded.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    await reader.read();
    const broken = new TypeError('terminated');
    seen.fail(broken);
    await expect(reader.read()).rejects.toBe(broken);
    expect(listeners(request.signal)).toBe(0);
  });

  it('cancel() reaches the body and lets go of the signal', async () => {
    const request = upload(new AbortController().signal);
    const { body, seen } = stalling();
    const guarded = guard(new Response(body, { status: 201 }), request);
    expect(listeners(request.signal)).toBe(1);
    await guarded.body?.cancel('enough');
    expect(seen.cancelled).toBe('enough');
    expect(listeners(request.signal)).toBe(0);
  });

  it('an answer without a body is handed back as it is', () => {
    const response = new Response(null, { status: 204 });
    expect(guard(response, upload(new AbortController().signal))).toBe(response);
  });
});

describe('guard: any other request', () => {
  it('is handed back as it is (the request is only kept alive beside it)', async () => {
    const signal = new AbortController().signal;
    const response = new Response('Hello', { status: 200 });
    for (const request of [
      new Request(URL_, { signal, redirect: 'manual' }),
      new Request(URL_, { signal }),
    ]) {
      expect(guard(response, request)).toBe(response);
      expect(listeners(request.signal)).toBe(0);
    }
  });
});
