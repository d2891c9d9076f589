// The fault matrix: every operation × every fault a network or a server can produce, against a scripted loopback
// API (fault-matrix-script.ts) and a second loopback server standing for another origin. Each cell asserts the
// outcome, the exact number of requests each server saw, and that the token is nowhere: not in the error (String,
// JSON.stringify, util.inspect with hidden fields), not in a debug log line, not at the other origin.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inspect, isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  type HandwritingOCR,
  HandwritingOCRError,
  InternalServerError,
  NotReadyError,
  RateLimitError,
  type RequestOptions,
  UnexpectedResponseError,
  type WaitOptions,
  WaitTimeoutError,
} from '../../src/index.js';
import {
  CSV,
  DOC_ID,
  DOCX,
  FAULTS,
  type Fault,
  goodAnswer,
  LIST,
  PENDING,
  PENDING_RETRY_AFTER_S,
  TOPUP,
  TXT,
  UPLOADED,
  USER,
  XLSX,
} from './fault-matrix-script.js';
import { client, PDF, PROCESSED, type Seen, startServer, TOKEN } from './helpers.js';

/*
 * THE TABLE. Rows: faults (each is what the API answers to the first request a cell aims at; every other request
 * gets the well-behaved answer, except with the endless 202, which answers everything). Columns: operations.
 *
 *   me list get            users.me(), documents.list() (one page), documents.retrieve(id)
 *   txt csv json docx xlsx documents.download(id, format)
 *   strm                   documents.downloadStream(id, 'txt'), read to its end
 *   file                   documents.downloadToFile(id, 'docx', path)
 *   del                    documents.delete(id)
 *   upB upP upS            documents.upload() from bytes, from a path, from a Node stream
 *   topup                  credits.topup({ amount: 500 })
 *   wait                   documents.waitForProcessing(id)
 *   uaw                    documents.uploadAndWait(), the fault aimed at the upload
 *   uaw2                   documents.uploadAndWait(), the fault aimed at the first poll
 *
 * A cell is <outcome><requests at the API's origin>[+<requests at the other origin>] (no +n: none there).
 *   ok     resolves to the well-behaved result         empty  resolves to an empty transcript ('' / no bytes)
 *   pend   resolves to the pending document of a 202   ~X     resolves to a stream whose reading fails with X
 *   RL     RateLimitError, retryAfterMs from a valid Retry-After (seconds or HTTP date), else undefined
 *   API    APIError of the answer's status (a 3xx with its Location)     ISE  InternalServerError (5xx)
 *   Conn   APIConnectionError (not a timeout)          Tmo    APIConnectionTimeoutError
 *   Unx    UnexpectedResponseError                     NotR   NotReadyError          Wait   WaitTimeoutError
 *
 * The rules the cells follow (src/retry.ts, the README, the SDK's documented surface), with maxRetries 1:
 * - GET and DELETE are retried on 408, 429, 5xx, connection errors and timeouts: one fault, two requests.
 * - An upload is retried only on 429, and a stream upload (one-shot body) never; a top-up is never retried.
 * - A Retry-After over 60 s is not waited on: the 429 goes to the caller. A wait still waits it out (it treats
 *   429/5xx/connection failures of a poll as "still pending") until its deadline, then polls once more.
 * - An invalid Retry-After (negative, garbage) is ignored: backoff as without one, and retryAfterMs undefined.
 * - A body is read inside the attempt, so a body that breaks off is retried like any failed GET, except a
 *   stream already handed to the caller, which fails in the caller's hands. delete() never reads the body.
 * - Every 2xx JSON answer is checked for its shape; downloads refuse an HTML page, JSON instead of txt/csv/
 *   docx/xlsx, docx/xlsx that is not a zip, a 204. An empty txt/csv is an empty transcript. delete() resolves on
 *   any 2xx. A 2xx is never retried.
 * - GETs follow a redirect to another origin without Authorization; upload, delete and top-up never follow one.
 * - A 202 on a download is NotReadyError; on retrieve, a pending document; on an upload, an accepted upload.
 * - uploadAndWait: once the upload is accepted, every error carries its id and says it was uploaded.
 */
