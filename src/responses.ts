// Reading answers: a 2xx JSON answer is parsed and checked for the shape its type promises (the tables are in
// shapes.ts) before it is returned; pending (202) bodies and error bodies are read leniently.
import { cut, MAX_ERROR_BODY, UnexpectedResponseError } from './errors.js';
import { isObject, type Shaped, type ShapeName, WHY } from './shapes.js';
import type { PendingDocument } from './types.js';

/** How a body that is not what was promised is described: the call, and what a caller must know about it. */
export interface Expectation {
  /** e.g. `GET /users/me`. */
  call: string;
  /** Appended to the message, e.g. that an upload may have been accepted. */
  note?: string;
  scrub: (text: string) => string;
}

/** The raw body as an error keeps it: secrets scrubbed first, then cut. */
export function keptBody(text: string | undefined, scrub: (text: string) => string): string | undefined {
  if (text === undefined) return undefined;
  return cut(scrub(text), MAX_ERROR_BODY);
}

/** An {@link UnexpectedResponseError} for `response` with the given reason. */
export function unexpected(
  response: Response,
  reason: string,
  expect: Expectation,
  text?: string,
): UnexpectedResponseError {
  return new UnexpectedResponseError(
    `${expect.call} answered ${response.status} with ${reason}${expect.note ? `; ${expect.note}` : ''}.`,
    {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: keptBody(text, expect.scrub),
    },
  );
}

/**
 * Reads a 2xx JSON body and checks it has the shape of `name`. An empty body, a 204, `null`, invalid JSON or
 * another shape is an {@link UnexpectedResponseError} (whose message never quotes the parser: it would quote the
 * body around the fault, which may be part of a secret).
 */
export async function readShaped<N extends ShapeName>(
  response: Response,
  name: N,
  expect: Expectation,
): Promise<Shaped[N]> {
  const text = await response.text(); // a 204's null body reads as ''
  return checkShape(response, parseBody(response, text, expect), text, name, expect);
}

/** A 2xx body parsed as JSON; an empty body or invalid JSON is an {@link UnexpectedResponseError}. */
export function parseBody(response: Response, text: string, expect: Expectation): unknown {
  if (text.trim() === '') throw unexpected(response, 'an empty body, not JSON', expect, text);
  try {
    return JSON.parse(text);
  } catch {
    throw unexpected(response, 'a body that is not valid JSON', expect, text);
  }
}

/** `value` (parsed from `text`) when it has the shape of `name`, else an {@link UnexpectedResponseError}. */
export function checkShape<N extends ShapeName>(
  response: Response,
  value: unknown,
  text: string,
  name: N,
  expect: Expectation,
): Shaped[N] {
  const problem = WHY[name](value);
  if (problem) throw unexpected(response, `a body that is not ${article(name)} (${problem})`, expect, text);
  return value as Shaped[N];
}

function article(name: ShapeName): string {
  return {
    user: 'a user',
    uploaded: 'an uploaded document',
    topup: 'a top-up result',
    list: 'a page of documents',
    document: 'a document',
  }[name];
}

/** A body parsed as JSON when it is JSON, else the raw text; `undefined` when empty (error bodies). */
export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A 202's body when it is the JSON object the spec describes; the API may send less, or nothing. */
export function parsePending(text: string | undefined): PendingDocument | undefined {
  const value = parseJson(text); // raw text when not JSON: not an object either
  return isObject(value) ? (value as PendingDocument) : undefined;
}
