// The change classifier behind `npm run spec:update`. Fixtures are the vendor's document, mutated the way a
// new upstream version could change it; every category is pinned with its breaking flag and location.
import { describe, expect, it } from 'vitest';
import { readJson, UPSTREAM } from '../../scripts/lib/pipeline.js';
import {
  type Category,
  diffSpecs as diffWithProblems,
  formatReport,
  type Level,
  type OpenApiDoc,
  reportJson,
  type SpecChange,
  suggestBump,
} from '../../scripts/lib/spec-diff.js';

type Obj = Record<string, unknown>;

const upstream: OpenApiDoc = await readJson(UPSTREAM);

/** The object at `keys` (created when missing, so fixtures can add paths and schemas). */
function at(doc: Obj, ...keys: string[]): Obj {
  let cur = doc;
  for (const k of keys) {
    const next = cur[k] ?? {};
    if (typeof next !== 'object' || next === null)
      throw new Error(`${keys.join('.')}: ${k} is not an object`);
    cur[k] = next;
    cur = next as Obj;
  }
  return cur;
}

const list = (doc: Obj, ...keys: string[]) => {
  const last = keys.pop() as string;
  const value = at(doc, ...keys)[last];
  if (!Array.isArray(value)) throw new Error(`${[...keys, last].join('.')} is not an array`);
  return value as unknown[];
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (doc: Obj, path: string, method: string, code: string) =>
  at(doc, 'paths', path, method, 'responses', code, 'content', 'application/json');
const uploadForm = (doc: Obj) =>
  at(doc, 'paths', '/documents', 'post', 'requestBody', 'content', 'multipart/form-data', 'schema');
const param = (doc: Obj, path: string, method: string, name: string) => {
  const found = list(doc, 'paths', path, method, 'parameters').find((p) => (p as Obj).name === name);
  if (!found) throw new Error(`no parameter ${name}`);
  return found as Obj;
};

const variant = (action: string, results: Obj) => ({
  allOf: [
    ref('DocumentCommon'),
    {
      type: 'object',
      required: ['action'],
      properties: { action: { type: 'string', const: action }, results: { type: 'array', items: results } },
    },
  ],
});

/** Upstream plus response schemas (the vendor documents bodies only by example), as a later version might. */
function typed(): Obj {
  const doc = structuredClone(upstream);
  Object.assign(at(doc, 'components', 'schemas'), {
    DocumentList: {
      type: 'object',
      required: ['documents', 'total'],
      properties: {
        documents: { type: 'array', items: ref('Document') },
        total: { type: 'integer' },
        next_page_url: { type: ['string', 'null'], format: 'uri' },
      },
    },
    DocumentCommon: {
      type: 'object',
      required: ['id', 'status'],
      properties: {
        id: { type: 'string' },
        file_name: { type: 'string' },
        status: { type: 'string', enum: ['queued', 'processing', 'processed', 'failed'] },
      },
    },
    TranscribeDocument: variant('transcribe', {
      type: 'object',
      properties: { page_number: { type: 'integer' }, transcript: { type: ['string', 'null'] } },
    }),
    TablesDocument: variant('tables', {
      type: 'object',
      properties: { page_number: { type: 'integer' }, tables: { type: 'array', items: {} } },
    }),
    ExtractorDocument: variant('extractor', {
      type: 'object',
      properties: { extractions: { type: 'array', items: { type: 'array', items: { type: 'object' } } } },
    }),
    DocumentResult: {
      oneOf: [ref('TranscribeDocument'), ref('TablesDocument'), ref('ExtractorDocument')],
      discriminator: {
        propertyName: 'action',
        mapping: {
          transcribe: '#/components/schemas/TranscribeDocument',
          tables: '#/components/schemas/TablesDocument',
          extractor: '#/components/schemas/ExtractorDocument',
        },
      },
    },
  });
  json(doc, '/documents', 'get', '200').schema = ref('DocumentList');
  json(doc, '/documents/{id}', 'get', '200').schema = ref('DocumentResult');
  json(doc, '/users/me', 'get', '200').schema = {
    type: 'object',
    required: ['id', 'balance'],
    properties: { id: { type: 'string' }, balance: { type: 'integer' }, type: { type: 'string' } },
  };
  return doc;
}

/** The changes between two documents that have no problems of their own (every fixture here). */
function diffSpecs(from: Obj, to: Obj): SpecChange[] {
  const { changes, problems } = diffWithProblems(from, to);
  expect(problems).toEqual([]);
  return changes;
}

/** Diffs `from` against a mutated copy of it. */
function diff(mutate: (doc: Obj) => void, from: Obj = typed()): SpecChange[] {
  const to = structuredClone(from);
  mutate(to);
  return diffSpecs(from, to);
}

/** The classification without the prose, for exact comparisons. */
const shape = (changes: SpecChange[]) =>
  changes.map(({ category, level, operation, location }) => ({ category, level, operation, location }));

const one = (category: Category, level: Level, operation: string | undefined, location: string) => ({
  category,
  level,
  operation,
  location,
});

describe('diffSpecs: no change', () => {
  it('finds nothing between a document and itself or a copy', () => {
    expect(diffSpecs(upstream, upstream)).toEqual([]);
    expect(diffSpecs(upstream, structuredClone(upstream))).toEqual([]);
    expect(diffSpecs(typed(), typed())).toEqual([]);
  });

  it('ignores prose: descriptions, summaries, examples', () => {
    const changes = diff((doc) => {
      at(doc, 'paths', '/documents', 'get').description = 'Something else';
      at(doc, 'components', 'schemas', 'Document', 'properties', 'id').example = 'other';
      json(doc, '/users/me', 'get', '200').example = { id: 'x' };
    });
    expect(changes).toEqual([]);
  });

  it('reports a newly documented response body as non-breaking', () => {
    const changes = diffSpecs(upstream, typed());
    expect(shape(changes)).toEqual([
      one('response-property-added', 'non-breaking', 'GET /documents', 'response 200 application/json'),
      one('response-property-added', 'non-breaking', 'GET /documents/{id}', 'response 200 application/json'),
      one('response-property-added', 'non-breaking', 'GET /users/me', 'response 200 application/json'),
    ]);
    expect(changes[0]?.message).toMatch(/undocumented/);
  });
});

describe('diffSpecs: operations', () => {
  it('operation-removed is breaking', () => {
    const changes = diff((doc) => {
      delete at(doc, 'paths', '/credits/topup').post;
    });
    expect(shape(changes)).toEqual([
      one('operation-removed', 'breaking', 'POST /credits/topup', 'POST /credits/topup'),
    ]);
    expect(changes[0]?.message).toContain('purchase-additional-credits');
  });

  it('operation-added is not breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'paths', '/documents/{id}/retry').post = {
        operationId: 'retry-document',
        parameters: [{ $ref: '#/components/parameters/DocumentId' }],
        responses: { '202': { description: 'Queued again.' } },
      };
    });
    expect(shape(changes)).toEqual([
      one('operation-added', 'non-breaking', 'POST /documents/{id}/retry', 'POST /documents/{id}/retry'),
    ]);
  });

  it('a path parameter renamed in place is a notice: nothing changes on the wire', () => {
    const changes = diff((doc) => {
      const paths = at(doc, 'paths');
      paths['/documents/{documentId}'] = paths['/documents/{id}'];
      delete paths['/documents/{id}'];
      at(doc, 'components', 'parameters', 'DocumentId').name = 'documentId';
    });
    expect(shape(changes)).toEqual([
      one('parameter-renamed', 'notice', 'GET /documents/{documentId}', 'path parameter documentId'),
      one('parameter-renamed', 'notice', 'DELETE /documents/{documentId}', 'path parameter documentId'),
    ]);
    expect(changes[0]?.message).toMatch(/^renamed from id: nothing changes on the wire/);
  });
});

