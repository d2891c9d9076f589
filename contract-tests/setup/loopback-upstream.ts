// A minimal, stateful stand-in for the API that answers the proxy flows conformingly (upload → 202 while
// processing → processed → every format → delete → 404). The proxy path runs against it until the
// project's simulator (src/testing) exists; `HWOCR_CONTRACT_UPSTREAM=loopback` still selects it after.
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Upstream {
  /** Base URL including the `/v3` prefix, like the real API's. */
  url: string;
  token: string;
  close(): Promise<void>;
}

type Action = 'transcribe' | 'tables' | 'extractor';
interface Doc {
  id: string;
  fileName: string;
  action: Action;
  createdAt: number;
}

const FORMATS: Record<Action, readonly string[]> = {
  transcribe: ['txt', 'docx', 'json'],
  tables: ['xlsx', 'json'],
  extractor: ['xlsx', 'csv', 'json'],
};
// The smallest valid ZIP (an empty archive): enough for a binary download round trip.
const EMPTY_ZIP = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
const MEDIA = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const newId = () =>
  randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 10);

export interface LoopbackOptions {
  processingMs?: number;
  /** Base of absolute links (pagination); default the upstream's own URL. */
  publicUrl?: string;
  /** Signs webhook deliveries (`x-signature: sha256=<hex>`). */
  webhookSecret?: string;
}

export async function startLoopbackUpstream(options: LoopbackOptions = {}): Promise<Upstream> {
  const processingMs = options.processingMs ?? 400;
  const token = `loopback-${randomBytes(8).toString('hex')}`;
  const docs = new Map<string, Doc>();
  let balance = 1000;

  const status = (d: Doc) => {
    const age = Date.now() - d.createdAt;
    return age < processingMs / 2 ? 'queued' : age < processingMs ? 'processing' : 'processed';
  };
  const listed = (d: Doc) => ({
    id: d.id,
    file_name: d.fileName,
    action: d.action,
    page_count: 1,
    status: status(d),
    automatically_deleted_at: iso(d.createdAt + 7 * 86_400_000),
    created_at: iso(d.createdAt),
    updated_at: iso(d.createdAt),
  });
  const result = (d: Doc) => ({
    ...listed(d),
    automatically_deleted_at: sqlTime(d.createdAt + 7 * 86_400_000),
    results: results(d.action),
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const path = url.pathname.replace(/^\/v3/, '');
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { message: 'Unauthenticated.' });
    const method = req.method ?? 'GET';

    if (method === 'GET' && path === '/users/me')
      return send(res, 200, {
        id: 'LoopBack01',
        name: 'Loopback',
        email: 'loopback@example.invalid',
        verified: true,
        type: 'test',
        balance,
        updated_at: iso(Date.now()),
      });

    if (method === 'POST' && path === '/credits/topup') {
      const form = await readForm(req);
      const amount = Number(form.get('amount'));
      balance += amount;
      return send(res, 200, {
        success: true,
        credits_purchased: amount,
        new_balance: balance,
        amount_charged: `$${(amount / 100).toFixed(2)}`,
      });
    }

    if (method === 'POST' && path === '/documents') {
      const form = await readForm(req);
      const file = form.get('file');
      const doc: Doc = {
        id: newId(),
        fileName: typeof file === 'object' && file ? file.name : 'upload',
        action: String(form.get('action')) as Action,
        createdAt: Date.now(),
      };
      docs.set(doc.id, doc);
      balance -= 1;
      const hook = form.get('webhook_url');
      if (typeof hook === 'string') setTimeout(() => deliver(hook, doc), processingMs).unref();
      return send(res, 201, { id: doc.id, status: 'queued' });
    }

    if (method === 'GET' && path === '/documents') {
      const perPage = Number(url.searchParams.get('per_page') ?? 50);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = [...docs.values()].sort((a, b) => b.createdAt - a.createdAt);
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const base = `${options.publicUrl ?? `http://${req.headers.host}/v3`}/documents?per_page=${perPage}&page=`;
      return send(res, 200, {
        documents: slice.map(listed),
        current_page: page,
        from: slice.length ? (page - 1) * perPage + 1 : null,
        to: slice.length ? (page - 1) * perPage + slice.length : null,
        total: all.length,
        per_page: perPage,
        last_page: lastPage,
        next_page_url: page < lastPage ? `${base}${page + 1}` : null,
        prev_page_url: page > 1 ? `${base}${page - 1}` : null,
      });
    }

    const match = /^\/documents\/([A-Za-z0-9]+)(?:\.([a-z]+))?$/.exec(path);
    const doc = match?.[1] ? docs.get(match[1]) : undefined;
    if (match && !doc) return send(res, 404, { message: 'Document not found.' });
    if (match && doc) {
      const format = match[2];
      if (method === 'DELETE' && !format) {
        docs.delete(doc.id);
        res.writeHead(204).end();
        return;
      }
      if (method === 'GET') {
        if (format && !FORMATS[doc.action].includes(format))
          return send(res, 400, { message: 'The requested format is not available for this document.' });
        if (status(doc) !== 'processed')
          return send(res, 202, { id: doc.id, status: status(doc) }, { 'retry-after': '1' });
        if (!format || format === 'json') return send(res, 200, result(doc));
        if (format === 'txt') return sendRaw(res, MEDIA.txt, 'Hello from the loopback upstream.\n');
        if (format === 'csv') return sendRaw(res, MEDIA.csv, 'key,name,value\nname,Name,Ada\n');
        return sendRaw(res, format === 'docx' ? MEDIA.docx : MEDIA.xlsx, EMPTY_ZIP);
      }
    }
    return send(res, 404, { message: 'Not found.' });
  }

  function deliver(hook: string, doc: Doc): void {
    const body = JSON.stringify(result(doc));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.webhookSecret)
      headers['x-signature'] =
        `sha256=${createHmac('sha256', options.webhookSecret).update(body).digest('hex')}`;
    fetch(hook, { method: 'POST', headers, body }).catch(() => {});
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('loopback upstream has no port');
  return {
    url: `http://127.0.0.1:${address.port}/v3`,
    token,
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

function results(action: Action): unknown[] {
  if (action === 'transcribe') return [{ page_number: 1, transcript: 'Hello from the loopback upstream.' }];
  if (action === 'tables')
    return [
      {
        page_number: 1,
        tables: [{ rows: [['a', 'b']], rowCount: 1, columnCount: 2, tableNumber: 1, hasHeaderRow: false }],
        key_value_pairs: [{ key: 'Total', value: '42' }],
      },
    ];
  return [
    {
      page_number: 1,
      extractions: [[{ key: 'name', name: 'Name', type: 'string', array: false, value: 'Ada' }]],
    },
  ];
}

async function readForm(req: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = { 'content-type': req.headers['content-type'] ?? '' };
  return new Response(Buffer.concat(chunks), { headers }).formData();
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function sendRaw(res: ServerResponse, type: string, body: string | Uint8Array): void {
  res.writeHead(200, { 'content-type': type }).end(body);
}
