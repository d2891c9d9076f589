// Arbitraries for the property-based suite (properties.test.ts): hostile values of every type, and for each public
// parameter a mix of valid values (so the success path runs too) and hostile ones. Every exotic value carries a
// fast-check printer, so a counterexample is reported readably instead of tripping the reporter.
import { Readable } from 'node:stream';
import fc from 'fast-check';

/**
 * Seed and number of runs. CI uses the fixed default seed; for a longer hunt run e.g.
 * `FC_SEED=$RANDOM FC_RUNS=2000 npx vitest run test/client/properties.test.ts` (a failure prints its seed and path).
 */
export const FC_PARAMS = {
  seed: envInt('FC_SEED', 20_261_201),
  numRuns: envInt('FC_RUNS', 50),
};

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer; got ${JSON.stringify(raw)}.`);
  return value;
}

/** Attaches a printer for fast-check's reports (a non-enumerable symbol: the SDK never sees it). */
function labelled<T extends object>(value: T, text: string): T {
  return Object.defineProperty(value, fc.toStringMethod, { value: () => text });
}

/** A value made anew for every run (a stream can be read once): fast-check clones it through `cloneMethod`. */
function fresh<T extends object>(name: string, make: () => T): fc.Arbitrary<T> {
  const build = (): T => Object.defineProperty(labelled(make(), name), fc.cloneMethod, { value: build });
  return fc.constant(null).map(build);
}

// Pieces that break paths, queries, headers and parsers.
const PIECES = [
  '',
  '/',
  '.',
  '..',
  '../..',
  '%',
  '%2e%2e',
  '%2F',
  '?',
  '#',
  '\r\n',
  '\0',
  ' ',
  '\t',
  'é',
  '日本',
  '😀',
  '\ud800',
  '\u202e',
  'abc',
  'A1b2C3d4E5',
  '__proto__',
  'constructor',
  'https://evil.test/x',
  '//evil.test',
  '\\',
  '&',
  '=',
  'page=2',
  'per_page',
  '@',
  'users/me',
];

/** Strings with `/ . .. % ? # \r\n`, unicode (lone surrogates too), and their concatenations. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PIECES),
  fc.array(fc.constantFrom(...PIECES), { minLength: 2, maxLength: 5 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);

/** Numbers at every edge: huge, negative, fractional, NaN, Infinity, `1e21`, just past the safe range. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    99,
    100,
    150,
    200,
    201,
    299,
    300,
    1_209_600,
    1_209_601,
    2 ** 31,
    2 ** 53,
    1e21,
    -1e21,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 1,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
  ),
  fc.double(),
  fc.integer(),
);

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'then', 'valueOf'),
  hostileString,
);

/** An object with an enumerable getter that throws, for one of `keys`. */
export function throwingGetter(keys: readonly string[]): fc.Arbitrary<object> {
  return fc.constantFrom(...keys).map((key) => {
    const value = Object.defineProperty({}, key, {
      enumerable: true,
      get() {
        throw new Error(`the getter of ${key} throws`);
      },
    });
    return labelled(value, `{ get ${key}() { throw } }`);
  });
}

/**
 * A Proxy whose every trap throws (`instanceof`, `Object.keys`, any property read), except the reads fast-check
 * itself makes to print and clone it.
 */
export function throwingProxy(): object {
  const fail = (): never => {
    throw new Error('a proxy trap throws');
  };
  return new Proxy(
    {},
    {
      get: (_target, key) => (key === fc.toStringMethod ? () => 'a Proxy whose traps throw' : fail()),
      has: (_target, key) => (typeof key === 'symbol' ? key === fc.toStringMethod : fail()),
      ownKeys: fail,
      getOwnPropertyDescriptor: fail,
      getPrototypeOf: fail,
      setPrototypeOf: fail,
      set: fail,
      defineProperty: fail,
      deleteProperty: fail,
      isExtensible: fail,
      preventExtensions: fail,
    },
  );
}

/** Objects built to pollute prototypes: `__proto__` and `constructor.prototype` as own keys, as JSON.parse makes them. */
const pollutingObject = fc
  .constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"__proto__":{"polluted":"yes"},"page":1,"per_page":5,"amount":100}',
  )
  .map((text) => labelled(JSON.parse(text) as object, `JSON.parse(${JSON.stringify(text)})`));

