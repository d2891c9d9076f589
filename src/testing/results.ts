// What a simulated document "contains": the `transcribe` hook decides, defaults fill the gaps, and the
// three action shapes (transcript, tables, extractions) are derived from one page text when not given.
import { pngText, type SupportedMediaType } from './filetypes.js';
import type { Action, Schemas } from './spec.js';

/** What the `transcribe` hook is told about an uploaded document. */
export interface TranscribeInput {
  /** The new document's id. */
  readonly id: string;
  /** The uploaded file's name (`file_name`). */
  readonly fileName: string;
  /** The upload's `action`. */
  readonly action: Action;
  /** Pages the simulator counted (PDF page objects; 1 for images). */
  readonly pageCount: number;
  /** The media type judged from the file's magic bytes. */
  readonly mediaType: SupportedMediaType;
  /** The uploaded bytes. */
  readonly bytes: Uint8Array;
  /** The upload's `extractor_id` (extractor action only). */
  readonly extractorId: string | undefined;
}

/**
 * One page's result, for pages that need more than a text. Missing parts are derived from `text`:
 * `tables` become one table whose rows are the text's lines (cells split on `|` or tabs),
 * `key_value_pairs` and `extractions` come from `Key: value` lines.
 */
export interface SimulatedPage {
  /** The page transcript (default: the simulator's default text for the page). */
  text?: string;
  /** Tables found on the page (`tables` action). */
  tables?: Schemas['Table'][];
  /** Key/value pairs found on the page (`tables` action). */
  key_value_pairs?: Schemas['KeyValuePair'][];
  /** One list of fields per record found on the page (`extractor` action). */
  extractions?: Schemas['Extraction'][][];
}

/**
 * A page as the hook decides it: its text, a {@link SimulatedPage}, or `null` for a page that failed
 * (its credit is refunded, its transcript is `null`).
 */
export type PageOutcome = string | SimulatedPage | null;

/** A document that failed as a whole, with the `error` text its status body carries. */
export interface DocumentFailure {
  /** The `error` text, e.g. `'The scan is blank.'`. */
  readonly failed: string;
}

/**
 * The hook's answer: one entry per page (missing entries get the default), `'failed'` (or `{ failed: 'why' }`,
 * to choose the `error` text) to end the document `failed` (nothing charged), or `undefined` for the default
 * behaviour.
 */
export type TranscribeOutcome = readonly PageOutcome[] | 'failed' | DocumentFailure | undefined;

/** The `error` text of a document that failed without a reason of its own. */
export const DEFAULT_FAILURE = 'The document could not be processed.';
/** The `error` text of a document none of whose pages could be read. */
export const NO_PAGE_READ = 'No text could be read from any page.';

/** Decides what a document's pages read. May be async; a throw fails the document. */
export type TranscribeHook = (input: TranscribeInput) => TranscribeOutcome | Promise<TranscribeOutcome>;

/** A settled page, holding every action's shape. */
export interface PageResult {
  readonly page_number: number;
  /** `false` for a failed page (refunded). */
  readonly ok: boolean;
  readonly transcript: string | null;
  readonly tables: Schemas['Table'][];
  readonly key_value_pairs: Schemas['KeyValuePair'][];
  readonly extractions: Schemas['Extraction'][][];
}

/** The default text of a page: a PNG's `Transcript` text chunk, else a deterministic sentence. */
export function defaultText(input: TranscribeInput, pageNumber: number): string {
  const embedded = input.mediaType === 'image/png' ? pngText(input.bytes, 'Transcript') : undefined;
  return embedded ?? `Handwritten text on page ${pageNumber} of ${input.fileName}.`;
}

/** Runs the hook (if any) and settles every page; a {@link DocumentFailure} when the document as a whole fails. */
export async function transcribe(
  hook: TranscribeHook | undefined,
  input: TranscribeInput,
): Promise<PageResult[] | DocumentFailure> {
  let outcome: TranscribeOutcome;
  try {
    outcome = hook ? await hook(input) : undefined;
  } catch {
    // The hook's own message stays out: the wire shows what the API would say.
    return { failed: DEFAULT_FAILURE };
  }
  if (outcome === 'failed') return { failed: DEFAULT_FAILURE };
  if (outcome !== undefined && !Array.isArray(outcome)) {
    const { failed } = outcome as DocumentFailure;
    return { failed: typeof failed === 'string' && failed.trim() !== '' ? failed : DEFAULT_FAILURE };
  }
  const pages: PageResult[] = [];
  for (let n = 1; n <= input.pageCount; n++) {
    const entry = outcome?.[n - 1];
    pages.push(settlePage(n, entry === undefined ? defaultText(input, n) : entry, input));
  }
  // A document none of whose pages could be read fails as a whole.
  return pages.some((p) => p.ok) ? pages : { failed: NO_PAGE_READ };
}

function settlePage(pageNumber: number, entry: PageOutcome, input: TranscribeInput): PageResult {
  if (entry === null) {
    return {
      page_number: pageNumber,
      ok: false,
      transcript: null,
      tables: [],
      key_value_pairs: [],
      extractions: [],
    };
  }
  const page: SimulatedPage = typeof entry === 'string' ? { text: entry } : entry;
  const text = page.text ?? defaultText(input, pageNumber);
  const pairs = keyValueLines(text);
  return {
    page_number: pageNumber,
    ok: true,
    transcript: text,
    tables: page.tables ?? [tableFromText(text)],
    key_value_pairs: page.key_value_pairs ?? pairs,
    extractions: page.extractions ?? [extractionsFrom(text, pairs)],
  };
}

const lines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== '');

function tableFromText(text: string): Schemas['Table'] {
  const rows = lines(text).map((line) => line.split(/\s*[|\t]\s*/).map((cell) => cell.trim()));
  return {
    rows,
    rowCount: rows.length,
    columnCount: Math.max(0, ...rows.map((r) => r.length)),
    tableNumber: 1,
    hasHeaderRow: false,
    headerContent: null,
  };
}

function keyValueLines(text: string): Schemas['KeyValuePair'][] {
  const pairs: Schemas['KeyValuePair'][] = [];
  for (const line of lines(text)) {
    const m = /^\s*([^:|\t]{1,60}?)\s*:\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) pairs.push({ key: m[1], value: m[2] === '' ? null : m[2] });
  }
  return pairs;
}

const snakeCase = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'field';

function extractionsFrom(text: string, pairs: Schemas['KeyValuePair'][]): Schemas['Extraction'][] {
  if (pairs.length === 0) return [{ key: 'text', name: 'Text', type: 'string', array: false, value: text }];
  return pairs.map((p) => ({
    key: snakeCase(p.key),
    name: p.key,
    type: 'string',
    array: false,
    value: p.value,
  }));
}