const TABLE = `
fault           me      list    get     txt     csv     json    docx    xlsx    strm    file    del     upB     upP     upS     topup   wait    uaw     uaw2
none            ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok1     ok2     ok2
429 seconds     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     RL1     RL1     ok2     ok3     ok3
429 date        ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     RL1     RL1     ok2     ok3     ok3
429 huge        RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     RL1     ok2     RL1     ok3
429 negative    ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     RL1     RL1     ok2     ok3     ok3
429 garbage     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     RL1     RL1     ok2     ok3     ok3
408             ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     API1    API1    API1    API1    ok2     API1    ok3
500             ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ISE1    ISE1    ISE1    ISE1    ok2     ISE1    ok3
502             ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ISE1    ISE1    ISE1    ISE1    ok2     ISE1    ok3
503             ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ISE1    ISE1    ISE1    ISE1    ok2     ISE1    ok3
504             ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ISE1    ISE1    ISE1    ISE1    ok2     ISE1    ok3
reset           ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     Conn1   Conn1   Conn1   Conn1   ok2     Conn1   ok3
reset mid-body  ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ~Conn1  ok2     ok1     Conn1   Conn1   Conn1   Conn1   ok2     Conn1   ok3
hang            ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     Tmo1    Tmo1    Tmo1    Tmo1    ok2     Tmo1    ok3
hang mid-body   ok2     ok2     ok2     ok2     ok2     ok2     ok2     ok2     ~Tmo1   ok2     ok1     Tmo1    Tmo1    Tmo1    Tmo1    ok2     Tmo1    ok3
truncated JSON  Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
malformed JSON  Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
HTML 200        Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
empty 200       Unx1    Unx1    Unx1    empty1  empty1  Unx1    Unx1    Unx1    empty1  Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
204             Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
null            Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
wrong shape     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    ok1     Unx1    Unx1    Unx1    Unx1    Unx1    Unx1    Unx2
301 elsewhere   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   API1    Conn1   Conn1   Conn1   API1    ok1+1   Conn1   ok2+1
302 elsewhere   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   API1    Conn1   Conn1   Conn1   API1    ok1+1   Conn1   ok2+1
307 elsewhere   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   ok1+1   API1    Conn1   Conn1   Conn1   API1    ok1+1   Conn1   ok2+1
endless 202     Unx1    Unx1    pend1   NotR1   NotR1   NotR1   NotR1   NotR1   NotR1   NotR1   ok1     ok1     ok1     ok1     Unx1    Wait2   Wait3   Wait3
`;
// One departure from the documented surface (a 3xx to a call with a side effect is an APIError), a deliberate one
// (src/client.ts, uploadRedirectMode): an upload answered with a 3xx is an APIConnectionError saying that a
// redirect was refused (and nothing reached the other origin), without the status. In Node an upload is sent with
// `redirect: 'error'`, and fetch then hides the status; with `'manual'`, fetch keeps a copy of the whole body for a
// possible re-send (measured on a 20 MB upload from a path, with gc every 10 ms: 20.5 MB of buffers held with
// 'manual', 0.8 MB with 'error').

/**
 * Per-attempt timeout of the calls in a hanging row (other rows use a generous one: nothing there may time out).
 * Short, but longer than a loopback request takes on a loaded machine (up to ~0.7 s measured on 2 shared cores,
 * when the row runs alone: the hanging rows run after the others, one at a time).
 */
const HANG_TIMEOUT_MS = 2_000;
/** A cell not settled by then is reported as `stuck` (no row takes half as long). */
const STUCK_MS = 15_000;
/** The waits' options: a deadline well past every retry in the table (a hang, or a Retry-After of 2 s + jitter). */
const WAIT = { timeoutMs: 6_000, pollIntervalMs: 50, maxPollIntervalMs: 50 } as const;

type Column = keyof typeof OPS;

/** A download stream, read to its end by the cell (a failure while reading is the `~X` of the table). */
class Streamed {
  constructor(readonly stream: ReadableStream<Uint8Array>) {}
}