describe('diffSpecs: parameters', () => {
  const listDocs = (doc: Obj) => list(doc, 'paths', '/documents', 'get', 'parameters');

  it('parameter-added-required is breaking, parameter-added-optional is not', () => {
    const changes = diff((doc) => {
      listDocs(doc).push(
        { name: 'status', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'sort', in: 'query', schema: { type: 'string' } },
      );
    });
    expect(shape(changes)).toEqual([
      one('parameter-added-optional', 'non-breaking', 'GET /documents', 'query parameter sort'),
      one('parameter-added-required', 'breaking', 'GET /documents', 'query parameter status'),
    ]);
  });

  it('parameter-removed is breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'paths', '/documents', 'get').parameters = listDocs(doc).filter(
        (p) => (p as Obj).name !== 'page',
      );
    });
    expect(shape(changes)).toEqual([
      one('parameter-removed', 'breaking', 'GET /documents', 'query parameter page'),
    ]);
  });

  it('parameter-became-required is breaking, parameter-became-optional is not', () => {
    const changes = diff((doc) => {
      param(doc, '/documents', 'get', 'per_page').required = true;
    });
    expect(shape(changes)).toEqual([
      one('parameter-became-required', 'breaking', 'GET /documents', 'query parameter per_page'),
    ]);
    const back = diffSpecs(perPageRequired(), typed());
    expect(shape(back)).toEqual([
      one('parameter-became-optional', 'non-breaking', 'GET /documents', 'query parameter per_page'),
    ]);
  });

  it('parameter-type-changed is breaking when values sent today become invalid', () => {
    const changes = diff((doc) => {
      at(param(doc, '/documents', 'get', 'page'), 'schema').type = 'string';
    });
    expect(shape(changes)).toEqual([
      one('parameter-type-changed', 'breaking', 'GET /documents', 'query parameter page'),
    ]);
    expect(changes[0]?.message).toBe(
      'type changed from integer to string: values clients send today may be rejected',
    );
  });

  it('widening a parameter type (3.1 type array) is not breaking', () => {
    const changes = diff((doc) => {
      at(param(doc, '/documents', 'get', 'page'), 'schema').type = ['integer', 'string'];
    });
    expect(shape(changes)).toEqual([
      one('parameter-type-changed', 'non-breaking', 'GET /documents', 'query parameter page'),
    ]);
    expect(changes[0]?.message).toContain('from integer to integer | string');
  });

  it('follows $ref parameters into every operation that uses them', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'parameters', 'DocumentId', 'schema').type = 'integer';
    });
    expect(shape(changes)).toEqual([
      one('parameter-type-changed', 'breaking', 'GET /documents/{id}', 'path parameter id'),
      one('parameter-type-changed', 'breaking', 'DELETE /documents/{id}', 'path parameter id'),
    ]);
  });

  it('parameter enum: a removed value is breaking, an added one is not', () => {
    const changes = diff((doc) => {
      at(param(doc, '/documents/{id}', 'get', 'format'), 'schema').enum = [
        'txt',
        'xlsx',
        'csv',
        'json',
        'pdf',
      ];
    });
    expect(shape(changes)).toEqual([
      one('enum-value-added', 'non-breaking', 'GET /documents/{id}', 'query parameter format'),
      one('enum-value-removed', 'breaking', 'GET /documents/{id}', 'query parameter format'),
    ]);
    expect(changes.map((c) => c.message)).toEqual([
      "enum value 'pdf' added: clients may now send it",
      "enum value 'docx' removed: clients sending it will be rejected",
    ]);
  });

  it('a serialization change is breaking', () => {
    const changes = diff((doc) => {
      param(doc, '/documents', 'get', 'page').style = 'spaceDelimited';
    });
    expect(shape(changes)).toEqual([
      one('parameter-type-changed', 'breaking', 'GET /documents', 'query parameter page'),
    ]);
  });
});

