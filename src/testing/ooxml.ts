// Minimal, valid Office Open XML packages (docx, xlsx): just the parts Word, Excel, LibreOffice, mammoth and
// read-excel-file need, zipped with node:zlib (the testing entry is Node-only; one zlib in the simulator).
import { crc32, deflateRawSync } from 'node:zlib';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
// A fixed timestamp (2026-01-01 00:00, MS-DOS format) keeps the bytes of a download identical across calls
// (handy for snapshot tests).
const DOS_TIME = 0;
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;

const isXmlChar = (c: number): boolean =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c !== 0xfffe && c !== 0xffff);

/** Escapes text for XML and drops the control characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return Array.from(text)
    .filter((ch) => isXmlChar(ch.codePointAt(0) ?? 0))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * A ZIP archive (APPNOTE 6.3: local headers, deflated data, central directory, end record) of XML parts, in
 * order. Part names are ASCII and every part is far below 4 GB, so no ZIP64 or UTF-8 flag is needed.
 */
function zip(parts: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, xml] of Object.entries(parts)) {
    const data = Buffer.from(XML_HEAD + xml, 'utf8');
    const packed = deflateRawSync(data, { level: 6 });
    const nameBytes = Buffer.from(name, 'ascii');
    // The fields local and central headers share, from "version needed" to "file name length".
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed: 2.0 (deflate)
    common.writeUInt16LE(0, 2); // flags
    common.writeUInt16LE(8, 4); // method: deflate
    common.writeUInt16LE(DOS_TIME, 6);
    common.writeUInt16LE(DOS_DATE, 8);
    common.writeUInt32LE(crc32(data), 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(nameBytes.length, 22);
    common.writeUInt16LE(0, 24); // extra field length
    const local = Buffer.concat([u32(0x04034b50), common, nameBytes, packed]);
    const tail = Buffer.alloc(14); // comment length, disk, internal and external attributes: 0; then the offset
    tail.writeUInt32LE(offset, 10);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), common, tail, nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8); // entries on this disk
  end.writeUInt16LE(central.length, 10); // entries in all
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const out = Buffer.concat([...locals, directory, end]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

function contentTypes(overrides: Record<string, string>): string {
  const items = Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="/${part}" ContentType="${type}"/>`)
    .join('');
  return (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    `<Default Extension="xml" ContentType="application/xml"/>${items}</Types>`
  );
}

function relationships(rels: readonly { id: string; type: string; target: string }[]): string {
  const items = rels
    .map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`)
    .join('');
  return `<Relationships xmlns="${REL_NS}">${items}</Relationships>`;
}

/** A Word document: one paragraph per line, a page break between pages. */
export function buildDocx(pages: readonly string[]): Uint8Array {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const paragraph = (text: string): string =>
    text === '' ? '<w:p/>' : `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
  const body = pages
    .map((page, i) => {
      const paras = page.split(/\r?\n/).map(paragraph).join('');
      return i === 0 ? paras : `<w:p><w:r><w:br w:type="page"/></w:r></w:p>${paras}`;
    })
    .join('');
  return zip({
    '[Content_Types].xml': contentTypes({
      'word/document.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    }),
    '_rels/.rels': relationships([
      { id: 'rId1', type: `${DOC_REL}/officeDocument`, target: 'word/document.xml' },
    ]),
    'word/document.xml': `<w:document xmlns:w="${W}"><w:body>${body}<w:sectPr/></w:body></w:document>`,
    'word/_rels/document.xml.rels': relationships([]),
  });
}

/** A spreadsheet cell: text, number, boolean, or empty. */
export type Cell = string | number | boolean | null;

/** One worksheet: its tab name and rows of cells. */
export interface Sheet {
  name: string;
  rows: readonly (readonly Cell[])[];
}

/** `A`, `B`, … `Z`, `AA`, … for a zero-based column index. */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Excel's rules for tab names: ≤ 31 characters, none of `[]:*?/\`, unique. */
function sheetNames(sheets: readonly Sheet[]): string[] {
  const used = new Set<string>();
  return sheets.map((s, i) => {
    const base =
      s.name
        .replace(/[[\]:*?/\\]/g, ' ')
        .trim()
        .slice(0, 31) || `Sheet${i + 1}`;
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base.slice(0, 28)} (${k})`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** An Excel workbook with shared strings; at least one (possibly empty) sheet. */
export function buildXlsx(input: readonly Sheet[]): Uint8Array {
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const sheets = input.length > 0 ? input : [{ name: 'Sheet1', rows: [] }];
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const shared = (text: string): number => {
    let i = stringIndex.get(text);
    if (i === undefined) {
      i = strings.push(text) - 1;
      stringIndex.set(text, i);
    }
    return i;
  };
  const cellXml = (cell: Cell, ref: string): string => {
    if (cell === null || cell === '') return '';
    if (typeof cell === 'number' && Number.isFinite(cell)) return `<c r="${ref}"><v>${cell}</v></c>`;
    if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
    return `<c r="${ref}" t="s"><v>${shared(String(cell))}</v></c>`;
  };
  const parts: Record<string, string> = {};
  const overrides: Record<string, string> = {
    'xl/workbook.xml': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  };
  sheets.forEach((sheet, i) => {
    const rows = sheet.rows
      .map((row, r) => {
        const cells = row.map((cell, c) => cellXml(cell, `${columnName(c)}${r + 1}`)).join('');
        return `<row r="${r + 1}">${cells}</row>`;
      })
      .join('');
    parts[`xl/worksheets/sheet${i + 1}.xml`] =
      `<worksheet xmlns="${S}"><sheetData>${rows}</sheetData></worksheet>`;
    overrides[`xl/worksheets/sheet${i + 1}.xml`] =
      'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
  });
  overrides['xl/sharedStrings.xml'] =
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml';
  const names = sheetNames(sheets);
  const sheetList = names
    .map((name, i) => `<sheet name="${xmlEscape(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const sst = strings.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('');
  return zip({
    '[Content_Types].xml': contentTypes(overrides),
    '_rels/.rels': relationships([
      { id: 'rId1', type: `${DOC_REL}/officeDocument`, target: 'xl/workbook.xml' },
    ]),
    'xl/workbook.xml': `<workbook xmlns="${S}" xmlns:r="${DOC_REL}"><sheets>${sheetList}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': relationships([
      ...sheets.map((_, i) => ({
        id: `rId${i + 1}`,
        type: `${DOC_REL}/worksheet`,
        target: `worksheets/sheet${i + 1}.xml`,
      })),
      { id: `rId${sheets.length + 1}`, type: `${DOC_REL}/sharedStrings`, target: 'sharedStrings.xml' },
    ]),
    ...parts,
    'xl/sharedStrings.xml': `<sst xmlns="${S}" count="${strings.length}" uniqueCount="${strings.length}">${sst}</sst>`,
  });
}
