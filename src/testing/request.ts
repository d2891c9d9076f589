// Reading request bodies: bounded buffering, and form parsing by the platform's own (undici) parser.
import type { IncomingMessage } from 'node:http';

/** A request body, read up to a limit. */
export interface ReadBody {
  /** The bytes kept (all of them unless `tooLarge`). */
  bytes: Uint8Array;
  /** The body was larger than the limit; the rest was read and discarded. */
  tooLarge: boolean;
}

/** Reads the whole body, keeping at most `limit` bytes (the rest is drained so the client gets its answer). */
export async function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return { bytes: tooLarge ? new Uint8Array() : Buffer.concat(chunks), tooLarge };
}

/**
 * Parses a `multipart/form-data` or `application/x-www-form-urlencoded` body (JSON objects too, for
 * convenience); `undefined` when it is none of these or malformed.
 */
export async function parseForm(
  bytes: Uint8Array,
  contentType: string | undefined,
): Promise<FormData | undefined> {
  if (!contentType) return undefined;
  if (/^application\/json\b/i.test(contentType)) return jsonForm(bytes);
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(contentType)) return undefined;
  try {
    const request = new Request('http://simulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      // Bodies read from a socket are never backed by a SharedArrayBuffer.
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    return await request.formData();
  } catch {
    return undefined;
  }
}

function jsonForm(bytes: Uint8Array): FormData | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const form = new FormData();
    for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) form.set(key, String(v));
    return form;
  } catch {
    return undefined;
  }
}

/** A text field of a form, or `undefined` when absent (or a file). */
export function textField(form: FormData | undefined, name: string): string | undefined {
  const value = form?.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** A form or query integer: its value, or why it is not one. */
export type FormInteger = { value: number } | { error: 'not-integer' | 'too-large' };

/**
 * Reads a whole number written in digits (an optional `-`). Beyond 2^53 a JavaScript number would round it
 * (45342258988683300 → …3296), so such values are refused rather than read wrong.
 */
export function parseFormInteger(raw: string): FormInteger {
  if (!/^-?\d+$/.test(raw)) return { error: 'not-integer' };
  const value = Number(raw);
  return Number.isSafeInteger(value) ? { value } : { error: 'too-large' };
}