/** The typed fixture with per_page already required (for the "became optional" direction). */
function perPageRequired(): Obj {
  const doc = typed();
  param(doc, '/documents', 'get', 'per_page').required = true;
  return doc;
}

describe('diffSpecs: request bodies', () => {
  const where = 'request body multipart/form-data';

  it('request-property-required-added: a new required property, or an existing one made required', () => {
    const changes = diff((doc) => {
      const form = uploadForm(doc);
      at(form, 'properties').language = { type: 'string' };
      form.required = ['action', 'file', 'language', 'delete_after'];
    });
    expect(shape(changes)).toEqual([
      one('request-property-required-added', 'breaking', 'POST /documents', `${where}: delete_after`),
      one('request-property-required-added', 'breaking', 'POST /documents', `${where}: language`),
    ]);
    expect(changes.map((c) => c.message)).toEqual([
      'property became required: existing requests may omit it',
      'new required property: existing requests omit it',
    ]);
  });

  it('request-property-removed is breaking, request-property-added-optional is not', () => {
    const changes = diff((doc) => {
      const props = at(uploadForm(doc), 'properties');
      delete props.webhook_url;
      props.webhook_secret = { type: 'string' };
    });
    expect(shape(changes)).toEqual([
      one('request-property-added-optional', 'non-breaking', 'POST /documents', `${where}: webhook_secret`),
      one('request-property-removed', 'breaking', 'POST /documents', `${where}: webhook_url`),
    ]);
  });

  it('request-property-became-optional is not breaking', () => {
    const changes = diff((doc) => {
      uploadForm(doc).required = ['file'];
    });
    expect(shape(changes)).toEqual([
      one('request-property-became-optional', 'non-breaking', 'POST /documents', `${where}: action`),
    ]);
  });

  it('readOnly properties are not part of the request', () => {
    const changes = diff((doc) => {
      at(uploadForm(doc), 'properties').id = { type: 'string', readOnly: true };
      uploadForm(doc).required = ['action', 'file', 'id'];
    });
    expect(changes).toEqual([]);
  });

  it('request-property-type-changed', () => {
    const changes = diff((doc) => {
      at(
        doc,
        'paths',
        '/credits/topup',
        'post',
        'requestBody',
        'content',
        'multipart/form-data',
        'schema',
        'properties',
        'amount',
      ).type = 'string';
    });
    expect(shape(changes)).toEqual([
      one(
        'request-property-type-changed',
        'breaking',
        'POST /credits/topup',
        'request body multipart/form-data: amount',
      ),
    ]);
  });

  it('request enum: removed is breaking, added is not; the direction is in the message', () => {
    const changes = diff((doc) => {
      at(uploadForm(doc), 'properties', 'action').enum = ['transcribe', 'extractor', 'summarize'];
    });
    expect(shape(changes)).toEqual([
      one('enum-value-added', 'non-breaking', 'POST /documents', `${where}: action`),
      one('enum-value-removed', 'breaking', 'POST /documents', `${where}: action`),
    ]);
    expect(changes[0]?.message).toContain("'summarize' added");
    expect(changes[1]?.message).toContain("'tables' removed");
  });

  it('request content types: removing one is breaking, adding one is not', () => {
    const changes = diff((doc) => {
      const content = at(doc, 'paths', '/documents', 'post', 'requestBody', 'content');
      content['application/json'] = content['multipart/form-data'];
      delete content['multipart/form-data'];
    });
    expect(shape(changes)).toEqual([
      one('content-type-added', 'non-breaking', 'POST /documents', 'request body application/json'),
      one('content-type-removed', 'breaking', 'POST /documents', 'request body multipart/form-data'),
    ]);
  });

  it('a request body that becomes optional is not breaking, one that becomes required is', () => {
    const optional = diff((doc) => {
      at(doc, 'paths', '/documents', 'post', 'requestBody').required = false;
    });
    expect(shape(optional)).toEqual([
      one('request-body-changed', 'non-breaking', 'POST /documents', 'request body'),
    ]);
    const from = typed();
    at(from, 'paths', '/documents', 'post', 'requestBody').required = false;
    const required = diffSpecs(from, typed());
    expect(shape(required)).toEqual([
      one('request-body-changed', 'breaking', 'POST /documents', 'request body'),
    ]);
  });
});

