// The download formats: which an action offers, and how each is written.
import { MEDIA_TYPES, FORMATS_BY_ACTION as OFFERED } from '../formats.js';
import { buildDocx, buildXlsx, type Cell, type Sheet } from './ooxml.js';
import type { PageResult } from './results.js';
import type { Action, DownloadFormat, Schemas } from './spec.js';

/** Formats per action, as the API offers them (the client's table); any other combination answers 400. */
export const FORMATS_BY_ACTION: Readonly<Record<Action, readonly DownloadFormat[]>> = OFFERED;

/** The content type each format is served with: the client's media types, text with its charset. */
export const CONTENT_TYPES: Readonly<Record<DownloadFormat, string>> = Object.fromEntries(
  Object.entries(MEDIA_TYPES).map(([format, type]) => [
    format,
    type.startsWith('text/') ? `${type}; charset=utf-8` : type,
  ]),
) as Record<DownloadFormat, string>;

/** Whether a string names a download format at all (whatever the action). */
export const isDownloadFormat = (s: string): s is DownloadFormat => Object.hasOwn(CONTENT_TYPES, s);

/** Plain text: the pages' transcripts, a blank line between pages. */
export function renderTxt(pages: readonly PageResult[]): string {
  return `${pages.map((p) => p.transcript ?? '').join('\n\n')}\n`;
}

/** A Word document of the transcripts. */
export function renderDocx(pages: readonly PageResult[]): Uint8Array {
  return buildDocx(pages.map((p) => p.transcript ?? ''));
}

/** The `key,name,value` rows of an extractor document, in page and record order. */
function extractionRows(pages: readonly PageResult[]): Cell[][] {
  const rows: Cell[][] = [['key', 'name', 'value']];
  for (const page of pages) {
    for (const record of page.extractions) {
      for (const field of record) rows.push([field.key, field.name ?? field.key, cellValue(field.value)]);
    }
  }
  return rows;
}

function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('; ');
  return JSON.stringify(value);
}

const csvField = (cell: Cell): string => {
  const s = cell === null ? '' : String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV of an extractor document's fields (`key,name,value`, like the API's example). */
export function renderCsv(pages: readonly PageResult[]): string {
  return `${extractionRows(pages)
    .map((row) => row.map(csvField).join(','))
    .join('\n')}\n`;
}

const tableRow = (row: unknown): Cell[] => (Array.isArray(row) ? row.map(cellValue) : [cellValue(row)]);

function tableSheets(pages: readonly PageResult[]): Sheet[] {
  const sheets: Sheet[] = [];
  const pairs: Cell[][] = [];
  for (const page of pages) {
    page.tables.forEach((table: Schemas['Table'], i) => {
      sheets.push({
        name: `Page ${page.page_number} Table ${table.tableNumber ?? i + 1}`,
        rows: (table.rows ?? []).map(tableRow),
      });
    });
    for (const pair of page.key_value_pairs) pairs.push([pair.key, pair.value]);
  }
  if (pairs.length > 0) sheets.push({ name: 'Key-value pairs', rows: [['key', 'value'], ...pairs] });
  return sheets;
}

/** A workbook: tables get a sheet each (plus one of key/value pairs); extractor fields one sheet. */
export function renderXlsx(action: Action, pages: readonly PageResult[]): Uint8Array {
  if (action === 'extractor') return buildXlsx([{ name: 'Extractions', rows: extractionRows(pages) }]);
  return buildXlsx(tableSheets(pages));
}
