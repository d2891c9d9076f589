// `hwocr transcribe <files...>`: upload each file, wait for it, write its result. Files are independent: one
// failing never stops the others; the exit code says whether all of them made it.
import { resolve } from 'node:path';
import { checkUploadable } from '../../batch/precheck.js';
import { type Action, AuthenticationError, type DownloadFormat, type HandwritingOCR } from '../../index.js';
import type { Context } from '../context.js';
import {
  batchFailure,
  displayPath,
  fetchLater,
  fileError,
  isUserInput,
  notSentError,
  printFetchLater,
} from '../failures.js';
import {
  checkInputs,
  checkParentDirectory,
  ensureDirectory,
  isDirectoryTarget,
  outputPathFor,
} from '../files.js';
import { CommandFailure, ExitCode, isTerminal, UsageError } from '../io.js';
import { checkFormatForAction, DEFAULT_FORMAT, isBinaryFormat } from '../options.js';
import { createProgress, type FileState, progressMode } from '../progress.js';
import { type BatchCliOptions, transcribeBatch } from './transcribe-batch.js';

/** Options of `hwocr transcribe`, as commander parsed them (the batch ones in {@link BatchCliOptions}). */
export interface TranscribeOptions extends BatchCliOptions {
  action: Action;
  extractorId?: string;
  promptId?: string;
  format?: DownloadFormat;
  out?: string;
  deleteAfter?: number;
  concurrency: number;
  timeout?: number;
  pollInterval?: number;
}

/** Where one file's result goes. */
export type Target = { kind: 'stdout' } | { kind: 'embed' } | { kind: 'file'; path: string };

/** One file's outcome, as printed by `--json`. */
export interface FileResult {
  /** The input, as given on the command line. */
  file: string;
  /** The document id, once uploaded. */
  id: string | null;
  status: 'processed' | 'failed';
  format: DownloadFormat;
  /** The file written, when written to a file. */
  output?: string;
  /** The result itself (`--json` without `--out`): text for txt/csv, the result object for json. */
  content?: unknown;
  /** Why it failed. */
  error?: string;
}

/** Checks the options against each other and decides where each input's result goes. No request is sent. */
export function planTranscribe(
  files: readonly string[],
  options: TranscribeOptions,
  ctx: Pick<Context, 'cwd' | 'io' | 'globals'>,
): { format: DownloadFormat; inputs: string[]; targets: Target[] } {
  const { action } = options;
  if (action === 'extractor' && !options.extractorId) {
    throw new UsageError('--action extractor needs --extractor-id <id>');
  }
  if (action !== 'extractor' && options.extractorId) {
    throw new UsageError('--extractor-id only applies to --action extractor');
  }
  const format = options.format ?? DEFAULT_FORMAT[action];
  checkFormatForAction(action, format);
  const inputs = checkInputs(files, ctx.cwd);
  const json = ctx.globals.json === true;

  if (options.out === undefined) {
    if (json) {
      if (isBinaryFormat(format))
        throw new UsageError(`--json with --format ${format} needs --out <file|dir>`);
      return { format, inputs, targets: inputs.map(() => ({ kind: 'embed' })) };
    }
    if (inputs.length > 1) throw new UsageError('several files need --out <dir>');
    if (isBinaryFormat(format) && isTerminal(ctx.io, ctx.io.stdout)) {
      throw new UsageError(`will not write ${format} to a terminal: use --out <file> or redirect stdout`);
    }
    return { format, inputs, targets: [{ kind: 'stdout' }] };
  }

  if (isDirectoryTarget(options.out, ctx.cwd)) {
    const dir = ensureDirectory(options.out, ctx.cwd);
    const targets = inputs.map((input) => ({
      kind: 'file' as const,
      path: outputPathFor(input, dir, format),
    }));
    const seen = new Map<string, string>();
    targets.forEach((target, i) => {
      const other = seen.get(target.path);
      if (other !== undefined) {
        throw new UsageError(
          `${other} and ${files[i]} would both be written to ${displayPath(target.path, ctx.cwd)}`,
        );
      }
      seen.set(target.path, files[i] ?? '');
    });
    return { format, inputs, targets };
  }
  if (inputs.length > 1)
    throw new UsageError('--out names a file but several files were given: end it with / for a directory');
  return { format, inputs, targets: [{ kind: 'file', path: checkParentDirectory(options.out, ctx.cwd) }] };
}