describe('diffSpecs: responses', () => {
  const list200 = 'response 200 application/json';

  it('response-property-removed through $ref and array items', () => {
    const changes = diff((doc) => {
      delete at(doc, 'components', 'schemas', 'Document', 'properties').file_name;
    });
    expect(shape(changes)).toEqual([
      one('response-property-removed', 'breaking', 'GET /documents', `${list200}: documents[].file_name`),
    ]);
  });

  it('response-property-added is not breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Document', 'properties').thumbnails = { type: 'array', items: {} };
    });
    expect(shape(changes)).toEqual([
      one('response-property-added', 'non-breaking', 'GET /documents', `${list200}: documents[].thumbnails`),
    ]);
  });

  it('response-property-type-changed is breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Document', 'properties', 'page_count').type = 'string';
    });
    expect(shape(changes)).toEqual([
      one(
        'response-property-type-changed',
        'breaking',
        'GET /documents',
        `${list200}: documents[].page_count`,
      ),
    ]);
  });

  it('3.1 type arrays: a response type gaining null is breaking, losing it is not', () => {
    const nullable = diff((doc) => {
      at(doc, 'components', 'schemas', 'Document', 'properties', 'page_count').type = ['integer', 'null'];
    });
    expect(shape(nullable)).toEqual([
      one(
        'response-property-type-changed',
        'breaking',
        'GET /documents',
        `${list200}: documents[].page_count`,
      ),
    ]);
    expect(nullable[0]?.message).toContain('from integer to integer | null');

    const narrowed = diff((doc) => {
      at(doc, 'components', 'schemas', 'DocumentList', 'properties', 'next_page_url').type = 'string';
    });
    expect(shape(narrowed)).toEqual([
      one('response-property-type-changed', 'non-breaking', 'GET /documents', `${list200}: next_page_url`),
    ]);
  });

  it('response enum: an added value is breaking, a removed one is not', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Document', 'properties', 'status').enum = [
        'processing',
        'processed',
        'failed',
        'archived',
      ];
    });
    expect(shape(changes)).toEqual([
      one('enum-value-added', 'breaking', 'GET /documents', `${list200}: documents[].status`),
      one('enum-value-removed', 'non-breaking', 'GET /documents', `${list200}: documents[].status`),
    ]);
    expect(changes[0]?.message).toBe(
      "enum value 'archived' added: typed clients that switch exhaustively must handle it",
    );
    expect(changes[1]?.message).toContain("'queued' removed");
  });

  it('const counts as a one-value enum', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'DocumentList', 'properties').kind = { const: 'list' };
    }, withKind());
    expect(shape(changes)).toEqual([
      one('enum-value-added', 'breaking', 'GET /documents', `${list200}: kind`),
      one('enum-value-removed', 'non-breaking', 'GET /documents', `${list200}: kind`),
    ]);
  });

  it('response-property-became-optional is breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'DocumentList').required = ['total'];
    });
    expect(shape(changes)).toEqual([
      one('response-property-became-optional', 'breaking', 'GET /documents', `${list200}: documents`),
    ]);
  });

  it('status-code-added is not breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'paths', '/users/me', 'get', 'responses')['429'] = { description: 'Too many requests.' };
    });
    expect(shape(changes)).toEqual([
      one('status-code-added', 'non-breaking', 'GET /users/me', 'response 429'),
    ]);
  });

  it('status-code-removed: breaking for a success code, not for an error code', () => {
    const changes = diff((doc) => {
      const responses = at(doc, 'paths', '/documents/{id}', 'get', 'responses');
      delete responses['202'];
      delete at(doc, 'paths', '/documents/{id}', 'delete', 'responses')['404'];
    });
    expect(shape(changes)).toEqual([
      one('status-code-removed', 'breaking', 'GET /documents/{id}', 'response 202'),
      one('status-code-removed', 'non-breaking', 'DELETE /documents/{id}', 'response 404'),
    ]);
    expect(changes[0]?.message).toMatch(/^success response 202 removed/);
    expect(changes[1]?.message).toMatch(/^error response 404 no longer documented/);
  });

  it('response content types: removing one is breaking, adding one is not', () => {
    const changes = diff((doc) => {
      const content = at(doc, 'paths', '/users/me', 'get', 'responses', '200', 'content');
      delete content['application/json'];
      at(doc, 'paths', '/documents/{id}', 'get', 'responses', '200', 'content')['text/csv'] = {
        schema: { type: 'string' },
      };
    });
    expect(shape(changes)).toEqual([
      one('content-type-added', 'non-breaking', 'GET /documents/{id}', 'response 200 text/csv'),
      one('content-type-removed', 'breaking', 'GET /users/me', 'response 200 application/json'),
    ]);
  });
});