interface Ctx {
  call: RequestOptions;
  wait: WaitOptions;
  /** Where `downloadToFile` writes (its directory must end up holding that file alone, or nothing). */
  file: string;
  pdfPath: string;
}

const upload = (file: unknown) =>
  ({ file, action: 'transcribe' }) as Parameters<HandwritingOCR['documents']['upload']>[0];

const OPS = {
  me: (c: HandwritingOCR, x: Ctx) => c.users.me(x.call),
  list: (c: HandwritingOCR, x: Ctx) => c.documents.list(undefined, x.call),
  get: (c: HandwritingOCR, x: Ctx) => c.documents.retrieve(DOC_ID, x.call),
  txt: (c: HandwritingOCR, x: Ctx) => c.documents.download(DOC_ID, 'txt', x.call),
  csv: (c: HandwritingOCR, x: Ctx) => c.documents.download(DOC_ID, 'csv', x.call),
  json: (c: HandwritingOCR, x: Ctx) => c.documents.download(DOC_ID, 'json', x.call),
  docx: (c: HandwritingOCR, x: Ctx) => c.documents.download(DOC_ID, 'docx', x.call),
  xlsx: (c: HandwritingOCR, x: Ctx) => c.documents.download(DOC_ID, 'xlsx', x.call),
  strm: async (c: HandwritingOCR, x: Ctx) =>
    new Streamed(await c.documents.downloadStream(DOC_ID, 'txt', x.call)),
  file: async (c: HandwritingOCR, x: Ctx) => {
    await c.documents.downloadToFile(DOC_ID, 'docx', x.file, x.call);
    return new Uint8Array(await readFile(x.file));
  },
  del: (c: HandwritingOCR, x: Ctx) => c.documents.delete(DOC_ID, x.call),
  upB: (c: HandwritingOCR, x: Ctx) => c.documents.upload(upload(new Uint8Array(PDF)), x.call),
  upP: (c: HandwritingOCR, x: Ctx) => c.documents.upload(upload(x.pdfPath), x.call),
  upS: (c: HandwritingOCR, x: Ctx) => c.documents.upload(upload(Readable.from([PDF])), x.call),
  topup: (c: HandwritingOCR, x: Ctx) => c.credits.topup({ amount: 500 }, x.call),
  wait: (c: HandwritingOCR, x: Ctx) => c.documents.waitForProcessing(DOC_ID, x.wait),
  uaw: (c: HandwritingOCR, x: Ctx) => c.documents.uploadAndWait(upload(new Uint8Array(PDF)), x.wait),
  uaw2: (c: HandwritingOCR, x: Ctx) => c.documents.uploadAndWait(upload(new Uint8Array(PDF)), x.wait),
} satisfies Record<string, (c: HandwritingOCR, x: Ctx) => Promise<unknown>>;

/** Which request of a cell (0-based, at the API's origin) the fault answers: uaw2 aims past the upload. */
const AIM: Partial<Record<Column, number>> = { uaw2: 1 };

/** What `ok`, `empty` and `pend` resolve to, per column. */
const OK: Record<Column, unknown> = {
  me: USER,
  list: LIST,
  get: PROCESSED,
  txt: TXT,
  csv: CSV,
  json: PROCESSED,
  docx: new Uint8Array(DOCX),
  xlsx: new Uint8Array(XLSX),
  strm: TXT,
  file: new Uint8Array(DOCX),
  del: undefined,
  upB: UPLOADED,
  upP: UPLOADED,
  upS: UPLOADED,
  topup: TOPUP,
  wait: PROCESSED,
  uaw: PROCESSED,
  uaw2: PROCESSED,
};
const EMPTY: Partial<Record<Column, unknown>> = { txt: '', csv: '', strm: '' };
const PEND: Partial<Record<Column, unknown>> = { get: PENDING };
/** Where an UnexpectedResponseError answers the upload itself (in uaw2 it answers a poll, after the upload). */
const UPLOADS = new Set<Column>(['upB', 'upP', 'upS', 'uaw']);

