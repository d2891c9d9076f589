// Runtime tables for the API's enums. Types are erased, so the checks need values; each table is typed as a
// mapped type over the generated enum, so a regenerate that adds or drops a value fails to compile here
// instead of silently drifting.
import type { Action, DocumentResultFor, DownloadFormat } from './types.js';

/**
 * Each format's media type: sent as `Accept` with a download, and what tells how its body is read (JSON, text,
 * or bytes).
 */
export const MEDIA_TYPES = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const satisfies { readonly [F in DownloadFormat]: string };

/**
 * The formats each action offers (the API answers 400 for the others).
 *
 * @example
 * ```ts
 * FORMATS_BY_ACTION.tables; // ['xlsx', 'json']
 * ```
 */
export const FORMATS_BY_ACTION = {
  transcribe: ['txt', 'docx', 'json'],
  tables: ['xlsx', 'json'],
  extractor: ['xlsx', 'csv', 'json'],
} as const satisfies { readonly [A in Action]: readonly DownloadFormat[] };

/** The formats an action offers, e.g. `FormatFor<'tables'>` is `'xlsx' | 'json'`. */
export type FormatFor<A extends Action> = (typeof FORMATS_BY_ACTION)[A][number];

/**
 * What `documents.download()` resolves to for a format: `json` → the typed result (narrowed by action when the
 * action is known), `txt`/`csv` → `string`, `docx`/`xlsx` → `Uint8Array`.
 */
export type DownloadResult<F extends DownloadFormat, A extends Action = Action> = F extends 'json'
  ? DocumentResultFor<A>
  : F extends 'txt' | 'csv'
    ? string
    : Uint8Array;