/** The typed fixture with a `kind: { const: 'page' }` property on the list. */
function withKind(): Obj {
  const doc = typed();
  at(doc, 'components', 'schemas', 'DocumentList', 'properties').kind = { type: 'string', const: 'page' };
  return doc;
}

describe('diffSpecs: composition (allOf, oneOf, anyOf) and cycles', () => {
  const result = 'response 200 application/json';

  it('a property inherited through allOf into every oneOf variant is one change of the schema declaring it', () => {
    const changes = diff((doc) => {
      delete at(doc, 'components', 'schemas', 'DocumentCommon', 'properties').file_name;
    });
    expect(shape(changes)).toEqual([
      one('response-property-removed', 'breaking', undefined, 'DocumentCommon.file_name'),
    ]);
    expect(changes[0]?.schema).toBe('DocumentCommon');
    // Every place it is felt, labelled by discriminator value.
    expect(changes[0]?.usedBy).toEqual(
      ['extractor', 'tables', 'transcribe'].map((action) => ({
        operation: 'GET /documents/{id}',
        location: `${result}: (action=${action}).file_name`,
      })),
    );
  });

  it('compares variants with the same discriminator value, down to nested items', () => {
    const changes = diff((doc) => {
      const schemas = at(doc, 'components', 'schemas');
      const tables = list(schemas, 'TablesDocument', 'allOf')[1] as Obj;
      delete at(tables, 'properties', 'results', 'items', 'properties').tables;
      const transcribe = list(schemas, 'TranscribeDocument', 'allOf')[1] as Obj;
      at(transcribe, 'properties', 'results', 'items', 'properties', 'transcript').type = 'string';
    });
    expect(shape(changes)).toEqual([
      one(
        'response-property-removed',
        'breaking',
        'GET /documents/{id}',
        `${result}: (action=tables).results[].tables`,
      ),
      one(
        'response-property-type-changed',
        'non-breaking',
        'GET /documents/{id}',
        `${result}: (action=transcribe).results[].transcript`,
      ),
    ]);
  });

  it('a new discriminated variant in a response is a breaking enum-value-added', () => {
    const changes = diff((doc) => {
      const schemas = at(doc, 'components', 'schemas');
      schemas.SummaryDocument = variant('summary', { type: 'object' });
      list(schemas, 'DocumentResult', 'oneOf').push(ref('SummaryDocument'));
      at(schemas, 'DocumentResult', 'discriminator', 'mapping').summary =
        '#/components/schemas/SummaryDocument';
    });
    expect(shape(changes)).toEqual([one('enum-value-added', 'breaking', 'GET /documents/{id}', result)]);
    expect(changes[0]?.message).toContain('oneOf variant action=summary added');
  });

  it('finds the discriminator from const properties when none is declared', () => {
    const from = typed();
    delete at(from, 'components', 'schemas', 'DocumentResult').discriminator;
    const changes = diff((doc) => {
      // Reordered branches still pair up by their `action` value.
      list(at(doc, 'components', 'schemas'), 'DocumentResult', 'oneOf').reverse();
      list(at(doc, 'components', 'schemas'), 'DocumentResult', 'oneOf').pop();
    }, from);
    expect(shape(changes)).toEqual([
      one('enum-value-removed', 'non-breaking', 'GET /documents/{id}', result),
    ]);
    expect(changes[0]?.message).toContain('action=transcribe removed');
  });

  it('compares untagged anyOf branches by position', () => {
    const from = typed();
    at(from, 'components', 'schemas', 'Document', 'properties').page_count = {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    };
    const changes = diff((doc) => {
      list(at(doc, 'components', 'schemas', 'Document', 'properties'), 'page_count', 'anyOf').push({
        type: 'null',
      });
    }, from);
    expect(shape(changes)).toEqual([
      one(
        'response-property-type-changed',
        'breaking',
        'GET /documents',
        `${result}: documents[].page_count`,
      ),
    ]);
    expect(changes[0]?.message).toContain('anyOf variant anyOf[2] added');
  });

  it('a plain type that becomes a union is compared by its types', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Document', 'properties').page_count = {
        oneOf: [{ type: 'integer' }, { type: 'null' }],
      };
    });
    expect(shape(changes)).toEqual([
      one(
        'response-property-type-changed',
        'breaking',
        'GET /documents',
        `${result}: documents[].page_count`,
      ),
    ]);
  });

  it('stops on recursive schemas and still reports what changed', () => {
    const from = typed();
    at(from, 'components', 'schemas').Folder = {
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Folder') } },
    };
    at(from, 'components', 'schemas', 'DocumentList', 'properties').folder = ref('Folder');
    expect(diffSpecs(from, structuredClone(from))).toEqual([]);
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Folder', 'properties', 'name').type = 'integer';
    }, from);
    expect(shape(changes)).toEqual([
      one('response-property-type-changed', 'breaking', 'GET /documents', `${result}: folder.name`),
    ]);
  });

  it('a recursive schema used by two operations: one change, both places, however deep it is reached', () => {
    const from = typed();
    at(from, 'components', 'schemas').Folder = {
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Folder') } },
    };
    at(from, 'components', 'schemas', 'DocumentList', 'properties').folder = ref('Folder');
    at(from, 'components', 'schemas', 'DocumentCommon', 'properties').folder = ref('Folder');
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Folder', 'properties', 'name').type = 'integer';
    }, from);
    expect(shape(changes)).toEqual([
      one('response-property-type-changed', 'breaking', undefined, 'Folder.name'),
    ]);
    expect(changes[0]?.usedBy?.map((p) => `${p.operation} ${p.location}`)).toEqual([
      'GET /documents response 200 application/json: folder.name',
      'GET /documents/{id} response 200 application/json: (action=extractor).folder.name',
      'GET /documents/{id} response 200 application/json: (action=tables).folder.name',
      'GET /documents/{id} response 200 application/json: (action=transcribe).folder.name',
    ]);
  });

  it('survives a $ref chain that loops', () => {
    const from = typed();
    Object.assign(at(from, 'components', 'schemas'), { A: ref('B'), B: ref('A') });
    at(from, 'components', 'schemas', 'DocumentList', 'properties').loop = ref('A');
    expect(diffSpecs(from, structuredClone(from))).toEqual([]);
  });
});