/** Any value of any type, favouring the hostile ones. */
export const hostile: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    hostileString,
    hostileNumber,
    fc.bigInt(),
    fc.constantFrom(Symbol('s'), Symbol.iterator, Symbol.for('x'), true, false, null, undefined),
    fc.constantFrom(
      () => undefined,
      async () => undefined,
      function named() {
        return 1;
      },
    ),
    fc.anything({
      maxDepth: 2,
      maxKeys: 4,
      key: hostileKey,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      stringUnit: 'binary',
    }),
    fc
      .dictionary(hostileKey, tie('value'), { maxKeys: 3 })
      .map((entries) => Object.assign(Object.create(null) as object, entries)),
    fc.array(tie('value'), { maxLength: 3 }),
    pollutingObject,
    throwingGetter(['a', '__proto__', 'then']),
    fc.constant(null).map(throwingProxy),
  ),
})).value;

/** A valid value most of the time, a hostile one otherwise. */
export function mostly<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: hostile, weight: 1 });
}

/** `value` now and then, else `null`. */
function sometimes<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, { arbitrary: value, weight: 1 });
}

/**
 * An options object: each key absent or present (mostly valid), sometimes an unknown key, sometimes a throwing
 * getter for a known key, sometimes with a null prototype; or, now and then, a hostile value instead of an object.
 */
export function optionsObject(
  fields: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[] = [],
): fc.Arbitrary<unknown> {
  const keys = Object.keys(fields);
  const model = Object.fromEntries(keys.map((key) => [key, mostly(fields[key] as fc.Arbitrary<unknown>)]));
  // Keys a call needs are there most of the time (else nearly every call would be refused), absent sometimes.
  const record = fc.oneof(
    { arbitrary: fc.record(model, { requiredKeys: [...required] }), weight: 8 },
    { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 },
  );
  const built = fc
    .tuple(
      record,
      sometimes(fc.tuple(hostileKey, hostile)),
      sometimes(fc.constantFrom(...keys)),
      fc.boolean(),
    )
    .map(([entries, extra, throwing, nullProto]) => {
      const out: Record<string, unknown> = nullProto ? Object.create(null) : {};
      for (const [key, value] of Object.entries(entries)) out[key] = value;
      // defineProperty: an own `__proto__` key, as JSON.parse makes it, never the prototype setter.
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true });
      if (typeof throwing === 'string') {
        Object.defineProperty(out, throwing, {
          enumerable: true,
          get() {
            throw new Error(`the getter of ${throwing} throws`);
          },
        });
        labelled(out, `{ ...${fc.stringify(entries)}, get ${throwing}() { throw } }`);
      }
      return out;
    });
  return fc.oneof(
    { arbitrary: built, weight: 12 },
    { arbitrary: hostile, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

// ---- Valid values, per parameter ------------------------------------------------------------------------------

export const ACTIONS = ['transcribe', 'tables', 'extractor'] as const;
export const FORMATS = ['txt', 'docx', 'xlsx', 'csv', 'json'] as const;

export const validId = fc.stringMatching(/^[A-Za-z0-9]{1,24}$/);
export const validAction = fc.constantFrom(...ACTIONS);
export const validFormat = fc.constantFrom(...FORMATS);

/** An id, or a document naming its action (as `list()` and `retrieve()` return them). */
export const documentArg = fc.oneof(
  mostly(validId),
  mostly(fc.record({ id: validId, action: validAction })),
  fc.record({ id: mostly(validId), action: mostly(validAction), status: fc.constant('processed') }),
);

export const formatArg = mostly(validFormat);

export const listParams = optionsObject({
  page: fc.integer({ min: 1, max: 1_000_000 }),
  per_page: fc.integer({ min: 1, max: 200 }),
});

export const topupParams = fc.oneof(
  {
    arbitrary: optionsObject({ amount: fc.integer({ min: 1, max: 100_000 }).map((n) => n * 100) }, [
      'amount',
    ]),
    weight: 4,
  },
  { arbitrary: hostileNumber.map((amount) => ({ amount })), weight: 1 },
);

// RFC 9110 header names, and values of visible Latin-1, spaces and tabs.
const headerName = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,16}$/);
const headerValue = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
    .map((c) => String.fromCharCode(c)),
  maxLength: 16,
});
const headerRecord = fc.dictionary(headerName, headerValue, { maxKeys: 3 });
export const validHeaders = fc.oneof(
  headerRecord,
  headerRecord.map((record) => labelled(new Headers(record), `new Headers(${JSON.stringify(record)})`)),
);

