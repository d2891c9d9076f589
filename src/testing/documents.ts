// The document routes: upload, list, status, downloads, thumbnails, delete.
import type { Context } from './context.js';
import { countPages, sniffMediaType } from './filetypes.js';
import {
  CONTENT_TYPES,
  FORMATS_BY_ACTION,
  isDownloadFormat,
  renderCsv,
  renderDocx,
  renderTxt,
  renderXlsx,
} from './formats.js';
import { randomAlphanumeric } from './ids.js';
import { json, noContent, type Reply, raw, untypedJson } from './reply.js';
import { parseForm, parseFormInteger, textField } from './request.js';
import { type PageResult, transcribe } from './results.js';
import type { Action, DownloadFormat } from './spec.js';
import type { StoredDocument } from './state.js';
import { thumbnailJpeg } from './thumbnail.js';
import { documentResult, listItem, pendingBody } from './views.js';

const ACTIONS: readonly Action[] = ['transcribe', 'tables', 'extractor'];
const ID = /^[A-Za-z0-9]+$/;
const MIN_DELETE_AFTER = 300;
const MAX_DELETE_AFTER = 1_209_600;

const notFound = { message: 'Document not found.' };

/** An upload's body, as read by the server. */
export interface UploadBody {
  bytes: Uint8Array;
  tooLarge: boolean;
  contentType: string | undefined;
}

/**
 * `POST /documents`, checked in this order: 413 for a body far over the limit, 400 for a missing `file` or
 * `action`, 422 for invalid fields, 413 for a file over the limit, 415 for a type other than PDF, JPEG, PNG,
 * TIFF, HEIC, GIF, BMP, WEBP or AVIF (by magic bytes), 403 when its pages exceed the credits not already
 * spoken for.
 */
export async function upload(ctx: Context, body: UploadBody): Promise<Reply> {
  // The vendor's own clients quote this text for a 413.
  const tooLarge = json('upload-document', 413, { message: 'File too large (max 20MB)' });
  if (body.tooLarge) return tooLarge;
  const form = await parseForm(body.bytes, body.contentType);
  const file = form?.get('file') ?? undefined;
  const action = textField(form, 'action');

  const missing: Record<string, string[]> = {};
  if (file === undefined) missing.file = ['The file field is required.'];
  if (action === undefined || action === '') missing.action = ['The action field is required.'];
  const firstMissing = Object.values(missing)[0]?.[0];
  if (firstMissing) return json('upload-document', 400, { message: firstMissing, errors: missing });

  const errors = validateFields(form, action);
  if (typeof file === 'string') errors.file = ['The file field must be a file.'];
  const firstError = Object.values(errors)[0]?.[0];
  if (firstError) return json('upload-document', 422, { message: firstError, errors });
  if (!(file instanceof Blob))
    return json('upload-document', 422, { message: 'The file field must be a file.' });

  if (file.size > ctx.config.maxFileBytes) return tooLarge;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) {
    return json('upload-document', 415, {
      message: 'Unsupported file type. Valid file types are PDF, JPG, PNG, TIFF, HEIC, GIF, BMP, WEBP, AVIF.',
    });
  }
  const pageCount = countPages(bytes, mediaType);
  const insufficient = (): boolean => pageCount > ctx.store.balance - ctx.store.reservedPages();
  const noCredits = json('upload-document', 403, { message: 'Insufficient page credits.' });
  if (insufficient()) return noCredits;

  const now = ctx.now();
  const id = newId(ctx);
  const docAction = action as Action;
  const fileName = (file instanceof File && file.name) || 'document';
  const extractorId = docAction === 'extractor' ? textField(form, 'extractor_id') : undefined;
  const deleteAfter = Number(textField(form, 'delete_after') || ctx.config.defaultDeleteAfter);
  const outcome = await transcribe(ctx.config.transcribe, {
    id,
    fileName,
    action: docAction,
    pageCount,
    mediaType,
    bytes,
    extractorId,
  });
  // Checked again: a concurrent upload may have taken the credits while the hook ran.
  if (insufficient()) return noCredits;
  const doc: StoredDocument = {
    id,
    fileName,
    action: docAction,
    pageCount,
    mediaType,
    extractorId,
    promptId: textField(form, 'prompt_id') || undefined,
    webhookUrl: textField(form, 'webhook_url') || undefined,
    createdAt: now,
    dueAt: now + ctx.config.processingMs,
    deleteAt: now + deleteAfter * 1000,
    outcome,
    final: undefined,
    updatedAt: now,
    charged: 0,
  };
  ctx.store.add(doc);
  ctx.schedule();
  return json('upload-document', 201, { id, status: 'queued' });
}