const COLUMNS = Object.keys(OPS) as Column[];
const EXPECTED = parseTable(TABLE);

/** Six-character pieces of the token (those with a letter: digits alone could match by chance). */
const FRAGMENTS = [...Array(TOKEN.length - 5).keys()]
  .map((i) => TOKEN.slice(i, i + 6))
  .filter((piece) => /[^0-9]/.test(piece));

function leaked(text: string): string | undefined {
  return FRAGMENTS.find((piece) => text.includes(piece));
}

const [NONE, ...FAULTY] = FAULTS as [Fault, ...Fault[]];
let tmp: string;
let pdfPath: string;
let baseline: Cell[];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hwocr-faults-'));
  pdfPath = join(tmp, 'letter.pdf');
  await writeFile(pdfPath, PDF);
  // The baseline row first, alone: it also warms the worker up (fetch's first use, the lazily loaded modules), which
  // takes longer than a hanging row's per-attempt timeout on a loaded machine.
  baseline = await runRow(NONE);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('the fault matrix', () => {
  it('has a row per fault and a column per operation', ({ expect }) => {
    expect([...EXPECTED.keys()]).toEqual(FAULTS.map((f) => f.name));
    for (const row of EXPECTED.values()) expect(Object.keys(row)).toEqual(COLUMNS);
  });

  it(NONE.name, ({ expect }) => {
    expect(Object.fromEntries(baseline.map((c) => [c.column, c.code]))).toEqual(EXPECTED.get(NONE.name));
    expect(baseline.flatMap((c) => c.problems)).toEqual([]);
  });

  const row = (fault: Fault) =>
    it(fault.name, async ({ expect }) => {
      const cells = await runRow(fault);
      expect(Object.fromEntries(cells.map((c) => [c.column, c.code]))).toEqual(EXPECTED.get(fault.name));
      expect(cells.flatMap((c) => c.problems)).toEqual([]);
    });
  // Five rows at a time (vitest's maxConcurrency); then the rows whose calls time out, alone, so that the other
  // rows' traffic cannot delay a request past the short timeout.
  describe.concurrent('operation × fault', () => {
    for (const fault of FAULTY.filter((f) => !f.hangs)) row(fault);
  });
  describe('operation × fault, hanging', () => {
    for (const fault of FAULTY.filter((f) => f.hangs)) row(fault);
  });
});

interface Cell {
  column: Column;
  /** The outcome in the table's notation. */
  code: string;
  /** What else went wrong (a leak, a wrong field, a file left behind). */
  problems: string[];
}

type Outcome = { value: unknown } | { error: unknown; whileReading?: boolean } | { stuck: true };

