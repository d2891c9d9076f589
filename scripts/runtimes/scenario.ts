// The one scenario every runtime runs (Node, Bun, Deno, workerd, Chromium): what a user of the packed package
// does, step by step, against the simulator the harness hosts. It imports nothing: each runtime's entry shim
// loads `handwriting-ocr` its own way (import, require, a bundler) and passes the module in, so the same code
// runs as ESM, as CJS and inside bundles. Plain `fetch` only, for the harness's control endpoints.
import type * as Sdk from '../../src/index.js';

/** What the harness hands the scenario. */
export interface ScenarioEnv {
  /** The simulator's base URL (`http://127.0.0.1:<port>/v3`) and its token. */
  baseUrl: string;
  token: string;
  /** The harness's control server: `GET /sample.png`, `POST /fault`, `GET /fault/<n>`. */
  control: string;
  /** What the simulator reads from `/sample.png` (the txt download must say it). */
  transcript: string;
}

/** One step's outcome. `skip`: a step it needs failed first. */
export interface StepResult {
  name: string;
  result: 'pass' | 'fail' | 'skip';
  ms: number;
  detail?: string;
}

/** Names of the steps, in order (the harness counts them). */
export const STEPS = [
  'construct',
  'users.me',
  'upload bytes',
  'upload Blob',
  'upload stream',
  'uploadAndWait',
  'download txt',
  'download docx',
  'download json',
  'downloadStream',
  'for await list',
  '404 NotFoundError',
  '429 retried',
  'abort',
  'unreadable path',
  'delete',
] as const;

type StepName = (typeof STEPS)[number];

class Skip extends Error {}

