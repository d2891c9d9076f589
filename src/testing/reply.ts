// Answers as plain values, so that handlers stay testable and a fault can replace an answer after the fact.
import type { JsonOf, OperationId, StatusOf } from './spec.js';

/** An HTTP answer, not yet written. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * A JSON answer the spec documents: the operation, status and body are checked against the generated types,
 * so an undocumented status or a non-conforming body fails the compile.
 */
export function json<O extends OperationId, S extends StatusOf<O>>(
  _operation: O,
  status: S,
  body: JsonOf<O, S>,
  headers: Record<string, string> = {},
): Reply {
  return untypedJson(status, body, headers);
}

/** A JSON answer outside the spec's typing (injected faults, the thumbnail route, unknown routes). */
export function untypedJson(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An answer with a body of another type (downloads, thumbnails). */
export function raw(status: number, contentType: string, body: string | Uint8Array, headers = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

/** 204, no body. */
export function noContent(): Reply {
  return { status: 204, headers: {} };
}