/** One row: the API's origin and another one, every operation against them at once. */
async function runRow(fault: Fault): Promise<Cell[]> {
  const seen = new Map<string, number>();
  const other = await startServer((req, res) => {
    const [, path] = split(req.url);
    respond(res, goodAnswer(req.method, path));
  });
  const otherOrigin = new URL(other.url).origin;
  const api = await startServer((req, res, raw) => {
    const [column, path] = split(req.url);
    const n = seen.get(column) ?? 0;
    seen.set(column, n + 1);
    const good = goodAnswer(req.method, path);
    if (!fault.persistent && n !== (AIM[column as Column] ?? 0)) return respond(res, good);
    fault.answer({
      res,
      raw,
      good,
      auth: String(req.headers.authorization ?? ''),
      elsewhere: `${otherOrigin}${req.url}`,
    });
  });
  const origin = new URL(api.url).origin;
  const dir = await mkdtemp(join(tmp, 'row-'));
  try {
    return await Promise.all(
      COLUMNS.map(async (column) => {
        const file = join(dir, column, 'out.docx');
        if (column === 'file') await mkdir(join(dir, column));
        const lines: unknown[][] = [];
        const log = (...args: unknown[]) => void lines.push(args);
        const c = client(`${origin}/${column}/v3`, {
          logger: { debug: log, info: log, warn: log, error: log },
          logLevel: 'debug',
        });
        const call = { maxRetries: 1, timeoutMs: fault.hangs ? HANG_TIMEOUT_MS : 10_000 };
        const outcome = await settle(
          () =>
            OPS[column](c, {
              call,
              wait: { ...WAIT, maxRetries: 1, requestTimeoutMs: call.timeoutMs },
              file,
              pdfPath,
            }),
          STUCK_MS,
        );
        const mine = (r: Seen) => r.url.startsWith(`/${column}/`);
        const atApi = api.requests.filter(mine);
        const atOther = other.requests.filter(mine);
        const cell: Cell = {
          column,
          code: codeOf(column, outcome, atApi.length, atOther.length),
          problems: [],
        };
        const problem = (text: string) => cell.problems.push(`${fault.name} × ${column}: ${text}`);
        if ('error' in outcome)
          checkError(fault, column, outcome.error, `${otherOrigin}/${column}/v3/`, problem);
        if (
          atApi.length > 0 &&
          !lines.some((line) => /^\[handwriting-ocr\] (GET|POST|DELETE) /.test(String(line[0])))
        ) {
          problem('no debug line was logged'); // else the check below proves nothing
        }
        for (const line of lines) {
          const piece = leaked(inspect(line, { depth: Number.POSITIVE_INFINITY }));
          if (piece) problem(`a log line holds "${piece}": ${inspect(line)}`);
        }
        for (const r of atApi) {
          if (r.headers.authorization !== `Bearer ${TOKEN}`) problem('a request to the API lacked the token');
        }
        for (const r of atOther) {
          const piece = leaked(`${r.url} ${JSON.stringify(r.headers)} ${r.body.toString('latin1')}`);
          if (r.headers.authorization !== undefined || piece) problem('credentials reached the other origin');
          if (r.method !== 'GET') problem(`a ${r.method} followed a redirect`);
        }
        if (column === 'file') {
          const left = await readdir(join(dir, column));
          const want = 'value' in outcome ? ['out.docx'] : [];
          if (!isDeepStrictEqual(left, want)) problem(`the directory holds ${JSON.stringify(left)}`);
        }
        return cell;
      }),
    );
  } finally {
    await Promise.all([api.close(), other.close()]);
  }
}