describe('diffSpecs: security', () => {
  it('a changed document-wide requirement is breaking', () => {
    const changes = diff((doc) => {
      doc.security = [{ ApiKeyAuth: [] }];
      at(doc, 'components', 'securitySchemes').ApiKeyAuth = {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
      };
    });
    expect(shape(changes)).toEqual([
      one('security-changed', 'breaking', undefined, 'security (document-wide)'),
    ]);
    expect(changes[0]?.message).toBe(
      'security changed from BearerAuth to ApiKeyAuth: requests authenticated the old way may be rejected',
    );
  });

  it('an extra alternative is not breaking', () => {
    const changes = diff((doc) => {
      doc.security = [{ BearerAuth: [] }, { ApiKeyAuth: [] }];
    });
    expect(shape(changes)).toEqual([
      one('security-changed', 'non-breaking', undefined, 'security (document-wide)'),
    ]);
  });

  it('an operation that no longer needs authentication is not breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'paths', '/users/me', 'get').security = [];
    });
    expect(shape(changes)).toEqual([one('security-changed', 'non-breaking', 'GET /users/me', 'security')]);
    expect(changes[0]?.message).toContain('authentication is no longer required');
  });

  it('an operation that newly requires a scope is breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'paths', '/credits/topup', 'post').security = [{ BearerAuth: ['billing'] }];
    });
    expect(shape(changes)).toEqual([one('security-changed', 'breaking', 'POST /credits/topup', 'security')]);
  });

  it('a changed scheme definition is breaking', () => {
    const changes = diff((doc) => {
      at(doc, 'components', 'securitySchemes', 'BearerAuth').scheme = 'basic';
    });
    expect(shape(changes)).toEqual([
      one('security-changed', 'breaking', undefined, 'security scheme BearerAuth'),
    ]);
  });
});

describe('diffSpecs: webhooks', () => {
  const hook = 'POST webhook:document-processed';
  /** The typed fixture with a webhook that POSTs the status document. */
  function withWebhook(): Obj {
    const doc = typed();
    doc.webhooks = {
      'document-processed': {
        post: {
          operationId: 'document-processed-webhook',
          parameters: [{ name: 'x-signature', in: 'header', schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('DocumentResult') } } },
          responses: { '200': { description: 'Received.' } },
        },
      },
    };
    return doc;
  }

  it('a webhook payload is read by the client: a removed property is breaking there too', () => {
    const changes = diff((doc) => {
      const schemas = at(doc, 'components', 'schemas');
      const transcribe = list(schemas, 'TranscribeDocument', 'allOf')[1] as Obj;
      delete at(transcribe, 'properties', 'results', 'items', 'properties').transcript;
    }, withWebhook());
    expect(shape(changes)).toEqual([
      one('response-property-removed', 'breaking', undefined, 'TranscribeDocument.results[].transcript'),
    ]);
    expect(changes[0]?.direction).toBe('receives');
    expect(changes[0]?.usedBy).toEqual([
      {
        operation: 'GET /documents/{id}',
        location: 'response 200 application/json: (action=transcribe).results[].transcript',
      },
      {
        operation: hook,
        location: 'request body application/json: (action=transcribe).results[].transcript',
      },
    ]);
  });

  it('a header the webhook no longer sends is breaking for the receiver; a new one is not', () => {
    const changes = diff((doc) => {
      const op = at(doc, 'webhooks', 'document-processed', 'post');
      op.parameters = [{ name: 'x-timestamp', in: 'header', required: true, schema: { type: 'string' } }];
    }, withWebhook());
    expect(shape(changes)).toEqual([
      one('parameter-removed', 'breaking', hook, 'header parameter x-signature'),
      one('parameter-added-required', 'non-breaking', hook, 'header parameter x-timestamp'),
    ]);
  });

  it('webhooks are added and removed like operations', () => {
    expect(shape(diffSpecs(typed(), withWebhook()))).toEqual([
      one('operation-added', 'non-breaking', hook, hook),
    ]);
    expect(shape(diffSpecs(withWebhook(), typed()))).toEqual([
      one('operation-removed', 'breaking', hook, hook),
    ]);
  });
});

