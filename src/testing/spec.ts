// Types of the wire format, taken from the generated OpenAPI types so that a spec change breaks the
// simulator's compile instead of its users' tests.
import type { components, operations } from '../../generated/openapi.js';

/** Schemas of the merged OpenAPI document. */
export type Schemas = components['schemas'];
// The client's names for the enums, so documentation links the simulator's tables to the main entry's types.
export type { Action, DownloadFormat } from '../types.js';
/** A document's status and (once processed) its results, shaped by `action`. */
export type DocumentResult = Schemas['DocumentResult'];

/** An operationId of the spec. */
export type OperationId = keyof operations;

/** The numeric statuses an operation documents. */
export type StatusOf<O extends OperationId> = Extract<keyof operations[O]['responses'], number>;

/** The JSON body an operation documents for a status (`never` when it documents none). */
export type JsonOf<O extends OperationId, S extends StatusOf<O>> = operations[O]['responses'][S] extends {
  content: { 'application/json': infer B };
}
  ? B
  : never;

/** Every route the simulator answers; the keys fault injection and the request log use. */
export type RouteKey =
  | 'POST /documents'
  | 'GET /documents'
  | 'GET /documents/{id}'
  | 'GET /documents/{id}.{format}'
  | 'DELETE /documents/{id}'
  | 'GET /users/me'
  | 'POST /credits/topup'
  | 'GET /document/{id}/image-{page}.jpg';

// Compile-time proof that a list names every documented status of an operation and nothing else.
type Complete<O extends OperationId, L extends readonly number[]> = [StatusOf<O>] extends [L[number]]
  ? L
  : { missing: Exclude<StatusOf<O>, L[number]> };
const statuses = <O extends OperationId>() => {
  return <const L extends readonly StatusOf<O>[]>(list: L & Complete<O, L>): readonly number[] => list;
};

/** The statuses the spec documents per route (none for the thumbnail route, which it does not describe). */
export const DOCUMENTED_STATUSES: Record<RouteKey, readonly number[]> = {
  'POST /documents': statuses<'upload-document'>()([200, 201, 400, 401, 403, 413, 415, 422, 429, 500]),
  'GET /documents': statuses<'list-documents'>()([200, 401, 422, 429]),
  'GET /documents/{id}': statuses<'download-result'>()([200, 202, 400, 401, 403, 404, 429, 500]),
  'GET /documents/{id}.{format}': statuses<'download-document-format'>()([
    200, 202, 400, 401, 403, 404, 429, 500,
  ]),
  'DELETE /documents/{id}': statuses<'delete-document'>()([204, 401, 403, 404, 429, 500]),
  'GET /users/me': statuses<'get-user-information'>()([200, 401]),
  'POST /credits/topup': statuses<'purchase-additional-credits'>()([200, 401, 402, 403, 422, 429]),
  'GET /document/{id}/image-{page}.jpg': [],
};