/** Header records: valid most of the time, else with hostile names or values (CR/LF, unicode, non-strings). */
export const headersArg = fc.oneof(
  { arbitrary: validHeaders, weight: 4 },
  {
    arbitrary: fc.dictionary(fc.oneof(headerName, hostileKey), fc.oneof(headerValue, hostile), {
      minKeys: 1,
      maxKeys: 3,
    }),
    weight: 1,
  },
);

/** A live signal (never aborted: an abort is not bad input), or an object shaped like one. */
const validSignal = fc.oneof(
  fresh('new AbortController().signal', () => new AbortController().signal),
  fresh('{ aborted: false, addEventListener, removeEventListener }', () => ({
    aborted: false,
    addEventListener: () => {},
    removeEventListener: () => {},
  })),
);

/**
 * The signal option: valid, hostile, or shaped like a signal with a throwing getter or non-function methods.
 */
export const signalArg = fc.oneof(
  { arbitrary: validSignal, weight: 6 },
  { arbitrary: hostile, weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('aborted', 'addEventListener', 'removeEventListener'), hostile)
      // `aborted: true` is a signal that has aborted, not bad input.
      .filter(([broken, value]) => !(broken === 'aborted' && value === true))
      .map(([broken, value]) => {
        const signal: Record<string, unknown> = {
          aborted: false,
          addEventListener: () => {},
          removeEventListener: () => {},
        };
        Object.defineProperty(signal, broken, { value, enumerable: true });
        return signal;
      }),
    weight: 1,
  },
  { arbitrary: throwingGetter(['aborted', 'addEventListener', 'removeEventListener']), weight: 1 },
);

/** Per-call timeouts the caller may give: long enough never to fire against an in-memory server. */
const validTimeoutMs = fc.oneof(
  fc.integer({ min: 60_000, max: 2 ** 40 }),
  fc.constant(Number.POSITIVE_INFINITY),
);

/** The last argument of every method: `{ signal, timeoutMs, maxRetries, headers }`. */
export const requestOptions = optionsObject({
  signal: signalArg,
  timeoutMs: validTimeoutMs,
  maxRetries: fc.integer({ min: 0, max: 10 }),
  headers: headersArg,
});

/** Options of `waitForProcessing` and `uploadAndWait`. */
export const waitOptions = optionsObject({
  signal: signalArg,
  maxRetries: fc.integer({ min: 0, max: 10 }),
  headers: headersArg,
  timeoutMs: fc.integer({ min: 1, max: 2 ** 40 }),
  pollIntervalMs: fc.integer({ min: 1, max: 10 ** 7 }),
  maxPollIntervalMs: fc.integer({ min: 1, max: 10 ** 8 }),
  requestTimeoutMs: validTimeoutMs,
  onStatus: fc.func(fc.anything()),
  onUploaded: fc.func(fc.anything()),
});

/** The smallest valid PDF the client's type check accepts. */
export const PDF_BYTES = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

/** Async iterables that are not what they seem: non-byte chunks, a broken iterator, throwing getters. */
const strangeIterable = fc.oneof(
  fresh('an async iterable of numbers', () => ({
    async *[Symbol.asyncIterator]() {
      yield 42;
    },
  })),
  fresh('an async iterable whose iterator is 42', () => ({ [Symbol.asyncIterator]: () => 42 })),
  fresh('an async iterable whose next() returns 42', () => ({
    [Symbol.asyncIterator]: () => ({ next: () => 42 }),
  })),
  fresh('a Readable-like whose path getter throws', () =>
    Object.defineProperty(Readable.from([PDF_BYTES]), 'path', {
      get() {
        throw new Error('the getter of path throws');
      },
    }),
  ),
  fresh('a web stream of strings and numbers', () =>
    new Blob(['%PDF-1.7']).stream().pipeThrough(oddChunks()),
  ),
);

