// The JSON shapes of a document, typed by the spec's schemas.
import type { PageResult } from './results.js';
import type { DocumentResult, Schemas } from './spec.js';
import { type StoredDocument, statusAt } from './state.js';
import { isoTimestamp, sqlTimestamp } from './time.js';

/** A document as an item of `GET /documents` (timestamps in ISO 8601). */
export function listItem(doc: StoredDocument, now: number): Schemas['Document'] {
  return {
    id: doc.id,
    file_name: doc.fileName,
    action: doc.action,
    page_count: doc.pageCount,
    status: statusAt(doc, now),
    automatically_deleted_at: isoTimestamp(doc.deleteAt),
    created_at: isoTimestamp(doc.createdAt),
    updated_at: isoTimestamp(doc.final ? doc.updatedAt : doc.createdAt),
  };
}

/** The 202 body of a document still processing: its fields as far as they are known (no results yet). */
export function pendingBody(doc: StoredDocument, now: number): Schemas['PendingDocument'] {
  return {
    id: doc.id,
    file_name: doc.fileName,
    action: doc.action,
    page_count: doc.pageCount,
    status: statusAt(doc, now),
    automatically_deleted_at: sqlTimestamp(doc.deleteAt),
    created_at: isoTimestamp(doc.createdAt),
    updated_at: isoTimestamp(doc.createdAt),
  };
}

/** The thumbnail URL of a page: `<baseUrl>/document/<id>/image-<n>.jpg`, as the API links them. */
export const thumbnailUrl = (baseUrl: string, id: string, page: number): string =>
  `${baseUrl}/document/${id}/image-${page}.jpg`;

/**
 * The detail (and webhook body) of a document, shaped by its action: results once processed, the `error` text
 * once failed, neither while pending (`now` gives the pending status, for the 200-while-pending answer).
 * `automatically_deleted_at` comes as `YYYY-MM-DD HH:MM:SS` here, as the real API sends it.
 */
export function documentResult(doc: StoredDocument, baseUrl: string, now?: number): DocumentResult {
  const pages: PageResult[] = Array.isArray(doc.outcome) ? doc.outcome : [];
  const common: Schemas['DocumentCommon'] = {
    id: doc.id,
    file_name: doc.fileName,
    page_count: doc.pageCount,
    status: doc.final ?? (now === undefined ? 'processing' : statusAt(doc, now)),
    ...(doc.final === 'failed' && !Array.isArray(doc.outcome) && { error: doc.outcome.failed }),
    ...(doc.final === 'processed' && {
      thumbnails: pages.map((p) => ({
        page_number: p.page_number,
        url: thumbnailUrl(baseUrl, doc.id, p.page_number),
      })),
    }),
    automatically_deleted_at: sqlTimestamp(doc.deleteAt),
    created_at: isoTimestamp(doc.createdAt),
    updated_at: isoTimestamp(doc.updatedAt),
  };
  // A failed document carries no results.
  const done = doc.final === 'processed';
  switch (doc.action) {
    case 'transcribe':
      return {
        ...common,
        action: 'transcribe',
        ...(done && {
          results: pages.map((p) => ({ page_number: p.page_number, transcript: p.transcript })),
        }),
      };
    case 'tables':
      return {
        ...common,
        action: 'tables',
        ...(done && {
          results: pages.map((p) => ({
            page_number: p.page_number,
            tables: p.tables,
            key_value_pairs: p.key_value_pairs,
          })),
        }),
      };
    case 'extractor':
      return {
        ...common,
        action: 'extractor',
        ...(done && {
          results: pages.map((p) => ({ page_number: p.page_number, extractions: p.extractions })),
        }),
      };
  }
}
