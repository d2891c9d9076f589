// The scripted API behind the fault matrix (fault-matrix.test.ts): what a well-behaved API answers each request,
// and each fault, as a function that answers one request instead. Every faulty answer echoes the request's
// Authorization back (in a header, and in the body where there is one), as a hostile server or proxy might, so
// that the matrix can prove the token never comes back out of the SDK.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PROCESSED, TOKEN } from './helpers.js';

// A real garbage collection, as a busy process has at any moment: Node's fetch loses the link from an abort to a
// body still being read once the Request that started it is collected (nodejs/undici#4068).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export const DOC_ID = 'abcde12345';
export const USER = { id: 'u1', name: 'Ada', email: 'ada@example.com', balance: 10, token: TOKEN };
export const LIST = {
  documents: [{ id: DOC_ID, file_name: 'letter.pdf', action: 'transcribe', status: 'processed' }],
  current_page: 1,
  last_page: 1,
  per_page: 20,
  total: 1,
};
export const UPLOADED = { id: DOC_ID, status: 'queued' };
export const TOPUP = { success: true, credits_purchased: 500, new_balance: 510 };
export const TXT = 'Dear Ada,\nthank you for your letter of the 3rd.\n';
export const CSV = 'name,amount\nAda,100\nCharles,200\n';
/** Zip archives as far as a client can tell (docx and xlsx are zips: "PK\x03\x04"). */
export const DOCX = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60, 0x11)]);
export const XLSX = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60, 0x22)]);
/** What a 202 (still processing) says; also a usable answer to an upload. */
export const PENDING = { id: DOC_ID, status: 'queued' };
/** The Retry-After of the endless 202: longer than the matrix's wait deadline, so polls are few and countable. */
export const PENDING_RETRY_AFTER_S = 8;

/** One HTTP answer. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function answer(status: number, type: string | undefined, body: string | Buffer, extra = {}): Answer {
  return {
    status,
    headers: { ...(type ? { 'content-type': type } : {}), ...extra },
    body: Buffer.from(body),
  };
}

const json = (status: number, value: unknown, extra = {}) =>
  answer(status, 'application/json', JSON.stringify(value), extra);

const FILES: Record<string, Answer> = {
  txt: answer(200, 'text/plain; charset=utf-8', TXT),
  csv: answer(200, 'text/csv', CSV),
  json: json(200, PROCESSED),
  docx: answer(200, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', DOCX),
  xlsx: answer(200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', XLSX),
};

/** What the API answers when all is well; `path` is below the base URL (e.g. `/users/me`). */
export function goodAnswer(method: string, path: string): Answer {
  if (method === 'POST' && path === '/documents') return json(201, UPLOADED);
  if (method === 'POST' && path === '/credits/topup') return json(200, TOPUP);
  if (method === 'DELETE') return answer(204, undefined, '');
  if (path === '/users/me') return json(200, USER);
  if (path === '/documents' || path.startsWith('/documents?')) return json(200, LIST);
  const format = /^\/documents\/\w+\.(\w+)$/.exec(path)?.[1];
  return (format && FILES[format]) || json(200, PROCESSED);
}

/** The request a fault answers. */
export interface Exchange {
  res: ServerResponse;
  raw: IncomingMessage;
  /** What a well-behaved API would have answered. */
  good: Answer;
  /** The request's Authorization header, echoed back. */
  auth: string;
  /** The same path on the other origin (for redirects). */
  elsewhere: string;
}

/** A fault of the matrix: a row of its table. */
export interface Fault {
  /** Also the row's label in the table. */
  name: string;
  answer(x: Exchange): void;
  /** Every request of a cell gets it; otherwise only the one the cell aims at, and the others the good answer. */
  persistent?: boolean;
  /** The server does not finish answering: the cell's calls use a short per-attempt timeout. */
  hangs?: boolean;
  /** The HTTP status the SDK's error must carry (an APIError's, or an UnexpectedResponseError's 2xx). */
  status?: number;
  /** For a 429: whether a RateLimitError's `retryAfterMs` is what the header says (ignored when invalid). */
  retryAfter?: (ms: number | undefined) => boolean;
}

function send(x: Exchange, a: Answer): void {
  x.res.writeHead(a.status, { ...a.headers, 'content-length': a.body.length, 'x-echo': x.auth });
  x.res.end(a.body);
}

/** An error status with a JSON body that echoes the token, as a proxy dumping the request might. */
function failing(status: number, headers: Record<string, string> = {}): Fault['answer'] {
  return (x) => send(x, json(status, { message: `Failed with ${status}.`, echo: x.auth }, headers));
}