function oddChunks(): TransformStream<Uint8Array, unknown> {
  return new TransformStream({
    transform(_chunk, controller) {
      controller.enqueue('%PDF-1.7\n');
      controller.enqueue(7);
    },
  });
}

/** `file`: every input kind the SDK takes (each made anew per run), paths, and hostile values. */
export function fileArg(pdfPath: string, directory: string): fc.Arbitrary<unknown> {
  const valid = fc.oneof(
    fresh('PDF bytes', () => PDF_BYTES.slice()),
    fresh('PDF ArrayBuffer', () => PDF_BYTES.slice().buffer),
    fresh('PDF Buffer', () => Buffer.from(PDF_BYTES)),
    fresh('PDF Blob', () => new Blob([PDF_BYTES])),
    fresh('PDF File', () => new File([PDF_BYTES], 'scan.pdf')),
    fresh('PDF web stream', () => new Blob([PDF_BYTES]).stream()),
    fresh('PDF Node Readable', () => Readable.from([Buffer.from(PDF_BYTES)])),
    fc.constant(pdfPath),
  );
  return fc.oneof(
    { arbitrary: valid, weight: 12 },
    { arbitrary: hostile, weight: 1 },
    { arbitrary: strangeIterable, weight: 1 },
    { arbitrary: fc.constantFrom(directory, `${directory}/missing.pdf`, `${pdfPath}\0`), weight: 1 },
  );
}

/** `documents.upload()` params. */
export function uploadParams(pdfPath: string, directory: string): fc.Arbitrary<unknown> {
  return optionsObject(
    {
      file: fileArg(pdfPath, directory),
      action: validAction,
      fileName: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
      delete_after: fc.integer({ min: 300, max: 1_209_600 }),
      extractor_id: fc.stringMatching(/^[A-Za-z0-9]{10}$/),
      webhook_url: fc.webUrl(),
      prompt_id: fc.stringMatching(/^[\x21-\x7e]{1,20}$/),
    },
    ['file', 'action'],
  );
}

/** A logger that keeps its lines (in a non-enumerable field: the client reads only the four methods). */
export interface RecordingLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  readonly lines: unknown[][];
}

export function recordingLogger(): RecordingLogger {
  const lines: unknown[][] = [];
  const log = (...args: unknown[]) => {
    lines.push(args);
  };
  return Object.defineProperty({ debug: log, info: log, warn: log, error: log }, 'lines', {
    value: lines,
  }) as RecordingLogger;
}

export const loggerArg = fresh('a recording logger', recordingLogger);

/** Base URLs: https anywhere, http on loopback, each in several spellings; and ones that must be refused. */
export const baseUrlArg = fc.oneof(
  fc.constantFrom(
    'https://api.example.test/v3',
    'https://api.example.test/v3/',
    'https://api.example.test',
    'https://API.Example.test:8443/a/b/',
    ' https://api.example.test/v3 ',
    'https://api.example.test/v3/./x/..',
    'https://api.example.test/a%20b/',
    'http://localhost:8080/v3',
    'http://127.0.0.1/v3',
    'http://127.1/x',
    'http://[::1]:3000',
  ),
  fc.webUrl({ validSchemes: ['https'] }),
  fc.constantFrom(
    'http://api.example.test/v3',
    'http://127.0.0.1.evil.test/',
    'http://localhost.evil.test/',
    'ftp://api.example.test/v3',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://user:pass@api.example.test/v3',
    'https://:pass@api.example.test/v3',
    'https://api.example.test/v3?x=1',
    'https://api.example.test/v3#f',
    'https://',
    'https://[::1',
    '//api.example.test/v3',
    '/v3',
  ),
  hostileString,
);