/** Runs every step; a failed step is recorded and the scenario goes on with the steps that do not need it. */
export async function scenario(sdk: typeof Sdk, env: ScenarioEnv): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const failed = new Set<StepName>();
  const step = async (name: StepName, needs: StepName[], body: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    try {
      const missing = needs.filter((n) => failed.has(n));
      if (missing.length) throw new Skip(`needs ${missing.join(', ')}`);
      await body();
      results.push({ name, result: 'pass', ms: Date.now() - started });
    } catch (err) {
      failed.add(name);
      const ms = Date.now() - started;
      if (err instanceof Skip) results.push({ name, result: 'skip', ms, detail: err.message });
      else results.push({ name, result: 'fail', ms, detail: describe(err) });
    }
  };
  const check = (ok: unknown, what: string): void => {
    if (!ok) throw new Error(`expected ${what}`);
  };

  let client!: InstanceType<typeof Sdk.HandwritingOCR>;
  let png!: Uint8Array;
  const uploaded: string[] = [];
  let doc!: Sdk.DocumentResult;

  await step('construct', [], async () => {
    client = new sdk.HandwritingOCR({ apiToken: env.token, baseUrl: env.baseUrl, maxRetries: 2 });
    check(
      !String(client).includes(env.token) && !JSON.stringify(client).includes(env.token),
      'no token shown',
    );
    const sample = await fetch(`${env.control}/sample.png`);
    check(sample.ok, 'the sample from the harness');
    png = new Uint8Array(await sample.arrayBuffer());
  });

  await step('users.me', ['construct'], async () => {
    const me = await client.users.me();
    check(typeof me.balance === 'number', `a numeric balance, got ${JSON.stringify(me.balance)}`);
  });

  await step('upload bytes', ['construct'], async () => {
    const { id, status } = await client.documents.upload({
      file: png,
      action: 'transcribe',
      fileName: 'a.png',
    });
    check(typeof id === 'string' && id.length > 0 && typeof status === 'string', 'an id and a status');
    uploaded.push(id);
  });

  await step('upload Blob', ['construct'], async () => {
    const blob = new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' });
    const { id } = await client.documents.upload({ file: blob, action: 'transcribe', fileName: 'b.png' });
    check(typeof id === 'string' && id.length > 0, 'an id');
    uploaded.push(id);
  });

  // Browsers cannot send a streaming request body over HTTP/1.1 (the simulator's): the web build reads the stream
  // into a Blob first, the Node build streams it.
  await step('upload stream', ['construct'], async () => {
    const file = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(png.slice(0, 40));
        controller.enqueue(png.slice(40));
        controller.close();
      },
    });
    const { id } = await client.documents.upload({ file, action: 'transcribe', fileName: 'd.png' });
    check(typeof id === 'string' && id.length > 0, 'an id');
    uploaded.push(id);
  });

  await step('uploadAndWait', ['construct'], async () => {
    const seen: string[] = [];
    doc = await client.documents.uploadAndWait(
      { file: png, action: 'transcribe', fileName: 'c.png', delete_after: 3600 },
      { pollIntervalMs: 25, maxPollIntervalMs: 100, timeoutMs: 30_000, onStatus: (s) => seen.push(s) },
    );
    check(doc.status === 'processed' && doc.action === 'transcribe', `processed, got ${doc.status}`);
    check(seen.at(-1) === 'processed', `onStatus to end on processed, saw ${seen.join(' → ')}`);
    uploaded.push(doc.id);
  });

  await step('download txt', ['uploadAndWait'], async () => {
    const text = await client.documents.download(doc.id, 'txt');
    check(
      typeof text === 'string' && text.includes(env.transcript),
      `the transcript, got ${text.slice(0, 80)}`,
    );
  });

  await step('download docx', ['uploadAndWait'], async () => {
    const docx = await client.documents.download(doc, 'docx');
    // A docx is a zip: "PK\x03\x04".
    check(docx instanceof Uint8Array && docx[0] === 0x50 && docx[1] === 0x4b, 'zip bytes');
  });

  await step('download json', ['uploadAndWait'], async () => {
    const result = await client.documents.download(doc.id, 'json');
    check(result.id === doc.id && result.status === 'processed', 'the document as JSON');
  });

  await step('downloadStream', ['uploadAndWait'], async () => {
    const stream = await client.documents.downloadStream(doc.id, 'txt');
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const text = new TextDecoder().decode(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    check(text.includes(env.transcript), 'the transcript, streamed');
  });

  await step(
    'for await list',
    ['upload bytes', 'upload Blob', 'upload stream', 'uploadAndWait'],
    async () => {
      const ids: string[] = [];
      // One per page: the iteration must walk every page.
      for await (const d of client.documents.list({ per_page: 1 })) ids.push(d.id);
      check(
        uploaded.every((id) => ids.includes(id)) && ids.length === uploaded.length,
        `every upload listed once, got ${ids.length}`,
      );
    },
  );

  await step('404 NotFoundError', ['construct'], async () => {
    const err = await client.documents.retrieve('missing0000').catch((e: unknown) => e);
    check(err instanceof sdk.NotFoundError, `NotFoundError, got ${describe(err)}`);
    check(err instanceof sdk.APIError && err instanceof sdk.HandwritingOCRError, 'its base classes');
    check((err as Sdk.APIError).status === 404, 'status 404');
  });

  await step('429 retried', ['construct'], async () => {
    const fault = await control(env, 'POST', '/fault', {
      route: 'GET /users/me',
      kind: 'status',
      status: 429,
      retryAfter: 0,
    });
    const me = await client.users.me();
    check(typeof me.balance === 'number', 'users.me to succeed after the 429');
    const { hits } = await control(env, 'GET', `/fault/${fault.id}`);
    check(hits === 1, `the 429 to have been answered once, got ${hits}`);
  });

  await step('abort', ['uploadAndWait'], async () => {
    // The simulator holds the request open; the caller's signal ends it mid-flight.
    await control(env, 'POST', '/fault', { route: 'GET /documents/{id}', kind: 'hang' });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const err = await client.documents
      .retrieve(doc.id, { signal: controller.signal, maxRetries: 0 })
      .catch((e: unknown) => e);
    check(err instanceof sdk.APIUserAbortError, `APIUserAbortError, got ${describe(err)}`);
    check(Date.now() - started < 10_000, 'the abort to end the request at once');
  });

  await step('unreadable path', ['construct'], async () => {
    // Where there is no filesystem (or no permission to read it) as where the file is missing: a typed error
    // before anything is sent.
    const err = await client.documents
      .upload({ file: 'no-such-dir/none.pdf', action: 'transcribe' })
      .catch((e: unknown) => e);
    check(err instanceof sdk.InvalidParamsError, `InvalidParamsError, got ${describe(err)}`);
  });

  await step('delete', ['upload bytes', 'upload Blob', 'upload stream', 'uploadAndWait'], async () => {
    for (const id of uploaded) await client.documents.delete(id);
    const err = await client.documents.retrieve(doc.id).catch((e: unknown) => e);
    check(err instanceof sdk.NotFoundError, `NotFoundError after delete, got ${describe(err)}`);
  });

  return results;
}

async function control(
  env: ScenarioEnv,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ id: number; hits: number }> {
  const response = await fetch(`${env.control}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status}`);
  return (await response.json()) as { id: number; hits: number };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const more = cause instanceof Error ? ` (cause: ${cause.name}: ${cause.message})` : '';
  return `${err.name}: ${err.message}${more}`.slice(0, 300);
}
