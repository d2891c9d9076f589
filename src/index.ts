/**
 * TypeScript client for the Handwriting OCR REST API v3: upload a PDF or image of handwriting, wait for it,
 * download the transcript as txt, docx, xlsx, csv or json.
 *
 * Runs wherever `fetch` exists (Node >= 20.19, Deno, Bun, browsers, Workers). Node-only features (file paths,
 * `downloadToFile`) are chosen by export conditions: in browsers and Workers they throw InvalidParamsError.
 * Webhook deliveries are verified and parsed by `parseWebhook`, from `handwriting-ocr/webhooks`.
 *
 * @example
 * ```ts
 * import { HandwritingOCR } from 'handwriting-ocr';
 *
 * const client = new HandwritingOCR({ apiToken: process.env.HANDWRITING_OCR_API_TOKEN });
 * const doc = await client.documents.uploadAndWait({ file: './letter.pdf', action: 'transcribe' });
 * const text = await client.documents.download(doc.id, 'txt');
 * ```
 *
 * @packageDocumentation
 * @module handwriting-ocr
 */
export type { components, operations, paths } from '../generated/openapi.js';
export { Credits, DEFAULT_BASE_URL, Documents, HandwritingOCR, Users } from './client.js';
export type { DocumentRef } from './download.js';
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  DocumentFailedError,
  HandwritingOCRError,
  InternalServerError,
  InvalidParamsError,
  LocalFileError,
  NotFoundError,
  NotReadyError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnexpectedResponseError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  WaitTimeoutError,
  WebhookVerificationError,
} from './errors.js';
export { type DownloadResult, FORMATS_BY_ACTION, type FormatFor } from './formats.js';
export type { PagePromise } from './pagination.js';
export type {
  Action,
  ClientOptions,
  Document,
  DocumentList,
  DocumentResult,
  DocumentResultFor,
  DocumentStatus,
  DownloadFormat,
  ErrorBody,
  ExtractorDocument,
  FileInput,
  ListParams,
  Logger,
  LogLevel,
  NodeReadableLike,
  PendingDocument,
  PendingStatus,
  ProcessingDocument,
  RequestOptions,
  TablesDocument,
  Thumbnail,
  TopupParams,
  TopupResult,
  TranscribeDocument,
  UploadedDocument,
  UploadParams,
  User,
  WaitOptions,
} from './types.js';
