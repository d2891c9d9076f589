// `hwocr transcribe <files...> --out DIR`: the batch path. The work is the library's (`handwriting-ocr/batch`);
// this file turns options into a run, shows progress, and prints the summary or the `--json` report.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type BatchProgress,
  type BatchReport,
  FileJournal,
  type FileReport,
  JOURNAL_FILE,
  JournalError,
  type FileState as RunnerFileState,
  runBatch,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../batch/index.js';
import type { DownloadFormat } from '../../index.js';
import type { Context } from '../context.js';
import { humanDuration } from '../errors.js';
import {
  batchFailure,
  displayPath,
  type FailureHints,
  fileError,
  isUserInput,
  notSentError,
  printFetchLater,
} from '../failures.js';
import { CommandFailure, ExitCode, isTerminal, UsageError } from '../io.js';
import { createProgress, describeState, type FileState, progressMode } from '../progress.js';

/** The environment variable the webhook secret may come from. */
export const WEBHOOK_SECRET_ENV = 'HANDWRITING_OCR_WEBHOOK_SECRET';

/** The options of `hwocr transcribe` that the batch path reads. */
export interface BatchCliOptions {
  action: 'transcribe' | 'tables' | 'extractor';
  extractorId?: string;
  promptId?: string;
  deleteAfter?: number;
  concurrency: number;
  maxConcurrency?: number;
  retryUnknown?: boolean;
  timeout?: number;
  pollInterval?: number;
  webhookListen?: number;
  webhookUrl?: string;
  webhookSecretFile?: string;
  webhookWait?: number;
}

