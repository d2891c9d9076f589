// Public types. Every API shape comes from generated/openapi.ts so that `npm run generate` changes the
// SDK's types with no hand edit; only SDK-side shapes (options, inputs) are written here.
import type { components, operations } from '../generated/openapi.js';

/** A document as listed by `documents.list()`. */
export type Document = components['schemas']['Document'];
/** One page of `documents.list()`. */
export type DocumentList = components['schemas']['DocumentList'];
/** What `documents.upload()` resolves to: the new document's id and status. */
export type UploadedDocument = components['schemas']['UploadedDocument'];
/** The body the API sends with a 202 (still processing); every field may be missing. */
export type PendingDocument = components['schemas']['PendingDocument'];
/** A document's status and results, discriminated by `action`. */
export type DocumentResult = components['schemas']['DocumentResult'];
/** Result of a `transcribe` document. */
export type TranscribeDocument = components['schemas']['TranscribeDocument'];
/** Result of a `tables` document. */
export type TablesDocument = components['schemas']['TablesDocument'];
/** Result of an `extractor` document. */
export type ExtractorDocument = components['schemas']['ExtractorDocument'];
/** A page thumbnail; fetch it with `documents.thumbnail()`. */
export type Thumbnail = components['schemas']['Thumbnail'];
/** The account, as returned by `users.me()`. `token` is the API token itself. */
export type User = components['schemas']['User'];
/** What `credits.topup()` resolves to. */
export type TopupResult = components['schemas']['TopupResult'];
/** What the API does with a document: `transcribe`, `tables` or `extractor`. */
export type Action = components['schemas']['Action'];
/** Processing state; `processed` and `failed` are final, anything else is pending. */
export type DocumentStatus = components['schemas']['DocumentStatus'];
/** A result format: `txt`, `docx`, `xlsx`, `csv` or `json`. */
export type DownloadFormat = components['schemas']['DownloadFormat'];
/** Error body shape (Laravel-style). */
export type ErrorBody = components['schemas']['ErrorBody'];

/** The result of a document of a given action. */
export type DocumentResultFor<A extends Action> = Extract<DocumentResult, { action: A }>;

/** The statuses of a document still pending: `new` (older accounts), `queued`, `processing`. */
export type PendingStatus = Exclude<DocumentStatus, 'processed' | 'failed'>;

/**
 * What `documents.retrieve()` resolves to when the API answers 202 (still processing). `status` is the one the
 * body gives (`queued`, `processing`, `new`), or `'processing'` when it gives none; checking
 * `doc.status === 'processed'` narrows a retrieve result to {@link DocumentResult}.
 */
export type ProcessingDocument = Omit<PendingDocument, 'id' | 'status' | 'action'> & {
  id: string;
  status: PendingStatus;
  action?: undefined;
};

/**
 * A file to upload: a filesystem path (Node, Deno, Bun), a `Blob`/`File`, bytes, or a stream.
 * Under Node, Deno and Bun streams are sent as they are read, never buffered whole; in browsers and Workers (which
 * cannot send a streaming body over HTTP/1.1, or at all) a stream is read into a Blob first, 20 MB at most.
 */
export type FileInput =
  | string
  | Blob
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | NodeReadableLike
  | AsyncIterable<Uint8Array>;

/** The part of a Node `Readable` the SDK uses (so the main entry needs no `node:stream` import). */
export interface NodeReadableLike extends AsyncIterable<Uint8Array | string> {
  /** Present on every Node stream; how a `Readable` is told from other async iterables. */
  pipe: (...args: never[]) => unknown;
  /** Whether the stream was already read to its end (such a stream cannot be uploaded). */
  readonly readableEnded?: boolean;
  /** Set on `fs.ReadStream`: its file's path, used for the file name and size. */
  path?: string | Uint8Array;
}

/** Parameters of `documents.upload()`. Wire fields keep the API's snake_case names. */
export type UploadParams = Omit<
  operations['upload-document']['requestBody']['content']['multipart/form-data'],
  'file'
> & {
  /** The file: a path, a Blob/File, bytes, or a web/Node stream. */
  file: FileInput;
  /** The name sent to the API; defaults to the path's or File's name. */
  fileName?: string;
};

/** Parameters of `documents.list()`. */
export type ListParams = NonNullable<operations['list-documents']['parameters']['query']>;

/** Parameters of `credits.topup()`. */
export type TopupParams =
  operations['purchase-additional-credits']['requestBody']['content']['multipart/form-data'];

/** Options every method takes last. */
export interface RequestOptions {
  /** Aborts the call (also during a retry wait); it rejects with `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms; overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Retries for this call; overrides the client's `maxRetries`. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** Options of `documents.waitForProcessing()` and `documents.uploadAndWait()`. */
export interface WaitOptions extends Omit<RequestOptions, 'timeoutMs'> {
  /** Give up (with `WaitTimeoutError`) after this many ms. Default 10 minutes. */
  timeoutMs?: number;
  /**
   * First wait between polls, in ms (> 0); `uploadAndWait` also waits this long before its first poll. Default,
   * after the vendor's guidance: 15 000 (10 000 before the first poll after an upload); against a loopback
   * `baseUrl`, 2000. Against a remote `baseUrl`, polls are at least 1 s apart whatever this says.
   */
  pollIntervalMs?: number;
  /** Longest wait between polls, in ms (> 0). Default 30 000; against a loopback `baseUrl`, 15 000. */
  maxPollIntervalMs?: number;
  /** Called with the status and the document each time the status changes (and on the first poll). */
  onStatus?: (status: DocumentStatus, document: DocumentResult | ProcessingDocument) => void;
  /** Per-request timeout of each poll, in ms; defaults to the client's `timeoutMs`. */
  requestTimeoutMs?: number;
  /**
   * `uploadAndWait` only: called once the upload was accepted, before the first poll, with the new document
   * (e.g. to record its id: from then on the upload is paid for, whatever happens to the wait).
   */
  onUploaded?: (document: UploadedDocument) => void;
}

/** A log sink; `console` fits. */
export interface Logger {
  /** Every attempt: method, path, status, duration and attempt number (at `logLevel: 'debug'`). */
  debug(message: string, ...args: unknown[]): void;
  /** Informational messages (at `logLevel: 'info'` and above). */
  info(message: string, ...args: unknown[]): void;
  /** Retries and their reason (at `logLevel: 'warn'` and above). */
  warn(message: string, ...args: unknown[]): void;
  /** Errors (at `logLevel: 'error'` and above). */
  error(message: string, ...args: unknown[]): void;
}

/**
 * How much the client logs: `off` (default) nothing; `warn` each retry; `debug` also every attempt (method, path,
 * status, duration, attempt number, headers and JSON body with secrets redacted). Failures are thrown, not logged.
 */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Options of `new HandwritingOCR()`. */
export interface ClientOptions {
  /** API token. Default: `process.env.HANDWRITING_OCR_API_TOKEN`. */
  apiToken?: string;
  /** API root. Default: `process.env.HANDWRITING_OCR_BASE_URL` ?? `https://api.handwritingocr.com/v3`. */
  baseUrl?: string;
  /** A custom `fetch` (e.g. for a proxy, or a test double). Default: the global `fetch`. */
  fetch?: (input: Request) => Promise<Response>;
  /** Retries of a failed request where it is safe to retry. Default 2. */
  maxRetries?: number;
  /** Timeout of each attempt, in ms. Default 60 000. */
  timeoutMs?: number;
  /** Where log lines go. Default `console` (only used when `logLevel` is not `off`). */
  logger?: Logger;
  /** Default `off`. */
  logLevel?: LogLevel;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
}
