import { describe, expectTypeOf, it } from 'vitest';
import type {
  Document,
  DocumentResult,
  DownloadFormat,
  ExtractorDocument,
  HandwritingOCR,
  ProcessingDocument,
  TablesDocument,
  TranscribeDocument,
  User,
} from '../../src/index.js';

declare const client: HandwritingOCR;

describe('download return type follows the format', () => {
  it('by id', () => {
    expectTypeOf(client.documents.download('id', 'txt')).resolves.toEqualTypeOf<string>();
    expectTypeOf(client.documents.download('id', 'csv')).resolves.toEqualTypeOf<string>();
    expectTypeOf(client.documents.download('id', 'json')).resolves.toEqualTypeOf<DocumentResult>();
    expectTypeOf(client.documents.download('id', 'docx')).resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(client.documents.download('id', 'xlsx')).resolves.toEqualTypeOf<Uint8Array>();
  });

  it('a union of formats gives a union of results', () => {
    const format = 'txt' as 'txt' | 'docx';
    expectTypeOf(client.documents.download('id', format)).resolves.toEqualTypeOf<string | Uint8Array>();
    expectTypeOf(client.documents.download('id', 'json' as DownloadFormat)).resolves.toEqualTypeOf<
      string | Uint8Array | DocumentResult
    >();
  });

  it('a format outside the five does not compile', () => {
    // @ts-expect-error not a format
    client.documents.download('id', 'pdf');
  });

  it('with a document: json narrows by action, and the format must be one the action offers', () => {
    const transcribe = {} as TranscribeDocument;
    const tables = {} as TablesDocument;
    const extractor = {} as ExtractorDocument;
    expectTypeOf(client.documents.download(transcribe, 'json')).resolves.toEqualTypeOf<TranscribeDocument>();
    expectTypeOf(client.documents.download(tables, 'json')).resolves.toEqualTypeOf<TablesDocument>();
    expectTypeOf(client.documents.download(tables, 'xlsx')).resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(client.documents.download(extractor, 'csv')).resolves.toEqualTypeOf<string>();
    // @ts-expect-error tables offers xlsx and json only
    client.documents.download(tables, 'txt');
    // @ts-expect-error transcribe does not offer xlsx
    client.documents.download(transcribe, 'xlsx');
    // @ts-expect-error extractor does not offer docx
    client.documents.downloadToFile(extractor, 'docx', 'out.docx');
    // A listed document (action known only as the union) accepts every format.
    expectTypeOf(client.documents.download({} as Document, 'txt')).resolves.toEqualTypeOf<string>();
  });

  it('streams', () => {
    expectTypeOf(client.documents.downloadStream('id', 'docx')).resolves.toEqualTypeOf<
      ReadableStream<Uint8Array>
    >();
    expectTypeOf(client.documents.downloadToFile('id', 'docx', 'a.docx')).resolves.toEqualTypeOf<void>();
  });
});

describe('results are discriminated by action', () => {
  it('retrieve narrows by status, then by action', async () => {
    const doc = await client.documents.retrieve('id');
    expectTypeOf(doc).toEqualTypeOf<DocumentResult | ProcessingDocument>();
    if (doc.status === 'processed') {
      expectTypeOf(doc).toEqualTypeOf<DocumentResult>();
      if (doc.action === 'transcribe') {
        expectTypeOf(doc.results).toEqualTypeOf<TranscribeDocument['results']>();
        expectTypeOf(doc.results).exclude<undefined>().items.toHaveProperty('transcript');
      } else if (doc.action === 'tables') {
        expectTypeOf(doc.results).exclude<undefined>().items.toHaveProperty('tables');
      } else {
        expectTypeOf(doc.action).toEqualTypeOf<'extractor'>();
        expectTypeOf(doc.results).exclude<undefined>().items.toHaveProperty('extractions');
      }
    }
    if (doc.action === undefined) expectTypeOf(doc.status).toEqualTypeOf<'new' | 'queued' | 'processing'>();
  });

  it('waitForProcessing and uploadAndWait resolve to the result', () => {
    expectTypeOf(client.documents.waitForProcessing('id')).resolves.toEqualTypeOf<DocumentResult>();
    expectTypeOf(client.documents.uploadAndWait).returns.resolves.toEqualTypeOf<DocumentResult>();
  });
});

describe('other signatures', () => {
  it('list is a promise of a page and an async iterable of documents', async () => {
    const list = client.documents.list({ per_page: 10 });
    expectTypeOf(list).resolves.toHaveProperty('documents');
    expectTypeOf(list).toMatchTypeOf<AsyncIterable<Document>>();
    for await (const doc of list) expectTypeOf(doc).toEqualTypeOf<Document>();
  });

  it('wire names stay snake_case; options are camelCase', () => {
    client.documents.upload({
      file: 'a.pdf',
      action: 'extractor',
      extractor_id: 'Ks08XVPyMd',
      delete_after: 300,
    });
    // @ts-expect-error SDK params keep the API's snake_case
    client.documents.upload({ file: 'a.pdf', action: 'transcribe', deleteAfter: 300 });
    // @ts-expect-error not an action
    client.documents.upload({ file: 'a.pdf', action: 'ocr' });
    client.documents.list(
      { per_page: 5 },
      { signal: AbortSignal.timeout(1000), timeoutMs: 5, maxRetries: 0 },
    );
    expectTypeOf(client.users.me()).resolves.toEqualTypeOf<User>();
    expectTypeOf(client.documents.delete('id')).resolves.toEqualTypeOf<void>();
    expectTypeOf(client.credits.topup({ amount: 500 })).resolves.toHaveProperty('new_balance');
  });
});