function validateFields(form: FormData | undefined, action: string | undefined): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!ACTIONS.includes(action as Action)) errors.action = ['The selected action is invalid.'];
  const extractorId = textField(form, 'extractor_id');
  if (action === 'extractor' && !extractorId) {
    errors.extractor_id = ['The extractor id field is required when action is extractor.'];
  } else if (extractorId !== undefined && !/^[A-Za-z0-9]{1,64}$/.test(extractorId)) {
    // Not "exactly 10" as the spec says: production extractor ids of 12 characters exist.
    errors.extractor_id = ['The extractor id field must be 1 to 64 letters or digits.'];
  }
  const promptId = textField(form, 'prompt_id');
  if (promptId !== undefined && !/^\P{Cc}{1,255}$/u.test(promptId)) {
    errors.prompt_id = ['The prompt id field must be 1 to 255 characters.'];
  }
  const deleteAfter = textField(form, 'delete_after');
  if (deleteAfter !== undefined && deleteAfter !== '') {
    const n = parseFormInteger(deleteAfter);
    if ('error' in n && n.error === 'not-integer')
      errors.delete_after = ['The delete after field must be an integer.'];
    else if ('error' in n || n.value < MIN_DELETE_AFTER || n.value > MAX_DELETE_AFTER) {
      errors.delete_after = [
        `The delete after field must be between ${MIN_DELETE_AFTER} and ${MAX_DELETE_AFTER}.`,
      ];
    }
  }
  const webhookUrl = textField(form, 'webhook_url');
  if (webhookUrl !== undefined && webhookUrl !== '' && !isHttpUrl(webhookUrl)) {
    errors.webhook_url = ['The webhook url field must be a valid URL.'];
  }
  return errors;
}

function isHttpUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function newId(ctx: Context): string {
  let id: string;
  do id = randomAlphanumeric(10);
  while (ctx.store.get(id));
  return id;
}

type IntParam = { value: number } | { error: string };

function intParam(raw: string | null, label: string, fallback: number, max?: number): IntParam {
  if (raw === null || raw === '') return { value: fallback };
  const parsed = parseFormInteger(raw);
  if ('error' in parsed && parsed.error === 'not-integer')
    return { error: `The ${label} field must be an integer.` };
  const limit = max ?? Number.MAX_SAFE_INTEGER;
  // Beyond 2^53 the value is refused, never rounded into another one.
  if ('error' in parsed) {
    return raw.startsWith('-')
      ? { error: `The ${label} field must be at least 1.` }
      : { error: `The ${label} field must not be greater than ${limit}.` };
  }
  const { value } = parsed;
  if (value < 1) return { error: `The ${label} field must be at least 1.` };
  if (value > limit) return { error: `The ${label} field must not be greater than ${limit}.` };
  return { value };
}

/** `GET /documents`: Laravel's paginator, newest first. */
export function list(ctx: Context, query: URLSearchParams): Reply {
  const perPage = intParam(query.get('per_page'), 'per page', 50, 200);
  const page = intParam(query.get('page'), 'page', 1);
  const errors: Record<string, string[]> = {};
  if ('error' in perPage) errors.per_page = [perPage.error];
  if ('error' in page) errors.page = [page.error];
  const firstError = Object.values(errors)[0]?.[0];
  if (firstError || 'error' in perPage || 'error' in page) {
    return json('list-documents', 422, { message: firstError ?? 'The given data was invalid.', errors });
  }
  const docs = ctx.store.list();
  const now = ctx.now();
  const per = perPage.value;
  const current = page.value;
  const lastPage = Math.max(1, Math.ceil(docs.length / per));
  const slice = docs.slice((current - 1) * per, current * per);
  const from = slice.length > 0 ? (current - 1) * per + 1 : null;
  // Like Laravel's paginator (and the spec's example), page links carry `page` only, not `per_page`.
  const pageUrl = (n: number): string => `${ctx.publicUrl()}/documents?page=${n}`;
  return json('list-documents', 200, {
    documents: slice.map((doc) => listItem(doc, now)),
    current_page: current,
    from,
    to: from === null ? null : from + slice.length - 1,
    total: docs.length,
    per_page: per,
    last_page: lastPage,
    next_page_url: current < lastPage ? pageUrl(current + 1) : null,
    prev_page_url: current > 1 ? pageUrl(current - 1) : null,
  });
}