describe('diffSpecs: levels, direction and grouping', () => {
  it('a schema shared by a request and a response is judged once per direction', () => {
    const from = typed();
    at(from, 'components', 'schemas').Action = {
      type: 'string',
      enum: ['transcribe', 'tables', 'extractor'],
    };
    at(uploadForm(from), 'properties').action = ref('Action');
    at(from, 'components', 'schemas', 'DocumentCommon', 'properties').requested = ref('Action');
    const changes = diff((doc) => {
      list(at(doc, 'components', 'schemas', 'Action'), 'enum').push('summarize');
    }, from);
    expect(changes.map((c) => [c.level, c.category, c.direction, c.operation, c.location])).toEqual([
      // Sent: at one place, so it stays with its operation. Received: in three variants, so grouped.
      [
        'non-breaking',
        'enum-value-added',
        'sends',
        'POST /documents',
        'request body multipart/form-data: action',
      ],
      ['breaking', 'enum-value-added', 'receives', undefined, 'Action'],
    ]);
    expect(changes[1]?.usedBy).toHaveLength(3);
  });

  it('honours nullable in an OpenAPI 3.0 document, and reports no problem there', () => {
    const from = typed();
    from.openapi = '3.0.3';
    const changes = diff((doc) => {
      at(doc, 'components', 'schemas', 'Document', 'properties', 'page_count').nullable = true;
    }, from);
    expect(shape(changes)).toEqual([
      one(
        'response-property-type-changed',
        'breaking',
        'GET /documents',
        'response 200 application/json: documents[].page_count',
      ),
    ]);
    expect(changes[0]?.message).toContain('from integer to integer | null');
  });

  it('ignores nullable in a 3.1 document and says the document is wrong', () => {
    const to = typed();
    at(to, 'components', 'schemas', 'Document', 'properties', 'page_count').nullable = true;
    const { changes, problems } = diffWithProblems(typed(), to);
    expect(changes).toEqual([]);
    expect(problems).toEqual([
      {
        category: 'nullable-ignored',
        severity: 'warning',
        document: 'new',
        message: expect.stringContaining('has no meaning in OpenAPI 3.1.0'),
        at: ['#/components/schemas/Document/properties/page_count/nullable'],
      },
    ]);
  });

  it('reads 3.0 boolean exclusive bounds', () => {
    const from = typed();
    from.openapi = '3.0.3';
    const changes = diff((doc) => {
      at(param(doc, '/documents', 'get', 'per_page'), 'schema').exclusiveMaximum = true;
    }, from);
    expect(shape(changes)).toEqual([
      one('constraint-tightened', 'breaking', 'GET /documents', 'query parameter per_page'),
    ]);
    expect(changes[0]?.message).toBe(
      'maximum tightened: ≤ 200 → < 200: values clients send today may be rejected',
    );
  });

  it('reports one problem per missing target, with every place that points to it', () => {
    const to = typed();
    json(to, '/users/me', 'get', '200').schema = ref('Nowhere');
    at(uploadForm(to), 'properties').extra = ref('Nowhere');
    const { problems } = diffWithProblems(typed(), to);
    expect(problems).toEqual([
      {
        category: 'ref-missing',
        severity: 'error',
        document: 'new',
        message: '$ref #/components/schemas/Nowhere points to nothing',
        at: [
          '#/paths/~1documents/post/requestBody/content/multipart~1form-data/schema/properties/extra',
          '#/paths/~1users~1me/get/responses/200/content/application~1json/schema',
        ],
      },
    ]);
  });

  it('the JSON report carries counts, the bump and every place', () => {
    const report = reportJson(
      diffWithProblems(
        typed(),
        (() => {
          const doc = typed();
          delete at(doc, 'components', 'schemas', 'DocumentCommon', 'properties').file_name;
          at(doc, 'paths', '/users/me', 'get').deprecated = true;
          return doc;
        })(),
      ),
      { title: 't', fromLabel: 'a', toLabel: 'b' },
    );
    expect(report).toMatchObject({
      title: 't',
      from: 'a',
      to: 'b',
      bump: 'major',
      counts: {
        breaking: 1,
        'potentially-breaking': 0,
        'non-breaking': 0,
        notice: 1,
        errors: 0,
        warnings: 0,
      },
      problems: [],
    });
    expect(report.changes[0]).toMatchObject({
      category: 'operation-deprecated',
      level: 'notice',
      direction: 'sends',
      operation: 'GET /users/me',
    });
    expect(report.changes[1]).toMatchObject({
      schema: 'DocumentCommon',
      location: 'DocumentCommon.file_name',
    });
    expect(report.changes[1]?.usedBy).toHaveLength(3);
  });
});

