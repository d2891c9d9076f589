// Tests of the coverage meta-test. In process: the enumeration and the comparison on modified copies of
// the spec (an added operation, status, named example, media type or webhook is reported missing; a removed
// status makes its case unknown). End to end: the meta-test itself, run by vitest in a child process on a
// copy of the spec with one more operation, fails and names it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allCases } from '../cases/index.js';
import { caseKey } from '../cases/types.js';
import { compareCoverage, formatCoverage } from '../lib/coverage.js';
import { enumerateSpec, type Json, loadSpec, type OpenApiDoc, ROOT } from '../lib/spec.js';

const original = loadSpec();
const keys = allCases.map(caseKey);
const copy = (): OpenApiDoc => structuredClone(original);
const errorResponse = {
  description: 'Conflict',
  content: { 'application/json': { schema: { type: 'object' } } },
};

/** The spec copy with one more operation: `GET /documents/{id}/thumbnails`. */
function withExtraOperation(): OpenApiDoc {
  const spec = copy();
  (spec.paths as Record<string, Json>)['/documents/{id}/thumbnails'] = {
    get: {
      operationId: 'list-thumbnails',
      parameters: [{ $ref: '#/components/parameters/DocumentId' }],
      responses: {
        200: {
          description: 'The thumbnails.',
          content: { 'application/json': { schema: { type: 'array' } } },
        },
        404: errorResponse,
      },
    },
  };
  return spec;
}

function responsesOf(spec: OpenApiDoc, path: string, method: string): Record<string, Json> {
  const operation = spec.paths?.[path]?.[method] as { responses?: Record<string, Json> } | undefined;
  if (!operation?.responses) throw new Error(`no ${method} ${path} in the spec copy`);
  return operation.responses;
}

// Relative to the committed spec: when a real case is missing, coverage.test.ts says so, once; these tests
// stay green and keep to what their own change to the spec adds.
const baseline = compareCoverage(enumerateSpec(original), keys);
const missingKeys = (spec: OpenApiDoc) =>
  compareCoverage(enumerateSpec(spec), keys)
    .missing.map((m) => m.key)
    .filter((k) => !baseline.missing.some((b) => b.key === k));
const unknownKeys = (spec: OpenApiDoc) =>
  compareCoverage(enumerateSpec(spec), keys).unknown.filter((k) => !baseline.unknown.includes(k));

