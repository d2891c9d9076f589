/**
 * `handwriting-ocr/batch`: many files through the API, resumable after a crash, at a concurrency that
 * adapts to the API's rate limit. Node only (files, the journal, the webhook listener).
 *
 * @example
 * ```ts
 * import { HandwritingOCR } from 'handwriting-ocr';
 * import { FileJournal, runBatch } from 'handwriting-ocr/batch';
 *
 * const report = await runBatch({
 *   client: new HandwritingOCR(),
 *   journal: new FileJournal('out/.hwocr-journal.jsonl'),
 *   files: [{ input: 'scans/a.pdf', output: 'out/a.txt' }],
 *   action: 'transcribe',
 *   format: 'txt',
 * });
 * console.log(report.summary.done, report.summary.failed, report.summary.unknown);
 * ```
 *
 * @packageDocumentation
 */
export { AimdLimiter, type AimdOptions, type AimdOutcome, type AimdSlot } from './aimd.js';
export {
  describeCommand,
  FileJournal,
  type FileJournalOptions,
  JOURNAL_FILE,
  type JobState,
  type Journal,
  type JournalCommand,
  JournalError,
  type JournalRecord,
} from './journal.js';
export {
  type BatchFile,
  type BatchOptions,
  type BatchProgress,
  type BatchReport,
  batchCommand,
  type FileOutcome,
  type FileReport,
  type FileState,
  runBatch,
  type WebhookMode,
} from './runner.js';
export {
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhook-receiver.js';
