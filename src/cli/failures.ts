// A file's failure in `hwocr transcribe`, told the same way with and without --out DIR (the batch path): the
// line that names it, whether it was the user's input, the batch's last line (a cause shared by every failure
// is said once), and the commands that fetch interrupted documents later.
import { relative } from 'node:path';
import { type DownloadFormat, InvalidParamsError, WaitTimeoutError } from '../index.js';
import type { Context } from './context.js';
import { describeError, type ErrorHints, isAbort, waitTimeoutMessage } from './errors.js';
import { CommandFailure, ExitCode } from './io.js';
import type { Output } from './output.js';

/** What a file's failure line may mention beyond the error itself. */
export interface FailureHints extends ErrorHints {
  /** `--timeout` as typed, in seconds: a wait timeout is told in the user's unit. */
  timeoutSeconds?: number | undefined;
  /** What picks up a document whose wait timed out: a quoted command, or "rerun the same command …". */
  later?: string | undefined;
}

/** One line saying why a file failed. */
export function fileError(err: unknown, hints: FailureHints = {}): string {
  if (isAbort(err)) return 'interrupted';
  if (err instanceof WaitTimeoutError && hints.later)
    return waitTimeoutMessage(err, hints.timeoutSeconds, hints.later);
  return describeError(err, hints);
}

const NOT_SENT = 'not sent: the batch stopped after ';

/** The line of a file never sent because the batch stopped at `cause` (a 401). */
export function notSentError(cause: unknown, hints: ErrorHints = {}): string {
  return `${NOT_SENT}${describeError(cause, hints)}`;
}

/** Whether `err` means the user's input was refused by the SDK's checks (nothing was sent): exit 2. */
export function isUserInput(err: unknown): boolean {
  return err instanceof InvalidParamsError;
}

/** A failed file, as the batch's summary needs it. */
export interface FailedFile {
  /** The input, as typed. */
  file: string;
  /** Its failure line ({@link fileError} or {@link notSentError}). */
  error: string;
  /** Never sent: the batch stopped at a 401. */
  notSent?: boolean | undefined;
  /** Refused by the SDK's checks before sending. */
  userInput?: boolean | undefined;
}

/** At most this many names in the last line; the files are listed above it anyway. */
const NAMES_MAX = 10;

/**
 * The batch's end as the error `run()` prints (exit 1; exit 2 when every failure was the user's input). A
 * cause shared by every failure (files not sent after a 401 share the 401's) is said once, in that line;
 * several causes get an indented line per file first (`  <file>: <error>`, on stderr; not with --json, whose
 * results hold them). `extra` ends the count.
 */
export function batchFailure(
  failed: readonly FailedFile[],
  total: number,
  out: Output,
  extra = '',
): CommandFailure {
  const code = failed.every((f) => f.userInput) ? ExitCode.usage : ExitCode.failure;
  const first = failed[0] as FailedFile;
  if (total === 1) return new CommandFailure(`${first.file}: ${first.error}`, code);
  const cause = (f: FailedFile) => (f.notSent ? f.error.replace(NOT_SENT, '') : f.error);
  const causes = new Set(failed.map(cause));
  const unsent = failed.filter((f) => f.notSent).length;
  const count =
    (failed.length === total ? `all ${total} files failed` : `${failed.length} of ${total} files failed`) +
    (unsent ? ` (${unsent} not sent)` : '') +
    extra;
  if (causes.size === 1) {
    return new CommandFailure(`${count}${names(failed, total)}: ${cause(first)}`, code);
  }
  // Under --json each file's error is in its result, and stderr keeps to the one JSON error line.
  if (!out.json) {
    for (const f of failed) {
      out.note(`  ${f.file}: ${f.notSent ? 'not sent (the batch stopped at a 401)' : f.error}`);
    }
  }
  return new CommandFailure(count, code);
}

/** ` (a.png, b.png)` when only some files failed; nothing when all did. */
function names(failed: readonly FailedFile[], total: number): string {
  if (failed.length === total) return '';
  const shown = failed.slice(0, NAMES_MAX).map((f) => f.file);
  if (failed.length > NAMES_MAX) shown.push(`and ${failed.length - NAMES_MAX} more`);
  return ` (${shown.join(', ')})`;
}

/** An uploaded document a Ctrl-C left unfetched. */
export interface Unfetched {
  file: string;
  id: string;
  /** Where this run would have written it; `undefined` for stdout or `--json`. */
  output: string | undefined;
}

/** After Ctrl-C: for each uploaded file, the command that fetches it later, ready to paste. */
export function printFetchLater(
  files: readonly Unfetched[],
  format: DownloadFormat,
  ctx: Pick<Context, 'out' | 'cwd' | 'globals'>,
): void {
  for (const f of files) {
    ctx.out.note(
      `${f.file} was uploaded as ${f.id}: fetch it later with '${fetchLater(f.id, format, f.output, ctx)}'`,
    );
  }
}

/** The command that fetches a document later, with the format, place and API this run used: paste-ready. */
export function fetchLater(
  id: string,
  format: DownloadFormat,
  output: string | undefined,
  ctx: Pick<Context, 'cwd' | 'globals'>,
): string {
  const parts = ['hwocr', 'documents', 'download', id, '--wait', '--format', format];
  if (output !== undefined) parts.push('--out', quote(displayPath(output, ctx.cwd)));
  if (ctx.globals.baseUrl) parts.push('--base-url', quote(ctx.globals.baseUrl));
  if (ctx.globals.tokenFile) parts.push('--token-file', quote(ctx.globals.tokenFile));
  return parts.join(' ');
}

/** `path` relative to `cwd` when it is under it, else as it is. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** A shell word: quoted only when it needs to be. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
