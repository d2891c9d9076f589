// The batch runner: drives a client over many files, journalling each state change before acting on it, so
// that a rerun of the same batch resumes and no accepted upload is ever sent twice.
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HandwritingOCR } from '../client.js';
import {
  APIError,
  APIUserAbortError,
  AuthenticationError,
  DocumentFailedError,
  InvalidParamsError,
  NotFoundError,
  RateLimitError,
} from '../errors.js';
import type { Action, DocumentResult, DownloadFormat, UploadParams } from '../types.js';
import { AimdLimiter } from './aimd.js';
import { mapLimit, sha256File } from './hash.js';
import type { JobState, Journal, JournalCommand, JournalRecord } from './journal.js';
import { checkUploadable, checkUploadOptions } from './precheck.js';
import { findUnknownUploads } from './reconcile.js';
import type { WebhookReceiver } from './webhook-receiver.js';

/** One file of a batch. */
export interface BatchFile {
  /** The input's path. */
  input: string;
  /** Where its result is written (atomically). */
  output: string;
}

/** Options of {@link runBatch}. */
export interface BatchOptions {
  client: HandwritingOCR;
  /** Where state changes are recorded (e.g. a {@link FileJournal} in the output directory). */
  journal: Journal;
  files: readonly BatchFile[];
  action: Action;
  format: DownloadFormat;
  extractorId?: string | undefined;
  /** `prompt_id` of each upload: a saved prompt (Enterprise plans). */
  promptId?: string | undefined;
  /** `delete_after` of each upload, in seconds. */
  deleteAfter?: number | undefined;
  /** Uploads in flight to start with; default 4. Halved on 429, grown back slowly on success. */
  concurrency?: number | undefined;
  /** Never more uploads in flight than this; default the larger of 16 and `concurrency`. */
  maxConcurrency?: number | undefined;
  /** Upload again the files whose earlier upload has an unknown outcome (and no document was found for). */
  retryUnknown?: boolean | undefined;
  /** Per-document wait deadline; default 10 minutes. */
  timeoutMs?: number | undefined;
  /** First wait between status checks; default 2000 ms. */
  pollIntervalMs?: number | undefined;
  /** Downloads at a time; default 16. */
  downloadConcurrency?: number | undefined;
  /** Webhook mode: deliveries replace polling; a document without one within `fallbackMs` is polled. */
  webhook?: WebhookMode | undefined;
  /** Stops new work; uploads in flight finish and are journalled (an aborted upload could be billed unseen). */
  signal?: AbortSignal | undefined;
  /** Called on every state change, with the whole batch's counts. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Called on every state change of one file (`index` into `files`). */
  onFile?: ((index: number, state: FileState, file: Readonly<FileReport>) => void) | undefined;
  /** Told about what the user should know but does not stop the batch (a cut journal line, …). */
  onWarning?: ((message: string) => void) | undefined;
}

/** Webhook mode of {@link BatchOptions}. */
export interface WebhookMode {
  /** The URL the API POSTs to (sent as each upload's `webhook_url`). */
  url: string;
  /** Where deliveries arrive (see `startWebhookReceiver`). */
  receiver: WebhookReceiver;
  /** Poll a document that had no delivery after this long; default 60 s. */
  fallbackMs?: number | undefined;
}

/** How a file ended in this run. */
export type FileOutcome = 'done' | 'skipped' | 'failed' | 'unknown' | 'interrupted';

/** One file in the report. */
export interface FileReport {
  input: string;
  output: string;
  outcome: FileOutcome;
  /** The document, once known. */
  id?: string;
  /** Why, for `failed` and `unknown`. */
  error?: string;
  /**
   * The error itself, for a failure met in this run (e.g. `InvalidParamsError` for a file the SDK's checks
   * refused before queueing it, `AuthenticationError` for a 401): for telling kinds of failure apart.
   */
  cause?: unknown;
  /** Never sent: uploads stopped after a 401 (`cause`), which every other upload would have met too. */
  notSent?: boolean;
}

/** Where a file stands: a journal state, `waiting` before this run reached it, or how it ended. */
export type FileState = JobState | 'waiting' | 'skipped' | 'unknown' | 'interrupted';

/** Where a batch stands. */
export interface BatchProgress {
  total: number;
  /** Files by current state (`waiting`: not started yet in this run). */
  states: Record<FileState, number>;
  /** Files finished in this run (downloaded), and those found done already. */
  done: number;
  skipped: number;
  failed: number;
  unknown: number;
  /** Pages (credits) charged for documents processed in this run. */
  pages: number;
  /** Uploads accepted in this run. */
  uploads: number;
  /** Answers 429 to uploads in this run. */
  rateLimited: number;
  /** Uploads allowed in flight now. */
  concurrency: number;
  elapsedMs: number;
  /** Files finished per minute in this run. */
  filesPerMinute: number;
  /** Time left at the current rate; `undefined` until something has finished. */
  etaMs: number | undefined;
}