/** Runs `hwocr transcribe`. */
export async function transcribe(files: string[], options: TranscribeOptions, ctx: Context): Promise<void> {
  const { format, inputs, targets } = planTranscribe(files, options, ctx);
  // `--out DIR`: a journalled, resumable batch (handwriting-ocr/batch).
  if (options.out !== undefined && isDirectoryTarget(options.out, ctx.cwd)) {
    const outputs = targets.map((t) => (t.kind === 'file' ? t.path : ''));
    return transcribeBatch(resolve(ctx.cwd, options.out), files, inputs, outputs, format, options, ctx);
  }
  if (options.webhookListen !== undefined || options.webhookUrl !== undefined || options.retryUnknown) {
    throw new UsageError('--webhook-listen, --webhook-url and --retry-unknown need --out <dir>');
  }
  const client = ctx.client();
  const { out, signal } = ctx;
  const uploads = new Semaphore(options.concurrency);
  const downloads = new Semaphore(options.concurrency);
  const mode = progressMode(ctx.io, ctx.globals);
  const progress = createProgress(mode, files, ctx.io, out);
  const results: FileResult[] = files.map((file) => ({ file, id: null, status: 'failed', format }));
  const errors: unknown[] = [];
  // After a 401 every other upload would fail the same way: the files not yet sent stay unsent.
  let stopped: AuthenticationError | undefined;
  let stdoutResult: string | Uint8Array | undefined;
  const onAbort = () => {
    if (mode !== 'silent')
      out.note('\nhwocr: stopping after the uploads in progress (Ctrl-C again to quit now)');
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const runOne = async (index: number): Promise<void> => {
    const result = results[index] as FileResult;
    const target = targets[index] as Target;
    const path = inputs[index] as string;
    const report = (state: FileState) => progress.update(index, state);
    try {
      checkUploadable(path); // the SDK's checks, before the file is queued: nothing is sent for a refused file
      const processed = await uploads.hold(async (release) => {
        if (stopped) throw new NotSent(stopped);
        signal.throwIfAborted();
        report({ state: 'uploading' });
        // The upload itself is never aborted: cut off by Ctrl-C it may still create (and bill) a document whose
        // id we would never learn. Once it is accepted, Ctrl-C ends the wait.
        const wait = new AbortController();
        const follow = () => wait.abort(signal.reason);
        try {
          return await client.documents.uploadAndWait(
            {
              file: path,
              action: options.action,
              ...(options.extractorId ? { extractor_id: options.extractorId } : {}),
              ...(options.promptId ? { prompt_id: options.promptId } : {}),
              ...(options.deleteAfter !== undefined ? { delete_after: options.deleteAfter } : {}),
            },
            {
              signal: wait.signal,
              ...(options.timeout !== undefined ? { timeoutMs: options.timeout * 1000 } : {}),
              ...(options.pollInterval !== undefined ? { pollIntervalMs: options.pollInterval * 1000 } : {}),
              onUploaded: (doc) => {
                result.id = doc.id;
                release(); // the next file may upload while this one is processed
                report({ state: 'pending', id: doc.id, status: doc.status });
                if (signal.aborted) follow();
                else signal.addEventListener('abort', follow, { once: true });
              },
              // Whatever status the API gives (queued, processing, new, …) is shown as it is.
              onStatus: (status) => {
                if (result.id && status !== 'processed' && status !== 'failed')
                  report({ state: 'pending', id: result.id, status });
              },
            },
          );
        } catch (err) {
          // Set before the slot passes to the next file, which must see it.
          if (err instanceof AuthenticationError) stopped ??= err;
          throw err;
        } finally {
          signal.removeEventListener('abort', follow);
        }
      });
      const id = processed.id;
      report({ state: 'downloading', id });
      await downloads.run(async () => {
        if (target.kind === 'file') {
          await saveResult(client, id, format, target.path, signal);
          result.output = displayPath(target.path, ctx.cwd);
        } else {
          const content = await client.documents.download(id, format, { signal });
          if (target.kind === 'embed') result.content = content;
          else stdoutResult = toOutput(content);
        }
      });
      result.status = 'processed';
      report({ state: 'done', id, ...(result.output ? { output: result.output } : {}) });
    } catch (err) {
      errors[index] = err;
      const hints = { baseUrl: ctx.baseUrl, timeoutSeconds: options.timeout };
      result.error =
        err instanceof NotSent
          ? notSentError(err.reason, hints)
          : fileError(err, {
              ...hints,
              ...(result.id ? { later: `'${fetchLater(result.id, format, targetPath(target), ctx)}'` } : {}),
            });
      report({
        state: 'failed',
        ...(result.id ? { id: result.id } : {}),
        message: result.error,
        ...(err instanceof NotSent ? { notSent: true } : {}),
      });
    }
  };

  progress.start();
  try {
    await Promise.all(files.map((_, i) => runOne(i)));
  } finally {
    signal.removeEventListener('abort', onAbort);
    await progress.stop();
  }

  // Written only now: a live display may share the terminal with stdout.
  if (stdoutResult !== undefined) {
    if (typeof stdoutResult === 'string') {
      out.text(stdoutResult);
      if (isTerminal(ctx.io, ctx.io.stdout) && !stdoutResult.endsWith('\n')) out.text('\n');
    } else {
      out.bytes(stdoutResult);
    }
  }
  if (ctx.globals.json) out.printJson({ results });

  if (signal.aborted) {
    // --json has the ids in its results, and keeps stderr to the one JSON error line.
    if (!ctx.globals.json) {
      const unfetched = results.flatMap((r, i) =>
        r.status === 'failed' && r.id ? [{ file: r.file, id: r.id, output: targetPath(targets[i]) }] : [],
      );
      printFetchLater(unfetched, format, ctx);
    }
    throw new CommandFailure('interrupted', ExitCode.interrupted);
  }
  const failed = results.flatMap((r, i) =>
    r.status === 'failed'
      ? [
          {
            file: r.file,
            error: r.error ?? 'failed',
            notSent: errors[i] instanceof NotSent,
            userInput: isUserInput(errors[i]),
          },
        ]
      : [],
  );
  if (failed.length > 0) throw batchFailure(failed, files.length, out);
}

/** The file a target writes, if it writes one. */
function targetPath(target: Target | undefined): string | undefined {
  return target?.kind === 'file' ? target.path : undefined;
}

/** A file skipped because the batch stopped (after a 401): it was never sent. */
class NotSent extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** Downloads a result to `path` atomically (temp file + rename, by the client), streaming it to disk. */
export async function saveResult(
  client: HandwritingOCR,
  id: string,
  format: DownloadFormat,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  await client.documents.downloadToFile(id, format, path, { signal });
}

/** A downloaded result as it is written out: json pretty-printed, text and bytes as they came. */
export function toOutput(content: unknown): string | Uint8Array {
  if (typeof content === 'string' || content instanceof Uint8Array) return content;
  return `${JSON.stringify(content, null, 2)}\n`;
}

/** A FIFO limit on how many tasks run at once. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  /** Runs `task` once a slot is free. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.hold(() => task());
  }

  /**
   * Runs `task` once a slot is free; the slot is given back when `task` calls `release` (e.g. once an upload
   * is accepted, while its document is still processed) or ends, whichever comes first.
   */
  async hold<T>(task: (release: () => void) => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so `active` stays as it is.
      if (next) next();
      else this.active--;
    };
    try {
      return await task(release);
    } finally {
      release();
    }
  }
}
