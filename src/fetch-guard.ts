// A guard for Node's fetch (undici), reached through io.ts: browsers and Workers (io.web.ts) need none.

// Each response keeps its request alive for as long as the response itself lives (see `guard`).
const requestOf = new WeakMap<Response, Request>();

/**
 * `response`, made such that an abort of `request`'s signal always reaches its body. Node's fetch (undici) links
 * that signal to the body only weakly: once the Request is garbage-collected, an abort no longer reaches a body
 * being read (nodejs/undici#4068). Keeping the request alive beside its response is enough, and costs nothing
 * per request, except under `redirect: 'error'` (uploads), where undici reads through a request of its own:
 * there the body itself is wrapped ({@link abortable}).
 */
export function guard(response: Response, request: Request): Response {
  if (request.redirect === 'error') return abortable(response, request);
  requestOf.set(response, request);
  return response;
}

/**
 * `response` with a body that fails as soon as `request`'s signal aborts (the attempt's timeout, the caller's
 * signal). Node's fetch (undici) links that signal to the body it is reading only weakly: once the Request objects
 * are garbage-collected, an abort no longer reaches the body, and a read of a stalled body hangs for good
 * (nodejs/undici#4068; with `redirect: 'error'`, as uploads send, even while the Request is kept). This body holds
 * `request` for as long as it is read, and ends itself on the abort.
 */
function abortable(response: Response, request: Request): Response {
  const { body } = response;
  // A 204 or 304 has no body (undici, like the Fetch spec, gives null-body statuses a null body).
  if (!body) return response;
  const reader = body.getReader();
  let onAbort = () => {};
  const stop = () => request.signal.removeEventListener('abort', onAbort);
  const guarded = new ReadableStream<Uint8Array>({
    start(stream) {
      onAbort = () => {
        stream.error(request.signal.reason);
        reader.cancel(request.signal.reason).catch(() => {});
      };
      if (request.signal.aborted) onAbort();
      else request.signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(stream) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        stop();
        throw err; // the connection broke: the body fails with fetch's own error, as it would unwrapped
      }
      if (!chunk.done) return stream.enqueue(chunk.value);
      stop();
      stream.close();
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  });
  const { status, statusText, headers } = response;
  return new Response(guarded, { status, statusText, headers });
}