/** Runs a batch into `dir`: one output per input, the journal beside them. */
export async function transcribeBatch(
  dir: string,
  names: readonly string[],
  inputs: readonly string[],
  outputs: readonly string[],
  format: DownloadFormat,
  options: BatchCliOptions,
  ctx: Context,
): Promise<void> {
  const webhook = webhookSettings(options, ctx);
  const client = ctx.client();
  const { out } = ctx;
  const show = (path: string): string => displayPath(path, ctx.cwd);
  // A timed-out wait resumes on a rerun, as everything else does.
  const hints: FailureHints = {
    baseUrl: ctx.baseUrl,
    timeoutSeconds: options.timeout,
    later: 'rerun the same command to resume',
  };
  const errorOf = (f: Readonly<FileReport>): string | undefined => describeFailure(f, hints);
  const journalPath = join(dir, JOURNAL_FILE);
  const journal = new FileJournal(journalPath, { onWarning: (m) => out.note(`hwocr: warning: ${m}`) });
  // A few files: one line (or live row) per file, as for any transcribe. Many: one line of counts.
  const mode = progressMode(ctx.io, ctx.globals);
  const perFile = mode !== 'silent' && names.length <= PER_FILE_DISPLAY_MAX;
  const files = perFile ? createProgress(mode, names, ctx.io, out) : undefined;
  const ticker = mode !== 'silent' && !perFile ? new ProgressLine(ctx) : undefined;

  let receiver: WebhookReceiver | undefined;
  if (webhook) {
    try {
      receiver = await startWebhookReceiver({
        port: webhook.port,
        secret: webhook.secret,
        onRejected: (reason) => out.note(`hwocr: webhook delivery refused: ${reason}`),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new UsageError(`cannot listen for webhooks on port ${webhook.port} (${code})`);
    }
  }
  let report: BatchReport;
  files?.start();
  try {
    report = await runBatch({
      client,
      journal,
      files: inputs.map((input, i) => ({ input, output: outputs[i] as string })),
      action: options.action,
      format,
      extractorId: options.extractorId,
      promptId: options.promptId,
      deleteAfter: options.deleteAfter,
      concurrency: options.concurrency,
      maxConcurrency: options.maxConcurrency,
      retryUnknown: options.retryUnknown,
      timeoutMs: options.timeout !== undefined ? options.timeout * 1000 : undefined,
      pollIntervalMs: options.pollInterval !== undefined ? options.pollInterval * 1000 : undefined,
      webhook:
        webhook && receiver
          ? { url: webhook.url, receiver, fallbackMs: (options.webhookWait ?? 60) * 1000 }
          : undefined,
      signal: ctx.signal,
      onProgress: ticker ? (p) => ticker.update(p) : undefined,
      onFile: files ? (i, state, f) => files.update(i, fileState(state, f, show, errorOf)) : undefined,
      onWarning: (m) => out.note(`hwocr: warning: ${m}`),
    });
  } catch (err) {
    // A journal of another command or a damaged one: the user must choose; nothing was sent.
    if (err instanceof JournalError) throw new UsageError(err.message);
    throw err;
  } finally {
    ticker?.stop();
    await files?.stop();
    await receiver?.close();
  }

  const { summary } = report;
  const results = report.files.map((f, i) => ({ ...f, name: names[i] ?? show(f.input), error: errorOf(f) }));
  if (ctx.globals.json) {
    out.printJson({
      results: results.map((f) => ({
        file: f.name,
        id: f.id ?? null,
        status: f.outcome === 'done' || f.outcome === 'skipped' ? 'processed' : f.outcome,
        ...(f.outcome === 'skipped' ? { skipped: true } : {}),
        format,
        ...(f.outcome === 'done' || f.outcome === 'skipped' ? { output: show(f.output) } : {}),
        ...(f.error ? { error: f.error } : {}),
      })),
      summary: {
        total: summary.total,
        done: summary.done,
        skipped: summary.skipped,
        failed: summary.failed,
        unknown: summary.unknown,
        pages: summary.pages,
        uploads: summary.uploads,
        rate_limited: summary.rateLimited,
        elapsed_ms: summary.elapsedMs,
        journal: show(journalPath),
      },
    });
  } else if (!ctx.globals.quiet && !perFile) {
    out.note(summaryLine(summary));
    // The line each failed file would have had in the per-file display (which has said it already).
    const failedLines = results.filter((f) => f.outcome === 'failed' || f.outcome === 'unknown');
    for (const f of failedLines.slice(0, FAILED_LINES_MAX)) {
      out.note(
        describeState(f.name, fileState(f.outcome === 'unknown' ? 'unknown' : 'failed', f, show, errorOf)),
      );
    }
    if (failedLines.length > FAILED_LINES_MAX) {
      out.note(`… and ${failedLines.length - FAILED_LINES_MAX} more failed: see --json or the journal`);
    }
  }
  if (report.interrupted) {
    if (!ctx.globals.json) {
      // Per file only where the files were shown one by one; a big batch resumes with the same command.
      if (perFile) {
        const unfetched = results.flatMap((f) =>
          f.outcome === 'interrupted' && f.id ? [{ file: f.name, id: f.id, output: f.output }] : [],
        );
        printFetchLater(unfetched, format, ctx);
      }
      out.note(`interrupted: rerun the same command to resume (journal ${show(journalPath)})`);
    }
    throw new CommandFailure('interrupted', ExitCode.interrupted);
  }
  const failed = results.flatMap((f) =>
    f.outcome === 'failed' || f.outcome === 'unknown'
      ? [{ file: f.name, error: f.error ?? f.outcome, notSent: f.notSent, userInput: isUserInput(f.cause) }]
      : [],
  );
  if (failed.length === 0) return;
  const unknown = summary.unknown;
  const hint =
    unknown && summary.total > 1
      ? ` (${unknown} with an unknown upload outcome: rerun to look for them, --retry-unknown to upload again)`
      : '';
  throw batchFailure(failed, summary.total, out, hint);
}

/** A failed (or unknown) file's line, told as the path without --out DIR tells it; `undefined` otherwise. */
function describeFailure(f: Readonly<FileReport>, hints: FailureHints): string | undefined {
  if (f.outcome !== 'failed' && f.outcome !== 'unknown') return undefined;
  if (f.notSent) return notSentError(f.cause, hints);
  // An unknown outcome's text says what to do about it; other causes are described as the CLI does.
  if (f.outcome === 'unknown' || f.cause === undefined) return f.error;
  return fileError(f.cause, hints);
}

/** In a big batch's summary, at most this many failed files get a line of their own. */
const FAILED_LINES_MAX = 50;

/** Up to this many files, progress is shown per file; beyond, as one line of counts. */
const PER_FILE_DISPLAY_MAX = 50;

/** A batch state as the per-file display shows it. */
function fileState(
  state: RunnerFileState,
  f: Readonly<FileReport>,
  show: (p: string) => string,
  errorOf: (f: Readonly<FileReport>) => string | undefined,
): FileState {
  const id = f.id ?? '';
  switch (state) {
    case 'waiting':
    case 'queued':
      return { state: 'waiting' };
    case 'uploading':
      return { state: 'uploading' };
    case 'uploaded':
      return { state: 'pending', id, status: 'processing' };
    case 'processed':
      return { state: 'downloading', id };
    case 'downloaded':
    case 'skipped':
      return { state: 'done', id, output: show(f.output) };
    default:
      return {
        state: 'failed',
        ...(f.id ? { id: f.id } : {}),
        message: errorOf(f) ?? state,
        ...(f.notSent ? { notSent: true } : {}),
        ...(state === 'unknown' ? { unknown: true } : {}),
      };
  }
}

/** `1000 files: 990 done, 10 skipped, 0 failed, 0 unknown · 1000 pages · 52 s`. */
export function summaryLine(p: BatchProgress): string {
  return (
    `${p.total} files: ${p.done} done, ${p.skipped} skipped, ${p.failed} failed, ${p.unknown} unknown` +
    ` · ${p.pages} pages · ${humanDuration(p.elapsedMs)}`
  );
}

/** One progress line: counts per state, files/min, ETA, pages spent. */
export function progressLine(p: BatchProgress): string {
  const s = p.states;
  const eta = p.etaMs === undefined ? '-' : humanDuration(p.etaMs);
  return (
    `${p.done + p.skipped}/${p.total} done · ${s.queued + s.waiting} queued, ${s.uploading} uploading, ` +
    `${s.uploaded} processing, ${s.processed} downloading, ${p.failed} failed, ${p.unknown} unknown · ` +
    `${Math.round(p.filesPerMinute)} files/min · ETA ${eta} · ${p.pages} pages · ${p.concurrency} at a time`
  );
}

/** Redraws one line on a terminal (at most 4 times a second), else prints one every 5 s. */
class ProgressLine {
  private last = 0;
  private latest: BatchProgress | undefined;
  private readonly tty: boolean;
  constructor(private readonly ctx: Context) {
    this.tty = isTerminal(ctx.io, ctx.io.stderr);
  }
  update(p: BatchProgress): void {
    this.latest = p;
    const now = Date.now();
    if (now - this.last < (this.tty ? 250 : 5_000)) return;
    this.last = now;
    if (this.tty) this.ctx.io.stderr.write(`\r\x1b[2K${progressLine(p)}`);
    else this.ctx.out.note(progressLine(p));
  }
  stop(): void {
    if (this.tty && this.latest) this.ctx.io.stderr.write(`\r\x1b[2K`);
  }
}

function webhookSettings(
  options: BatchCliOptions,
  ctx: Context,
): { port: number; url: string; secret: string } | undefined {
  const { webhookListen: port, webhookUrl: url } = options;
  if (port === undefined && url === undefined) return undefined;
  if (port === undefined || url === undefined) {
    throw new UsageError('webhook mode needs both --webhook-listen <port> and --webhook-url <url>');
  }
  let secret = ctx.io.env[WEBHOOK_SECRET_ENV]?.trim();
  if (options.webhookSecretFile !== undefined) {
    try {
      secret = readFileSync(resolve(ctx.cwd, options.webhookSecretFile), 'utf8').trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new UsageError(`cannot read webhook secret file ${options.webhookSecretFile} (${code})`);
    }
  }
  if (!secret) {
    throw new UsageError(
      `webhook mode needs the webhook secret: --webhook-secret-file <path> or ${WEBHOOK_SECRET_ENV}`,
    );
  }
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--webhook-url is not a URL: ${url}`);
  }
  ctx.out.addSecret(secret);
  return { port, url, secret };
}