/** What {@link runBatch} resolves to. */
export interface BatchReport {
  files: FileReport[];
  summary: BatchProgress;
  /** The signal aborted before every file was finished. */
  interrupted: boolean;
}

/** The record of a job's command in its journal: what makes its outputs what they are. */
export function batchCommand(
  options: Pick<BatchOptions, 'action' | 'format' | 'extractorId' | 'promptId'>,
): JournalCommand {
  return {
    command: 'transcribe',
    action: options.action,
    format: options.format,
    extractor_id: options.extractorId ?? null,
    // A prompt changes the results. Left out when unset (null), so journals written before it still match.
    prompt_id: options.promptId ?? null,
  };
}

const NOT_FOUND_GRACE_MS = 30_000;
const DEFAULT_POLL_MS = 2_000;

interface Job {
  index: number;
  file: BatchFile;
  hash: string;
  /** The last record from an earlier run for the same input bytes. */
  prev: JournalRecord | undefined;
  recoveredId: string | undefined;
  /** Why the SDK's checks refuse the file, if they do: it is never queued nor sent. */
  refused: InvalidParamsError | undefined;
  report: FileReport;
  state: FileState;
}

/**
 * Runs a batch: uploads each file (at a concurrency that adapts to 429s), waits for it, downloads its result
 * to its output, journalling every step. A rerun with the same journal resumes: downloaded files with their
 * output present are skipped; uploaded ones are picked up by id; an upload whose outcome is unknown is looked
 * for among the account's documents and otherwise reported as `unknown` (uploaded again only with
 * `retryUnknown`). Files are independent: one failing never stops the others, except a 401: every upload
 * would meet it, so files not sent yet are reported `notSent` and left queued in the journal.
 *
 * Before anything is sent, the SDK's checks run on the upload's options (a bad one throws) and on each file
 * that needs an upload (a refused file fails with an `InvalidParamsError` as its `cause`, and is not queued).
 *
 * @throws InvalidParamsError when an upload option is refused by the SDK's checks (nothing was sent).
 * @throws JournalError when the journal was written for another command or is damaged.
 */
