// A fetch that records every exchange (request line and headers, response status, headers and body) so
// the suite can validate every response the SDK received, not only the one a method resolved with.

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  status: number;
  headers: Headers;
  /** The response body, read from a clone while the SDK reads the original. */
  body: Promise<Uint8Array>;
}

export interface Recorder {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  exchanges: Exchange[];
  /** Exchanges whose request failed before any answer (connection refused, abort). */
  failures: { method: string; url: string; error: unknown }[];
  clear(): void;
}

export function recordingFetch(base: typeof fetch = globalThis.fetch): Recorder {
  const exchanges: Exchange[] = [];
  const failures: Recorder['failures'] = [];
  const record = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // The SDK hands over a ready Request; re-wrapping it would consume a streamed upload body.
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const seen = { method: request.method, url: request.url, requestHeaders: new Headers(request.headers) };
    let response: Response;
    try {
      response = await base(request);
    } catch (error) {
      failures.push({ method: seen.method, url: seen.url, error });
      throw error;
    }
    const copy = response.clone();
    const body = copy.arrayBuffer().then(
      (b) => new Uint8Array(b),
      () => new Uint8Array(),
    );
    exchanges.push({ ...seen, status: response.status, headers: new Headers(response.headers), body });
    return response;
  };
  return {
    fetch: record,
    exchanges,
    failures,
    clear() {
      exchanges.length = 0;
      failures.length = 0;
    },
  };
}