describe('coverage meta-test, in process', () => {
  it('names the case file to edit: the existing one, or a new one to list in cases/index.ts', () => {
    const spec = copy();
    responsesOf(spec, '/documents/{id}', 'delete')['409'] = errorResponse;
    const report = compareCoverage(enumerateSpec(spec), keys);
    report.missing = report.missing.filter((m) => m.key === 'delete-document 409');
    expect(formatCoverage(report)).toBe(
      [
        'Spec items without a contract case: add one for each, in the file named.',
        '  contract-tests/cases/delete-document.ts',
        '    - status     delete-document 409',
      ].join('\n'),
    );
    const added = compareCoverage(enumerateSpec(withExtraOperation()), keys);
    added.missing = added.missing.filter((m) => m.operationId === 'list-thumbnails');
    expect(formatCoverage(added)).toContain(
      'contract-tests/cases/list-thumbnails.ts (a new file: list its cases in contract-tests/cases/index.ts)',
    );
    expect(formatCoverage({ missing: [], unknown: ['get-user-information 418'] })).toContain(
      '  contract-tests/cases/account.ts\n    - get-user-information 418',
    );
  });

  it('enumerates operations under paths and webhooks, statuses, media types and named examples', () => {
    const found = enumerateSpec(original).map((i) => i.key);
    expect(found).toContain('upload-document');
    expect(found).toContain('document-processed-webhook 200');
    expect(found).toContain('download-document-format 200 text/csv');
    expect(found).toContain('download-result 200 example=tables');
    expect(found).toContain('purchase-additional-credits 422 example=payment_failed');
  });

  it('an added operation is reported missing, with each of its statuses', () => {
    expect(missingKeys(withExtraOperation())).toEqual([
      'list-thumbnails',
      'list-thumbnails 200',
      'list-thumbnails 404',
    ]);
  });

  it('an added status is reported missing', () => {
    const spec = copy();
    responsesOf(spec, '/documents/{id}', 'delete')['409'] = errorResponse;
    expect(missingKeys(spec)).toEqual(['delete-document 409']);
  });

  it('an added named example is reported missing', () => {
    const spec = copy();
    const media = (responsesOf(spec, '/credits/topup', 'post')['422'] as { content: Record<string, Json> })
      .content['application/json'] as { examples: Record<string, Json> };
    media.examples.no_payment_method = {
      value: { message: 'No payment method.', code: 'no_payment_method' },
    };
    expect(missingKeys(spec)).toEqual(['purchase-additional-credits 422 example=no_payment_method']);
  });

  it('a second media type on a status makes each media type an item', () => {
    const spec = copy();
    const ok = responsesOf(spec, '/users/me', 'get')['200'] as { content: Record<string, Json> };
    ok.content['text/csv'] = { schema: { type: 'string' } };
    expect(missingKeys(spec)).toEqual([
      'get-user-information 200 application/json',
      'get-user-information 200 text/csv',
    ]);
  });

  it('an added webhook is reported missing', () => {
    const spec = copy();
    (spec.webhooks as Record<string, Json>)['document-deleted'] = {
      post: { operationId: 'document-deleted-webhook', responses: { 200: { description: 'ok' } } },
    };
    expect(missingKeys(spec)).toEqual(['document-deleted-webhook', 'document-deleted-webhook 200']);
  });

  it('a removed status leaves its case unknown', () => {
    const spec = copy();
    delete responsesOf(spec, '/documents', 'post')['413'];
    expect(unknownKeys(spec)).toEqual(['upload-document 413']);
  });
});

describe('coverage meta-test, end to end on a spec copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwocr-meta-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('goes red when an operation is added without a case, and names it', async () => {
    const specFile = join(dir, 'spec-with-extra-operation.json');
    writeFileSync(specFile, JSON.stringify(withExtraOperation()));
    const [modified, control] = await Promise.all([
      runMetaTest(specFile, join(dir, 'modified.json')),
      runMetaTest(join(ROOT, 'openapi/handwriting-ocr.v3.json'), join(dir, 'control.json')),
    ]);
    expect(modified.exitCode, modified.output).not.toBe(0);
    // One failing test, one message that names the file to edit.
    expect(modified.failed).toEqual(['every spec item has a contract case and every case names a spec item']);
    const message = modified.failures.join('\n');
    expect(message).toContain('contract-tests/cases/list-thumbnails.ts');
    expect(message).toContain('operation  list-thumbnails');
    expect(message).toContain('status     list-thumbnails 200');
    // The committed spec's run does not mention it (and passes, unless a real case is missing).
    expect(control.failures.join('\n')).not.toContain('list-thumbnails');
    if (baseline.missing.length === 0 && baseline.unknown.length === 0) {
      expect(control.exitCode, control.output).toBe(0);
    }
  }, 60_000);
});

interface JsonReport {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

/** Runs coverage.test.ts in a child vitest against `specFile`; returns its exit code and failed tests. */
async function runMetaTest(specFile: string, outputFile: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      join(ROOT, 'contract-tests/meta/vitest.meta.config.ts'),
      '--root',
      ROOT,
      '--outputFile',
      outputFile,
    ],
    { cwd: ROOT, env: { ...env, HWOCR_CONTRACT_SPEC: specFile }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as JsonReport;
  const results = report.testResults.flatMap((r) => r.assertionResults);
  const failedResults = results.filter((a) => a.status === 'failed');
  return {
    exitCode,
    output,
    failed: failedResults.map((a) => a.title),
    failures: failedResults.flatMap((a) => a.failureMessages),
  };
}
