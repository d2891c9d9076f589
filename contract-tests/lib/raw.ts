// Raw HTTP for what the SDK would refuse to send (or cannot send, like a request without a token).
import { type Exchange, recordingFetch } from './recorder.js';

export interface RawRequest {
  method?: string;
  path: string;
  token?: string | null;
  headers?: Record<string, string>;
  body?: BodyInit;
}

export async function rawRequest(
  baseUrl: string,
  req: RawRequest,
): Promise<Exchange & { bytes: Uint8Array }> {
  const recorder = recordingFetch();
  const headers = new Headers(req.headers);
  if (req.token !== null) headers.set('authorization', `Bearer ${req.token ?? 'contract-test-token'}`);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const response = await recorder.fetch(`${baseUrl}${req.path}`, {
    method: req.method ?? 'GET',
    headers,
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  await response.arrayBuffer();
  const exchange = recorder.exchanges[0];
  if (!exchange) throw new Error('no exchange recorded');
  return { ...exchange, bytes: await exchange.body };
}

export function json(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** A multipart form from plain fields; a `Blob` value becomes a file part. */
export function form(fields: Record<string, string | Blob>, fileName = 'sample.png'): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') data.append(k, v);
    else data.append(k, v, fileName);
  }
  return data;
}