const find = (ctx: Context, id: string): StoredDocument | undefined =>
  ID.test(id) ? ctx.store.get(id) : undefined;

function retryAfter(ctx: Context, doc: StoredDocument): string {
  const seconds = ctx.config.pendingRetryAfter ?? Math.ceil((doc.dueAt - ctx.now()) / 1000);
  return String(Math.max(0, Math.round(seconds)));
}

/**
 * `GET /documents/{id}`: while pending, 202 with the document's fields and `Retry-After`, or (option
 * `pendingStatusCode: 200`, as some clients see the API answer) 200 with a pending `status` and no results;
 * then the action-shaped result.
 */
export function retrieve(ctx: Context, id: string): Reply {
  const doc = find(ctx, id);
  if (!doc) return json('download-result', 404, notFound);
  if (!doc.final && ctx.config.pendingStatusCode === 202) {
    return json('download-result', 202, pendingBody(doc, ctx.now()), { 'retry-after': retryAfter(ctx, doc) });
  }
  return json('download-result', 200, documentResult(doc, ctx.publicUrl(), ctx.now()));
}

/** `GET /documents/{id}.{format}`: 400 for a format the action does not offer, 202 while pending. */
export function download(ctx: Context, id: string, format: string): Reply {
  const doc = find(ctx, id);
  if (!doc) return json('download-document-format', 404, notFound);
  if (!isDownloadFormat(format) || !FORMATS_BY_ACTION[doc.action].includes(format)) {
    return json('download-document-format', 400, {
      message: 'The requested format is not available for this document.',
    });
  }
  if (!doc.final) {
    return json('download-document-format', 202, pendingBody(doc, ctx.now()), {
      'retry-after': retryAfter(ctx, doc),
    });
  }
  if (format === 'json') return json('download-document-format', 200, documentResult(doc, ctx.publicUrl()));
  if (!Array.isArray(doc.outcome)) {
    return json('download-document-format', 400, {
      message: 'No result is available: the document failed to process.',
    });
  }
  return raw(200, CONTENT_TYPES[format], render(doc, doc.outcome, format), {
    'content-disposition': contentDisposition(doc.fileName, format),
  });
}

function render(
  doc: StoredDocument,
  pages: PageResult[],
  format: Exclude<DownloadFormat, 'json'>,
): string | Uint8Array {
  switch (format) {
    case 'txt':
      return renderTxt(pages);
    case 'docx':
      return renderDocx(pages);
    case 'csv':
      return renderCsv(pages);
    case 'xlsx':
      return renderXlsx(doc.action, pages);
  }
}

/** `attachment; filename="note.txt"`, with an RFC 5987 form for names beyond ASCII. */
function contentDisposition(fileName: string, format: DownloadFormat): string {
  const stem = fileName.replace(/\.[^.]*$/, '') || 'document';
  const name = `${stem}.${format}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** `DELETE /documents/{id}`: 204, or 404 when unknown (or already gone). */
export function remove(ctx: Context, id: string): Reply {
  if (!find(ctx, id)) return json('delete-document', 404, notFound);
  ctx.store.delete(id);
  return noContent();
}

/** `GET /document/{id}/image-{n}.jpg` (outside the spec): a processed page's JPEG thumbnail. */
export function thumbnail(ctx: Context, id: string, page: number): Reply {
  const doc = find(ctx, id);
  if (doc?.final !== 'processed' || !(page >= 1 && page <= doc.pageCount)) {
    return untypedJson(404, { message: 'Image not found.' });
  }
  return raw(200, 'image/jpeg', thumbnailJpeg(page), { 'cache-control': 'private, max-age=3600' });
}