export async function runBatch(options: BatchOptions): Promise<BatchReport> {
  const { client, journal } = options;
  checkUploadOptions(uploadFields(options));
  // One signal of our own for the thousands of waits of a big batch (each adds a listener), so that Node's
  // listener-leak warning is not set off and the caller's signal is left as it was.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const onAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = stop.signal;
  const concurrency = options.concurrency ?? 4;
  const limiter = new AimdLimiter({
    initial: concurrency,
    max: options.maxConcurrency ?? Math.max(16, concurrency),
  });
  const downloads = new AimdLimiter({
    initial: options.downloadConcurrency ?? 16,
    max: options.downloadConcurrency ?? 16,
  });
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  const started = Date.now();
  const stats = { pages: 0, uploads: 0, rateLimited: 0 };

  try {
    return await run(await journal.open(batchCommand(options)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await journal.close();
  }

  async function run(records: JournalRecord[]): Promise<BatchReport> {
    const last = new Map<string, JournalRecord>();
    const claimed = new Set<string>();
    for (const r of records) {
      last.set(r.file, r);
      if (r.id) claimed.add(r.id);
    }

    // Hashing waits on the disk more than on the CPU: many at once.
    const jobs: Job[] = await mapLimit(options.files, 16, async (file, index) => {
      const hash = await sha256File(file.input);
      const prev = last.get(file.input);
      return {
        index,
        file,
        hash,
        prev: prev?.hash === hash ? prev : undefined,
        recoveredId: undefined,
        refused: refusal(file.input),
        report: { input: file.input, output: file.output, outcome: 'interrupted' as FileOutcome },
        state: 'waiting' as const,
      };
    });

    // Counts kept as states change (a batch may hold thousands of files and tens of thousands of changes).
    const states: BatchProgress['states'] = {
      waiting: jobs.length,
      queued: 0,
      uploading: 0,
      uploaded: 0,
      processed: 0,
      downloaded: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
      interrupted: 0,
    };
    const progress = (): BatchProgress => {
      const elapsedMs = Date.now() - started;
      const finishedNow = states.downloaded + states.failed + states.unknown;
      const left = jobs.length - finishedNow - states.skipped;
      const perMs = finishedNow / Math.max(1, elapsedMs);
      return {
        total: jobs.length,
        states: { ...states },
        done: states.downloaded,
        skipped: states.skipped,
        failed: states.failed,
        unknown: states.unknown,
        pages: stats.pages,
        uploads: stats.uploads,
        rateLimited: stats.rateLimited,
        concurrency: limiter.limit,
        elapsedMs,
        filesPerMinute: perMs * 60_000,
        etaMs: finishedNow > 0 ? left / perMs : undefined,
      };
    };
    const move = (job: Job, state: FileState): void => {
      states[job.state]--;
      states[state]++;
      job.state = state;
      options.onFile?.(job.index, state, job.report);
      options.onProgress?.(progress());
    };
    const record = async (job: Job, state: JobState, extra: Partial<JournalRecord> = {}): Promise<void> => {
      await journal.append({
        file: job.file.input,
        hash: job.hash,
        state,
        output: job.file.output,
        ...extra,
      });
      move(job, state);
    };
    const finish = (job: Job, outcome: FileOutcome, error?: string, cause?: unknown): void => {
      job.report.outcome = outcome;
      if (error !== undefined) job.report.error = error;
      if (cause !== undefined) job.report.cause = cause;
      move(job, outcome === 'done' ? 'downloaded' : outcome);
    };
    /** Reports a failure and journals it (with `id` when the document exists): one state change, told once. */
    const fail = async (job: Job, err: unknown, id?: string): Promise<void> => {
      Object.assign(job.report, { outcome: 'failed', error: message(err), cause: err });
      // The report stands even when the journal cannot take the line: a rerun acts on the line before it.
      await record(job, 'failed', { ...(id ? { id } : {}), error: message(err) }).catch(() =>
        move(job, 'failed'),
      );
    };
    // After a 401 every other upload would fail the same way: files not sent yet stay unsent (and queued).
    let stopped: AuthenticationError | undefined;
    const notSent = (job: Job, cause: AuthenticationError): void => {
      job.report.notSent = true;
      finish(job, 'failed', `not sent: uploads stopped after a 401 (${cause.message})`, cause);
    };

    // Unknown outcomes: look for the document before anything is uploaded again.
    const unknown = jobs.filter((j) => j.prev?.state === 'uploading');
    if (unknown.length > 0) {
      const found = await findUnknownUploads(
        client,
        unknown.map((j) => ({ input: j.file.input, at: j.prev?.at })),
        claimed,
        signal,
      );
      await Promise.all(
        unknown.map(async (job) => {
          const id = found.get(job.file.input);
          if (id === undefined) return;
          job.recoveredId = id;
          await record(job, 'uploaded', { id, recovered: true });
        }),
      );
    }
    // New files, in one group commit (those the SDK refuses are journalled as failed by runJob instead).
    await Promise.all(jobs.filter((j) => j.prev === undefined && !j.refused).map((j) => record(j, 'queued')));

    const uploadParams = (job: Job): UploadParams => ({
      file: job.file.input,
      fileName: basename(job.file.input),
      ...uploadFields(options),
    });

    /** Uploads until accepted (429s go back to the limiter); the id, or `undefined` when the job ended. */
    const upload = async (job: Job): Promise<string | undefined> => {
      for (;;) {
        if (signal?.aborted) return void finish(job, 'interrupted');
        if (stopped) return void notSent(job, stopped);
        let slot: Awaited<ReturnType<AimdLimiter['acquire']>>;
        try {
          slot = await limiter.acquire(signal);
        } catch {
          return void finish(job, 'interrupted');
        }
        let id: string;
        try {
          // A 429 may have come in since the slot was handed out: wait it out before saying "uploading".
          await limiter.whenOpen();
          // A 401 may have come in meanwhile too.
          if (stopped) {
            slot.release({ kind: 'error' });
            return void notSent(job, stopped);
          }
          await record(job, 'uploading'); // durable before the request leaves: a crash now is an unknown outcome
          // No signal and no retries: an abandoned upload may still be billed, and a 429 is the limiter's to handle.
          ({ id } = await client.documents.upload(uploadParams(job), { maxRetries: 0 }));
          slot.release({ kind: 'ok' });
        } catch (err) {
          if (err instanceof RateLimitError) {
            stats.rateLimited++;
            slot.release({ kind: 'rate-limited', retryAfterMs: err.retryAfterMs });
            await record(job, 'queued', { error: err.message }); // refused: nothing was created
            continue;
          }
          // Set before the slot passes to the next file, which must see it.
          if (err instanceof AuthenticationError) stopped ??= err;
          slot.release({ kind: 'error' });
          if (isRefused(err)) return void (await fail(job, err));
          // 5xx, timeout, dropped connection: the upload may have been accepted. The journal keeps `uploading`.
          return void finish(job, 'unknown', `upload outcome unknown: ${message(err)}`, err);
        }
        stats.uploads++;
        job.report.id = id;
        await record(job, 'uploaded', { id });
        return id;
      }
    };

    const waitPolling = async (id: string, fresh: boolean): Promise<DocumentResult> => {
      const since = Date.now();
      if (fresh) await sleep(pollIntervalMs, undefined, { signal });
      for (;;) {
        try {
          return await client.documents.waitForProcessing(id, {
            signal,
            pollIntervalMs,
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          });
        } catch (err) {
          // The API has been seen to answer 404 just after an upload.
          if (!(fresh && err instanceof NotFoundError && Date.now() - since < NOT_FOUND_GRACE_MS)) throw err;
          await sleep(pollIntervalMs, undefined, { signal });
        }
      }
    };

    const wait = async (id: string, fresh: boolean): Promise<DocumentResult> => {
      const webhook = options.webhook;
      if (webhook && fresh) {
        const stop = new AbortController();
        const onAbort = (): void => stop.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(() => stop.abort(), webhook.fallbackMs ?? 60_000);
        try {
          const delivered = await webhook.receiver.next(id, stop.signal);
          if (delivered?.status === 'processed') return delivered;
          if (delivered?.status === 'failed') throw new DocumentFailedError(delivered);
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        }
        if (signal?.aborted) throw new APIUserAbortError('Aborted.');
        return waitPolling(id, false);
      }
      return waitPolling(id, fresh);
    };

    const runJob = async (job: Job): Promise<void> => {
      const prev = job.prev;
      let id = job.recoveredId ?? prev?.id;
      if (id) job.report.id = id;
      try {
        if (prev?.state === 'downloaded' && existsSync(job.file.output)) return finish(job, 'skipped');
        let fresh = false;
        if (!id) {
          if (prev?.state === 'uploading' && !options.retryUnknown) {
            return finish(
              job,
              'unknown',
              'an earlier run stopped while uploading it: it may have been accepted (and billed). Rerun with --retry-unknown to upload it again.',
            );
          }
          // Refused by the SDK's checks: never queued, never sent; a rerun checks the file again.
          if (job.refused) return await fail(job, job.refused);
          id = await upload(job);
          if (!id) return;
          fresh = true;
        }
        if (prev?.state !== 'processed' && prev?.state !== 'downloaded') {
          const doc = await wait(id, fresh);
          stats.pages += doc.page_count ?? 0;
          await record(job, 'processed', { id, pages: doc.page_count ?? 0 });
        }
        const slot = await downloads.acquire(signal);
        try {
          await client.documents.downloadToFile(id, options.format, job.file.output, { signal });
          slot.release({ kind: 'ok' });
        } catch (err) {
          slot.release({ kind: 'error' });
          throw err;
        }
        await record(job, 'downloaded', { id, outputHash: await sha256File(job.file.output) });
        finish(job, 'done');
      } catch (err) {
        if (signal?.aborted) return finish(job, 'interrupted');
        if (err instanceof AuthenticationError) stopped ??= err;
        // The document exists (`id`): the rerun looks at it again, nothing is uploaded twice.
        await fail(job, err, id);
      }
    };

    try {
      await Promise.all(jobs.map(runJob));
    } finally {
      limiter.dispose();
      downloads.dispose();
    }
    return { files: jobs.map((j) => j.report), summary: progress(), interrupted: signal?.aborted === true };
  }
}

/** The upload's fields besides the file, as every upload of the batch sends them. */
function uploadFields(options: BatchOptions): Omit<UploadParams, 'file' | 'fileName'> {
  return {
    action: options.action,
    ...(options.extractorId ? { extractor_id: options.extractorId } : {}),
    ...(options.promptId ? { prompt_id: options.promptId } : {}),
    ...(options.deleteAfter !== undefined ? { delete_after: options.deleteAfter } : {}),
    ...(options.webhook ? { webhook_url: options.webhook.url } : {}),
  };
}

/** The SDK's file checks on `path`: the `InvalidParamsError` they throw, or `undefined` when the file passes. */
function refusal(path: string): InvalidParamsError | undefined {
  try {
    checkUploadable(path);
    return undefined;
  } catch (err) {
    if (err instanceof InvalidParamsError) return err;
    throw err;
  }
}

/** The API (or the client's checks) refused the upload: nothing was created, trying again costs nothing. */
function isRefused(err: unknown): boolean {
  if (err instanceof InvalidParamsError) return true;
  return err instanceof APIError && err.status >= 400 && err.status < 500;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
