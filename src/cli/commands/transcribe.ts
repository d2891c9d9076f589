// `hwocr transcribe <files...>`: upload each file, wait for it, write its result. Files are independent: one
// failing never stops the others; the exit code says whether all of them made it.
import { relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Action,
  type DownloadFormat,
  type HandwritingOCR,
  NotFoundError,
  type WaitOptions,
  WaitTimeoutError,
} from '../../index.js';
import type { Context } from '../context.js';
import { describeError, isAbort } from '../errors.js';
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

/** The SDK's default wait deadline (10 minutes), restated for the 404 grace loop. */
const WAIT_TIMEOUT_MS = 10 * 60_000;

/** Options of `hwocr transcribe`, as commander parsed them (the batch ones in {@link BatchCliOptions}). */
export interface TranscribeOptions extends BatchCliOptions {
  action: Action;
  extractorId?: string;
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
  const progress = createProgress(progressMode(ctx.io, ctx.globals), files, ctx.io, out);
  const results: FileResult[] = files.map((file) => ({ file, id: null, status: 'failed', format }));
  let stdoutResult: string | Uint8Array | undefined;

  const runOne = async (index: number): Promise<void> => {
    const result = results[index] as FileResult;
    const target = targets[index] as Target;
    const path = inputs[index] as string;
    const report = (state: FileState) => progress.update(index, state);
    try {
      const uploaded = await uploads.run(async () => {
        signal.throwIfAborted();
        report({ state: 'uploading' });
        return client.documents.upload(
          {
            file: path,
            action: options.action,
            ...(options.extractorId ? { extractor_id: options.extractorId } : {}),
            ...(options.deleteAfter !== undefined ? { delete_after: options.deleteAfter } : {}),
          },
          // No signal: an upload cut off by Ctrl-C may still create (and bill) a document whose id we would
          // never learn. It finishes, then the abort applies; a second Ctrl-C quits at once.
        );
      });
      const id = uploaded.id;
      result.id = id;
      signal.throwIfAborted();
      report({ state: 'pending', id, status: uploaded.status });
      await waitAfterUpload(client, id, {
        signal,
        ...(options.timeout !== undefined ? { timeoutMs: options.timeout * 1000 } : {}),
        ...(options.pollInterval !== undefined ? { pollIntervalMs: options.pollInterval * 1000 } : {}),
        onStatus: (status) => {
          if (status !== 'processed' && status !== 'failed') report({ state: 'pending', id, status });
        },
      });
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
      result.error = fileError(err, result.id);
      report({ state: 'failed', ...(result.id ? { id: result.id } : {}), message: result.error });
    }
  };

  progress.start();
  try {
    await Promise.all(files.map((_, i) => runOne(i)));
  } finally {
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

  const failed = results.filter((r) => r.status === 'failed');
  if (signal.aborted) {
    for (const r of failed) {
      if (r.id)
        out.note(
          `${r.file} was uploaded as ${r.id}: fetch it later with 'hwocr documents download ${r.id} --wait'`,
        );
    }
    throw new CommandFailure('interrupted', ExitCode.interrupted);
  }
  if (failed.length === 0) return;
  const first = failed[0] as FileResult;
  if (files.length === 1) throw new CommandFailure(`${first.file}: ${first.error}`);
  if (failed.length === 1)
    throw new CommandFailure(`1 of ${files.length} files failed: ${first.file}: ${first.error}`);
  throw new CommandFailure(
    `${failed.length} of ${files.length} files failed: ${failed.map((r) => r.file).join(', ')}`,
  );
}

/** How long after an upload a 404 still means "not visible yet" (the API has been seen to lag). */
const NOT_FOUND_GRACE_MS = 30_000;

/**
 * `waitForProcessing` for a document just uploaded: a 404 in the first seconds is the API lagging, not a
 * missing document, so it is waited out (as `uploadAndWait` does; the CLI uploads separately to learn the id
 * at once). The overall deadline stays the one asked for.
 */
async function waitAfterUpload(client: HandwritingOCR, id: string, options: WaitOptions): Promise<void> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? WAIT_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      // After a 404, only what is left of the deadline (the first call keeps it whole, and in its message).
      const left = attempt === 0 ? options.timeoutMs : Math.max(1, timeoutMs - (Date.now() - started));
      await client.documents.waitForProcessing(id, {
        ...options,
        ...(left !== undefined ? { timeoutMs: left } : {}),
      });
      return;
    } catch (err) {
      if (!(err instanceof NotFoundError) || Date.now() - started > NOT_FOUND_GRACE_MS) throw err;
      await sleep(options.pollIntervalMs ?? 2_000, undefined, { signal: options.signal });
    }
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

function fileError(err: unknown, id: string | null): string {
  if (isAbort(err)) return 'interrupted';
  const message = describeError(err);
  if (err instanceof WaitTimeoutError && id) {
    return `${message} It may still finish: 'hwocr documents download ${id} --wait'.`;
  }
  return message;
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** A FIFO limit on how many tasks run at once. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so `active` stays as it is.
      if (next) next();
      else this.active--;
    }
  }
}
