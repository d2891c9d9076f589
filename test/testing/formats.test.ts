import mammoth from 'mammoth';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { FORMATS_BY_ACTION, type Simulator, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { get, makePdf, uploadId, waitDone } from './helpers/fixtures.js';

type Schemas = components['schemas'];

const OOXML = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

let sim: Simulator;
const id = { transcribe: '', tables: '', extractor: '' };

beforeAll(async () => {
  sim = await startSimulator({
    processingMs: 0,
    transcribe: ({ action }) => {
      if (action === 'transcribe')
        return ['Dear Ada,\nsee you at 10 & bring <notes>.', 'Page two: "quoted", café'];
      if (action === 'tables') {
        return [
          {
            tables: [
              {
                rows: [
                  ['Item', 'Qty'],
                  ['Pens', 2],
                ],
                rowCount: 2,
                columnCount: 2,
                tableNumber: 1,
              },
            ],
            key_value_pairs: [{ key: 'VAT Number', value: '1234567' }],
          },
          'Name | Role\nAda | Engineer',
        ];
      }
      return [
        {
          extractions: [
            [
              {
                key: 'date_of_birth',
                name: 'Date of birth',
                type: 'string',
                array: false,
                value: '12/12/1994',
              },
              { key: 'place', name: 'Place', type: 'string', array: false, value: 'Paris, France' },
              { key: 'age', name: 'Age', type: 'number', array: false, value: 31 },
              { key: 'tags', name: 'Tags', type: 'string', array: true, value: ['a', 'b'] },
            ],
          ],
        },
        'Signed: yes',
      ];
    },
  });
  id.transcribe = await uploadId(sim, makePdf(2), { action: 'transcribe' }, 'letter.pdf');
  id.tables = await uploadId(sim, makePdf(2), { action: 'tables' }, 'invoice.pdf');
  id.extractor = await uploadId(
    sim,
    makePdf(2),
    { action: 'extractor', extractor_id: 'Ks08XVPyMd' },
    'form.pdf',
  );
  for (const d of Object.values(id)) await waitDone(sim, d);
});
afterAll(async () => {
  await sim.close();
});

const download = async (docId: string, format: string) =>
  conforming<Schemas['DocumentResult']>(
    'GET /documents/{id}.{format}',
    await get(sim, `/documents/${docId}.${format}`),
  );

describe('downloads', () => {
  it('offers the formats of each action, 400 for the others', async () => {
    expect(FORMATS_BY_ACTION).toEqual({
      transcribe: ['txt', 'docx', 'json'],
      tables: ['xlsx', 'json'],
      extractor: ['xlsx', 'csv', 'json'],
    });
    for (const [action, docId] of Object.entries(id)) {
      for (const format of ['txt', 'docx', 'xlsx', 'csv', 'json', 'pdf']) {
        const res = await download(docId, format);
        const offered = FORMATS_BY_ACTION[action as keyof typeof FORMATS_BY_ACTION].includes(format as 'txt');
        expect(res.status, `${action}.${format}`).toBe(offered ? 200 : 400);
        if (!offered)
          expect(res.json).toEqual({ message: 'The requested format is not available for this document.' });
      }
    }
  });

  it('answers 202 with Retry-After while pending', async () => {
    const slow = await startSimulator({ processingMs: 60_000 });
    try {
      const pending = await uploadId(slow, makePdf(1));
      const res = await conforming(
        'GET /documents/{id}.{format}',
        await get(slow, `/documents/${pending}.txt`),
      );
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ id: pending, status: 'queued', action: 'transcribe' });
      expect(res.headers.get('retry-after')).toBe('60');
      const wrong = await conforming(
        'GET /documents/{id}.{format}',
        await get(slow, `/documents/${pending}.xlsx`),
      );
      expect(wrong.status).toBe(400);
    } finally {
      await slow.close();
    }
  });

  it('serves txt', async () => {
    const res = await download(id.transcribe, 'txt');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="letter.txt"; filename*=UTF-8''letter.txt`,
    );
    expect(res.text).toBe('Dear Ada,\nsee you at 10 & bring <notes>.\n\nPage two: "quoted", café\n');
  });

  it('serves docx that mammoth reopens', async () => {
    const res = await download(id.transcribe, 'docx');
    expect(res.headers.get('content-type')).toBe(OOXML.docx);
    const { value, messages } = await mammoth.extractRawText({ buffer: Buffer.from(res.bytes) });
    expect(messages).toEqual([]);
    const paragraphs = value.split('\n').filter((l) => l !== '');
    expect(paragraphs).toEqual(['Dear Ada,', 'see you at 10 & bring <notes>.', 'Page two: "quoted", café']);
    const html = await mammoth.convertToHtml({ buffer: Buffer.from(res.bytes) });
    expect(html.value).toContain('<p>see you at 10 &amp; bring &lt;notes&gt;.</p>');
  });

  it('serves json as the processed document', async () => {
    const res = await download(id.transcribe, 'json');
    expect(res.headers.get('content-type')).toBe('application/json');
    const status = await conforming('GET /documents/{id}', await get(sim, `/documents/${id.transcribe}`));
    expect(res.json).toEqual(status.json);
  });

  it('serves tables as xlsx that read-excel-file reopens: a sheet per table plus key/value pairs', async () => {
    const res = await download(id.tables, 'xlsx');
    expect(res.headers.get('content-type')).toBe(OOXML.xlsx);
    const sheets = await readXlsxFile(Buffer.from(res.bytes));
    expect(sheets).toEqual([
      {
        sheet: 'Page 1 Table 1',
        data: [
          ['Item', 'Qty'],
          ['Pens', 2],
        ],
      },
      {
        sheet: 'Page 2 Table 1',
        data: [
          ['Name', 'Role'],
          ['Ada', 'Engineer'],
        ],
      },
      {
        sheet: 'Key-value pairs',
        data: [
          ['key', 'value'],
          ['VAT Number', '1234567'],
        ],
      },
    ]);
  });

  it('serves extractor fields as csv and xlsx', async () => {
    const csv = await download(id.extractor, 'csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text).toBe(
      'key,name,value\ndate_of_birth,Date of birth,12/12/1994\nplace,Place,"Paris, France"\nage,Age,31\ntags,Tags,a; b\nsigned,Signed,yes\n',
    );
    const xlsx = await download(id.extractor, 'xlsx');
    const sheets = await readXlsxFile(Buffer.from(xlsx.bytes));
    expect(sheets).toEqual([
      {
        sheet: 'Extractions',
        data: [
          ['key', 'name', 'value'],
          ['date_of_birth', 'Date of birth', '12/12/1994'],
          ['place', 'Place', 'Paris, France'],
          ['age', 'Age', 31],
          ['tags', 'Tags', 'a; b'],
          ['signed', 'Signed', 'yes'],
        ],
      },
    ]);
  });

  it('answers the same bytes for the same document (stable zip timestamps)', async () => {
    const a = await download(id.tables, 'xlsx');
    const b = await download(id.tables, 'xlsx');
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });

  it('answers 400 for the result of a failed document, but its json', async () => {
    const failing = await startSimulator({ processingMs: 0, transcribe: () => 'failed' });
    try {
      const failed = await uploadId(failing, makePdf(1));
      await waitDone(failing, failed);
      expect(
        (await conforming('GET /documents/{id}.{format}', await get(failing, `/documents/${failed}.txt`)))
          .status,
      ).toBe(400);
      const json = await conforming<Schemas['DocumentResult']>(
        'GET /documents/{id}.{format}',
        await get(failing, `/documents/${failed}.json`),
      );
      expect(json.json.status).toBe('failed');
    } finally {
      await failing.close();
    }
  });
});
