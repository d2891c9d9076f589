// Rendering: plain aligned lines for people, one JSON value for machines, and a redactor between the CLI and
// both streams so that the API token cannot reach a terminal or a log, whatever path it takes.
import { REDACTED } from '../log.js';
import type { CliIO, CliStream } from './io.js';

/** What the token is replaced with wherever it would be printed: the SDK's own marker, `[REDACTED]`. */
export { REDACTED };

/** Prints results to stdout and messages to stderr, with every known secret replaced by `[REDACTED]`. */
export class Output {
  readonly io: CliIO;
  readonly json: boolean;
  private readonly secrets = new Set<string>();

  constructor(io: CliIO, options: { json?: boolean } = {}) {
    this.io = io;
    this.json = options.json === true;
  }

  /** Registers a value that must never be printed (the API token). */
  addSecret(secret: string): void {
    // Very short values would redact ordinary text; a real token is long.
    if (secret.length >= 8) this.secrets.add(secret);
  }

  /** `text` with every registered secret replaced by `[REDACTED]`. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  /** A line on stdout. */
  line(text = ''): void {
    this.io.stdout.write(`${this.redact(text)}\n`);
  }

  /** Text on stdout as it is (a transcript). */
  text(text: string): void {
    this.io.stdout.write(this.redact(text));
  }

  /** Bytes on stdout as they are (docx/xlsx). */
  bytes(bytes: Uint8Array): void {
    this.io.stdout.write(bytes);
  }

  /** One JSON document on stdout, `token` fields redacted. */
  printJson(value: unknown): void {
    this.io.stdout.write(`${this.redact(JSON.stringify(redactTokens(value), null, 2))}\n`);
  }

  /** One JSON value on one line of stdout (for scripts that read line by line); secrets redacted. */
  jsonLine(value: unknown): void {
    this.io.stdout.write(`${this.redact(JSON.stringify(value))}\n`);
  }

  /** One JSON value on one line of stderr (errors under `--json`); secrets redacted. */
  errorJson(value: unknown): void {
    this.io.stderr.write(`${this.redact(JSON.stringify(redactTokens(value)))}\n`);
  }

  /** A line on stderr (progress, notes, errors). */
  note(text: string): void {
    this.io.stderr.write(`${this.redact(text)}\n`);
  }

  /** The stream a stdout-bound result goes to. */
  get stdout(): CliStream {
    return this.io.stdout;
  }
}

/** A deep copy of `value` with every `token` property replaced by `[REDACTED]`. */
export function redactTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactTokens);
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = key === 'token' && item !== undefined && item !== null ? REDACTED : redactTokens(item);
    }
    return copy;
  }
  return value;
}

/**
 * Rows as aligned columns (two spaces apart, the last column not padded). `header` is printed first when
 * given.
 */
export function formatTable(rows: readonly (readonly string[])[], header?: readonly string[]): string[] {
  const all = header ? [header, ...rows] : [...rows];
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** `key value` lines, keys aligned; `undefined` values are left out. */
export function formatFields(fields: readonly (readonly [string, string | undefined])[]): string[] {
  return formatTable(fields.filter((f): f is readonly [string, string] => f[1] !== undefined));
}

/** A timestamp shortened for a listing: `2026-03-05T14:49:19.000000Z` → `2026-03-05 14:49`. */
export function shortTime(value: string | null | undefined): string {
  if (!value) return '-';
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(value);
  return match ? `${match[1]} ${match[2]}` : value;
}

/** A value for a plain listing: `-` for nothing. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  return String(value);
}
