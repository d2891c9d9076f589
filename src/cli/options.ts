// Option values: parsers for commander (a bad value is a usage error, exit 2) and the format rules.
import { InvalidArgumentError } from 'commander';
import { type Action, type DownloadFormat, FORMATS_BY_ACTION as SDK_FORMATS } from '../index.js';
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

/** commander parser: `--per-page`, 1..200. */
export function perPage(value: string): number {
  const n = positiveInt(value);
  if (n > 200) throw new InvalidArgumentError('expected 1 to 200.');
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

/** Bounds of `delete_after`, in seconds (5 minutes to 14 days). */
export const DELETE_AFTER_RANGE = [300, 1_209_600] as const;

/** commander parser: `--delete-after` seconds within the API's range. */
export function deleteAfterSeconds(value: string): number {
  const n = Number(value);
  const [min, max] = DELETE_AFTER_RANGE;
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new InvalidArgumentError(`expected whole seconds from ${min} to ${max} (5 minutes to 14 days).`);
  }
  return n;
}

/** commander parser: a top-up amount, a positive multiple of 100 credits. */
export function creditAmount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 100 || n % 100 !== 0 || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a positive multiple of 100 credits.');
  }
  return n;
}

/** commander parser: an extractor id, 1 to 64 letters or digits (10 in the spec; longer ones exist). */
export function extractorId(value: string): string {
  if (!/^[A-Za-z0-9]{1,64}$/.test(value))
    throw new InvalidArgumentError('expected 1 to 64 letters or digits.');
  return value;
}

/** commander parser: a prompt id (Enterprise plans; format undocumented), 1 to 255 characters. */
export function promptId(value: string): string {
  if (!/^\P{Cc}{1,255}$/u.test(value)) {
    throw new InvalidArgumentError('expected 1 to 255 characters, none of them control characters.');
  }
  return value;
}

/** commander parser: a document id, as the API issues them (no path characters). */
export function documentId(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value))
    throw new InvalidArgumentError('expected a document id (letters and digits).');
  return value;
}
