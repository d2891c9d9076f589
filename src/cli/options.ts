// Option values: parsers for commander (a bad value is a usage error, exit 2) and the format rules.
import { InvalidArgumentError } from 'commander';
import {
  checkId,
  checkListParams,
  checkTopup,
  checkUploadFields,
  DELETE_AFTER_MAX,
  DELETE_AFTER_MIN,
} from '../checks.js';
import {
  type Action,
  type DownloadFormat,
  InvalidParamsError,
  FORMATS_BY_ACTION as SDK_FORMATS,
  type UploadParams,
} from '../index.js';
import { UsageError } from './io.js';

/** The actions, as `--action` accepts them. */
export const ACTION_CHOICES = ['transcribe', 'tables', 'extractor'] as const satisfies readonly Action[];

/** Every result format. */
export const FORMAT_CHOICES = [
  'txt',
  'docx',
  'xlsx',
  'csv',
  'json',
] as const satisfies readonly DownloadFormat[];

/** The formats each action offers (the API answers 400 for the others); the SDK's table, widened. */
export const FORMATS_BY_ACTION: { readonly [A in Action]: readonly DownloadFormat[] } = SDK_FORMATS;

/**
 * The format used when `--format` is not given: `txt` for transcribe; `json` for tables and extractor (their
 * other formats are spreadsheets, which cannot go to a terminal, and json loses nothing).
 */
export const DEFAULT_FORMAT: { readonly [A in Action]: DownloadFormat } = {
  transcribe: 'txt',
  tables: 'json',
  extractor: 'json',
};

/** Formats whose result is bytes (never written to a terminal). */
export function isBinaryFormat(format: DownloadFormat): boolean {
  return format === 'docx' || format === 'xlsx';
}

/** Fails with a usage error when `action` does not offer `format`. */
export function checkFormatForAction(action: Action, format: DownloadFormat): void {
  const offered = FORMATS_BY_ACTION[action];
  if (!offered.includes(format)) {
    throw new UsageError(
      `--format ${format} is not offered for --action ${action} (choose ${offered.join(', ')})`,
    );
  }
}

/** commander parser: an integer ≥ 1. */
export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return Number(value);
}

/** commander parser: an integer ≥ 0. */
export function nonNegativeInt(value: string): number {
  const n = wholeNumber(value);
  if (n === undefined) throw new InvalidArgumentError('expected a whole number (0 or more).');
  return n;
}

/** commander parser: a TCP port, 0..65535 (0: a free one). */
export function port(value: string): number {
  const n = wholeNumber(value);
  if (n === undefined || n > 65_535) throw new InvalidArgumentError('expected a port from 0 to 65535.');
  return n;
}

/** A whole number as typed (digits only), or `undefined`; never a rounded one (beyond 2^53). */
function wholeNumber(value: string): number | undefined {
  const n = Number(value.trim());
  return /^\d+$/.test(value.trim()) && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Runs one of the SDK's checks (src/checks.ts) on a parsed value and turns its refusal into a usage error in
 * the CLI's words, so the CLI and the SDK can never disagree on what is valid.
 */
function sdkCheck(check: () => void, message: string): void {
  try {
    check();
  } catch (err) {
    if (err instanceof InvalidParamsError) throw new UsageError(message);
    throw err;
  }
}

/** commander parser: `--per-page`, 1..200 (the SDK's list check). */
export function perPage(value: string): number {
  const n = wholeNumber(value);
  const message = `--per-page must be a whole number from 1 to 200 (got ${value})`;
  if (n === undefined) throw new UsageError(message);
  sdkCheck(() => checkListParams({ per_page: n }), message);
  return n;
}

/** commander parser: a duration in seconds (decimals allowed), > 0. */
export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('expected a number of seconds greater than 0.');
  }
  return n;
}

/** Bounds of `delete_after`, in seconds (5 minutes to 14 days): the SDK's. */
export const DELETE_AFTER_RANGE = [DELETE_AFTER_MIN, DELETE_AFTER_MAX] as const;

// The upload fields the SDK checks, with a placeholder file (checkUploadFields never reads it).
const fields = (extra: Partial<UploadParams>): UploadParams => ({
  file: new Uint8Array(),
  action: 'transcribe',
  ...extra,
});

/** commander parser: `--delete-after` seconds within the API's range (the SDK's upload check). */
export function deleteAfterSeconds(value: string): number {
  const [min, max] = DELETE_AFTER_RANGE;
  const message = `--delete-after must be whole seconds from ${min} to ${max} (5 minutes to 14 days; got ${value})`;
  const n = wholeNumber(value);
  if (n === undefined) throw new UsageError(message);
  sdkCheck(() => checkUploadFields(fields({ delete_after: n })), message);
  return n;
}

/** commander parser: a top-up amount, a positive multiple of 100 credits (the SDK's amount check). */
export function creditAmount(value: string): number {
  const message = `the amount must be a positive multiple of 100 (got ${value})`;
  const n = wholeNumber(value);
  if (n === undefined) throw new UsageError(message);
  sdkCheck(() => checkTopup({ amount: n }), message);
  return n;
}

/** commander parser: an extractor id (the SDK's upload check: letters and digits, 1 to 64). */
export function extractorId(value: string): string {
  sdkCheck(
    () => checkUploadFields(fields({ action: 'extractor', extractor_id: value })),
    `--extractor-id must be an extractor id: 1 to 64 letters and digits (got ${JSON.stringify(value)})`,
  );
  return value;
}

/** commander parser: a prompt id (Enterprise plans; format undocumented): the SDK's upload check. */
export function promptId(value: string): string {
  sdkCheck(
    () => checkUploadFields(fields({ prompt_id: value } as Partial<UploadParams>)),
    '--prompt-id must be 1 to 255 characters, none of them control characters',
  );
  return value;
}

/** commander parser: a document id, as the SDK accepts it (letters and digits). */
export function documentId(value: string): string {
  sdkCheck(
    () => checkId(value),
    `${JSON.stringify(value)} is not a document id: ids are letters and digits only`,
  );
  return value;
}
