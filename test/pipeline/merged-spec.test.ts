// The merged document (upstream + overlay) is what everything else is generated from and mocked with:
// it must be valid OpenAPI 3.1, and every example in it must validate against its own schema.
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointerOf } from '../../contract-tests/lib/spec.js';
import { SpecValidator } from '../../contract-tests/lib/validator.js';
import { MERGED, readJson, UPSTREAM } from '../../scripts/lib/pipeline.js';

// biome-ignore lint/suspicious/noExplicitAny: walking arbitrary JSON; each access is checked by an assertion.
type Json = Record<string, any>;
let merged: Json;

beforeAll(async () => {
  merged = await readJson(MERGED);
});

/** Every media-type object in the document, with the JSON pointer of its schema. */
function mediaTypes(doc: Json): Array<{ where: string; media: Json; schema: string }> {
  const found: Array<{ where: string; media: Json; schema: string }> = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'content' && value && typeof value === 'object' && !('type' in value)) {
        for (const [type, media] of Object.entries(value as Json)) {
          found.push({
            where: `${path.join('/')} ${type}`,
            media,
            schema: pointerOf(...path, key, type, 'schema'),
          });
        }
      } else {
        walk(value, [...path, key]);
      }
    }
  };
  walk(doc, []);
  return found;
}

describe('merged OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(merged));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(merged.openapi).toMatch(/^3\.1\./);
  });

  it('declares JSON Schema 2020-12 so Prism validates 3.1 keywords', () => {
    expect(merged.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('validates every example against its schema', () => {
    const validator = new SpecValidator(merged);
    const checked: string[] = [];
    for (const { where, media, schema } of mediaTypes(merged)) {
      if (!media.schema) continue;
      const examples: Array<[string, unknown]> = [];
      if ('example' in media) examples.push(['example', media.example]);
      for (const [name, ex] of Object.entries((media.examples ?? {}) as Json))
        examples.push([name, ex.value]);
      for (const [name, value] of examples) {
        expect(validator.check(`${where} ${name}`, schema, value)).toEqual([]);
        checked.push(`${where} ${name}`);
      }
    }
    // The vendor's three status examples, including the one with a non-ISO `automatically_deleted_at`.
    expect(
      checked.filter((c) => c.startsWith('paths//documents/{id}/get/responses/200 application/json')),
    ).toHaveLength(3);
    expect(checked.length).toBeGreaterThan(20);
  });

  it('the vendor example with `YYYY-MM-DD HH:MM:SS` passes, a non-date does not', () => {
    const validator = new SpecValidator(merged);
    const result = pointerOf('components', 'schemas', 'DocumentResult');
    const validate = (value: unknown) => validator.check('DocumentResult', result, value).length === 0;
    const transcribe =
      merged.paths['/documents/{id}'].get.responses['200'].content['application/json'].examples.transcribe
        .value;
    expect(transcribe.automatically_deleted_at).toBe('2025-03-05 19:47:44');
    expect(validate(transcribe)).toBe(true);
    expect(validate({ ...transcribe, automatically_deleted_at: 'next tuesday' })).toBe(false);
    expect(validate({ ...transcribe, action: 'summarise' })).toBe(false);
  });

  it('keeps the vendor file verbatim and the status path distinct from the format download', async () => {
    const upstream = await readJson(UPSTREAM);
    expect(Object.keys(merged.paths)).toEqual([
      ...Object.keys(upstream.paths as Json),
      '/documents/{id}.{format}',
    ]);
    const statusParams = merged.paths['/documents/{id}'].get.parameters as Json[];
    expect(statusParams.some((p) => p.name === 'format')).toBe(false);
    const download = merged.paths['/documents/{id}.{format}'].get.responses['200'].content;
    expect(Object.keys(download).sort()).toEqual([
      'application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'text/csv',
      'text/plain',
    ]);
  });
});