/** The call's outcome (a stream read to its end), or `stuck` when it has not settled after `ms`. */
async function settle(run: () => Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ stuck: true }), ms);
  });
  try {
    return await Promise.race([outcomeOf(run), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  let value: unknown;
  try {
    value = await run();
  } catch (error) {
    return { error };
  }
  if (!(value instanceof Streamed)) return { value };
  try {
    const chunks: Uint8Array[] = [];
    for (const reader = value.stream.getReader(); ; ) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      chunks.push(chunk);
    }
    return { value: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    return { error, whileReading: true };
  }
}

function codeOf(column: Column, outcome: Outcome, atApi: number, atOther: number): string {
  let name: string;
  if ('stuck' in outcome) {
    name = 'stuck';
  } else if ('value' in outcome) {
    const { value } = outcome;
    if (isDeepStrictEqual(value, OK[column])) name = 'ok';
    else if (column in EMPTY && isDeepStrictEqual(value, EMPTY[column])) name = 'empty';
    else if (column in PEND && isDeepStrictEqual(value, PEND[column])) name = 'pend';
    else name = `value(${inspect(value, { breakLength: Number.POSITIVE_INFINITY })})`;
  } else {
    name = `${outcome.whileReading ? '~' : ''}${errorCode(outcome.error)}`;
  }
  return `${name}${atApi}${atOther ? `+${atOther}` : ''}`;
}

function errorCode(error: unknown): string {
  if (error instanceof NotReadyError) return 'NotR';
  if (error instanceof WaitTimeoutError) return 'Wait';
  if (error instanceof UnexpectedResponseError) return 'Unx';
  if (error instanceof RateLimitError) return 'RL';
  if (error instanceof InternalServerError) return 'ISE';
  if (error instanceof APIError)
    return Object.getPrototypeOf(error) === APIError.prototype ? 'API' : error.name;
  if (error instanceof APIConnectionTimeoutError) return 'Tmo';
  if (error instanceof APIConnectionError) return 'Conn';
  return `${(error as Error)?.name}(${(error as Error)?.message})`;
}

/** What the table's letters do not say: the error's fields, its message where a rule fixes it, and leaks. */
function checkError(
  fault: Fault,
  column: Column,
  error: unknown,
  elsewhere: string,
  problem: (text: string) => void,
): void {
  if (!(error instanceof HandwritingOCRError)) return; // the code already shows it
  for (const [how, text] of [
    ['String', () => String(error)],
    ['JSON.stringify', () => JSON.stringify(error)],
    ['util.inspect', () => inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })],
  ] as const) {
    const piece = leaked(text());
    if (piece) problem(`${how}(error) holds "${piece}"`);
  }
  if (error instanceof RateLimitError && !fault.retryAfter?.(error.retryAfterMs)) {
    problem(`retryAfterMs is ${error.retryAfterMs}`);
  }
  if (
    (error instanceof APIError || error instanceof UnexpectedResponseError) &&
    error.status !== fault.status
  ) {
    problem(`status ${error.status}, not ${fault.status}`);
  }
  if (fault.status && fault.status >= 300 && fault.status < 400 && error instanceof APIConnectionError) {
    if (!/redirect/.test(error.message)) problem(`the refused redirect is not named: ${error.message}`);
  }
  if (error instanceof APIError && error.status >= 300 && error.status < 400) {
    if (!error.headers.get('location')?.startsWith(elsewhere)) problem('the 3xx lost its Location');
  }
  if (
    error instanceof UnexpectedResponseError &&
    UPLOADS.has(column) &&
    !/may have been accepted/.test(error.message)
  ) {
    problem(`the message does not say the upload may have been accepted: ${error.message}`);
  }
  if (
    error instanceof UnexpectedResponseError &&
    column === 'topup' &&
    !/may have gone through/.test(error.message)
  ) {
    problem(`the message does not say the purchase may have gone through: ${error.message}`);
  }
  if (
    error instanceof NotReadyError &&
    (error.id !== DOC_ID || error.retryAfterMs !== PENDING_RETRY_AFTER_S * 1000)
  ) {
    problem(`NotReadyError ${error.id} ${error.retryAfterMs}`);
  }
  if (error instanceof WaitTimeoutError && error.id !== DOC_ID) problem(`WaitTimeoutError for ${error.id}`);
  if (column === 'uaw' || column === 'uaw2') {
    // The upload was accepted when the fault hit a poll, or when it is a 202 (an accepted upload, then pending).
    const accepted = column === 'uaw2' || fault.persistent === true;
    if (accepted && (error.id !== DOC_ID || !error.message.includes(`Document ${DOC_ID} was uploaded`))) {
      problem(`after the upload, the error does not name the document: ${error.message}`);
    }
    if (!accepted && error.id !== undefined) problem(`the failed upload's error names ${error.id}`);
  }
}

/** `/<column>/v3<path>` → [column, path]. */
function split(url: string): [string, string] {
  const match = /^\/(\w+)\/v3(\/.*)$/.exec(url);
  return match ? [match[1] as string, match[2] as string] : ['', url];
}

function respond(res: import('node:http').ServerResponse, a: ReturnType<typeof goodAnswer>): void {
  res.writeHead(a.status, { ...a.headers, 'content-length': a.body.length });
  res.end(a.body);
}

function parseTable(text: string): Map<string, Record<string, string>> {
  // A row is its label, two spaces or more, then cells separated by spaces (labels have single spaces only).
  const cut = (line: string) => {
    const [label = '', cells = ''] = line.split(/\s{2,}(.*)/);
    return [label, cells.trim().split(/\s+/)] as const;
  };
  const [head = '', ...rows] = text.trim().split('\n');
  const [, columns] = cut(head);
  return new Map(
    rows.map((row) => {
      const [fault, cells] = cut(row);
      return [fault, Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']))];
    }),
  );
}