describe('suggestBump', () => {
  const change = (category: Category, breaking: boolean, level?: Level): SpecChange => ({
    category,
    level: level ?? (breaking ? 'breaking' : 'non-breaking'),
    direction: 'sends',
    location: 'x',
    message: 'y',
  });

  it('major for any breaking change, minor for additions, patch otherwise', () => {
    expect(suggestBump([])).toBe('patch');
    expect(suggestBump([change('status-code-removed', false)])).toBe('patch');
    expect(suggestBump([change('operation-added', false), change('status-code-removed', false)])).toBe(
      'minor',
    );
    expect(suggestBump([change('operation-added', false), change('parameter-removed', true)])).toBe('major');
    expect(suggestBump([change('parameter-renamed', false, 'notice')])).toBe('patch');
    expect(suggestBump([change('format-changed', false, 'potentially-breaking')])).toBe('minor');
  });

  it('agrees with real diffs', () => {
    expect(suggestBump(diffSpecs(upstream, typed()))).toBe('minor');
    expect(suggestBump(diff((doc) => delete at(doc, 'paths', '/users/me').get))).toBe('major');
  });
});

describe('formatReport', () => {
  const opts = { title: 'Handwriting OCR API changes', fromLabel: 'v3 (old)', toLabel: 'v3 (new)' };
  const found = diffWithProblems(
    typed(),
    (() => {
      const doc = typed();
      delete at(doc, 'paths', '/credits/topup').post;
      at(doc, 'paths', '/users/me', 'get', 'responses')['429'] = { description: 'Too many requests.' };
      doc.security = [{ BearerAuth: [] }, { ApiKeyAuth: [] }];
      at(doc, 'paths', '/users/me', 'get').deprecated = true;
      at(doc, 'components', 'schemas', 'DocumentCommon', 'properties', 'status').enum = [
        'queued',
        'processing',
        'processed',
        'failed',
        'archived',
      ];
      return doc;
    })(),
  );

  it('has a header, counts, and one section per level, grouped by operation or shared schema', () => {
    const report = formatReport(found, opts);
    expect(report).toBe(
      [
        '# Handwriting OCR API changes',
        '',
        'Comparing `v3 (old)` → `v3 (new)`.',
        '',
        '5 changes: 2 breaking, 0 potentially breaking, 2 non-breaking, 1 notice.',
        '',
        'Suggested version bump: **major**',
        '',
        '## Breaking (2)',
        '',
        '### POST /credits/topup',
        '',
        '- [operation-removed] POST /credits/topup — operation removed (operationId purchase-additional-credits) _(client sends)_',
        '',
        '### Schema DocumentCommon',
        '',
        "- [enum-value-added] DocumentCommon.status — enum value 'archived' added: typed clients that switch exhaustively must handle it _(client receives)_ · used by GET /documents/{id} ×3",
        '',
        '## Potentially breaking (0)',
        '',
        '_None._',
        '',
        '## Non-breaking (2)',
        '',
        '### Document-wide',
        '',
        '- [security-changed] security (document-wide) — security changed from BearerAuth to ApiKeyAuth or BearerAuth: existing credentials keep working _(client sends)_',
        '',
        '### GET /users/me',
        '',
        '- [status-code-added] response 429 — response 429 added _(client receives)_',
        '',
        '## Notices (1)',
        '',
        '### GET /users/me',
        '',
        '- [operation-deprecated] GET /users/me — operation deprecated: plan to move off it _(client sends)_',
        '',
      ].join('\n'),
    );
  });

  it('is deterministic whatever the input order', () => {
    const reversed = { ...found, changes: [...found.changes].reverse() };
    expect(formatReport(reversed, opts)).toBe(formatReport(found, opts));
  });

  it('lists the problems of the documents before the changes', () => {
    const to = typed();
    json(to, '/users/me', 'get', '200').schema = ref('Nowhere');
    const report = formatReport(diffWithProblems(typed(), to), opts);
    expect(report).toContain(
      '## Problems in the documents (1 error, 0 warnings)\n\n' +
        '- **error** [ref-missing] new document: $ref #/components/schemas/Nowhere points to nothing — at #/paths/~1users~1me/get/responses/200/content/application~1json/schema',
    );
  });

  it('says so when nothing changed', () => {
    const report = formatReport({ changes: [], problems: [] }, opts);
    expect(report).toContain('No client-visible changes.');
    for (const level of ['Breaking', 'Potentially breaking', 'Non-breaking', 'Notices']) {
      expect(report).toContain(`## ${level} (0)\n\n_None._`);
    }
    expect(report).toContain('Suggested version bump: **patch**');
  });
});