function rateLimited(name: string, retryAfter: () => string, check: Fault['retryAfter']): Fault {
  return {
    name,
    status: 429,
    retryAfter: check,
    answer: (x) => failing(429, { 'retry-after': retryAfter() })(x),
  };
}

/** The good answer's head, then the first half of its body (a DELETE's 204 has none: a JSON one stands in). */
function halfBody(x: Exchange, then: () => void): void {
  const a = x.good.body.length > 0 ? x.good : json(200, { message: 'Deleted.' });
  x.res.writeHead(a.status, { ...a.headers, 'content-length': a.body.length, 'x-echo': x.auth });
  x.res.write(a.body.subarray(0, Math.ceil(a.body.length / 2)), then);
}

/** A 2xx answer with this body and type. */
function ok(status: number, type: string | undefined, body: (auth: string) => string): Fault['answer'] {
  return (x) => send(x, answer(status, type, body(x.auth)));
}

const echoed = (auth: string) => JSON.stringify({ echo: auth, ...PROCESSED });

function redirect(status: number): Fault {
  return {
    name: `${status} elsewhere`,
    status,
    answer: (x) => send(x, answer(status, undefined, '', { location: x.elsewhere })),
  };
}

/** The rows of the matrix, in the order of its table. */
export const FAULTS: Fault[] = [
  // The baseline: every request answered well.
  { name: 'none', answer: (x) => send(x, x.good) },
  rateLimited(
    '429 seconds',
    () => '1',
    (ms) => ms === 1_000,
  ),
  // A date has a resolution of one second: two seconds ahead is between one and two seconds away.
  rateLimited(
    '429 date',
    () => new Date(Date.now() + 2_000).toUTCString(),
    (ms) => ms !== undefined && ms > 0 && ms <= 2_000,
  ),
  rateLimited(
    '429 huge',
    () => '120',
    (ms) => ms === 120_000,
  ),
  rateLimited(
    '429 negative',
    () => '-5',
    (ms) => ms === undefined,
  ),
  // A decimal comma: not a number of seconds, and not an HTTP date (V8's Date.parse reads it as a day of 2001).
  rateLimited(
    '429 garbage',
    () => '3,5',
    (ms) => ms === undefined,
  ),
  { name: '408', status: 408, answer: failing(408) },
  { name: '500', status: 500, answer: failing(500) },
  { name: '502', status: 502, answer: failing(502) },
  { name: '503', status: 503, answer: failing(503) },
  { name: '504', status: 504, answer: failing(504) },
  { name: 'reset', answer: (x) => x.raw.socket.destroy() },
  { name: 'reset mid-body', answer: (x) => halfBody(x, () => x.raw.socket.destroy()) },
  { name: 'hang', hangs: true, answer: () => {} },
  {
    name: 'hang mid-body',
    hangs: true,
    // Collect garbage while the client waits for the rest: its timeout must still end the attempt.
    answer: (x) => halfBody(x, () => setTimeout(collectGarbage, 300).unref()),
  },
  {
    name: 'truncated JSON',
    status: 200,
    answer: ok(200, 'application/json', (auth) => echoed(auth).slice(0, 60)),
  },
  {
    name: 'malformed JSON',
    status: 200,
    // The parser's message would quote the characters around the fault: the token's.
    answer: ok(200, 'application/json', (auth) => `{"token": "${auth}" "status": processed}`),
  },
  {
    name: 'HTML 200',
    status: 200,
    answer: ok(
      200,
      'text/html; charset=utf-8',
      (auth) => `<!DOCTYPE html><html><body>Sign in to the Wi-Fi <input value="${auth}"></body></html>`,
    ),
  },
  { name: 'empty 200', status: 200, answer: ok(200, undefined, () => '') },
  { name: '204', status: 204, answer: ok(204, undefined, () => '') },
  { name: 'null', status: 200, answer: ok(200, 'application/json', () => 'null') },
  {
    name: 'wrong shape',
    status: 200,
    answer: ok(200, 'application/json', (auth) => JSON.stringify({ data: { id: DOC_ID }, echo: auth })),
  },
  redirect(301),
  redirect(302),
  redirect(307),
  {
    name: 'endless 202',
    status: 202,
    persistent: true,
    answer: (x) => send(x, json(202, PENDING, { 'retry-after': String(PENDING_RETRY_AFTER_S) })),
  },
];
