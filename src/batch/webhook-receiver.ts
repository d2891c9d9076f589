// Webhook mode of a batch: an HTTP listener that takes the API's deliveries, verifies each one with
// `parseWebhook` and the secret, and hands the document to whoever waits for its id. Deliveries that come
// before anyone waits (an upload's answer can arrive after its webhook) are kept until asked for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidParamsError } from '../errors.js';
import type { DocumentResult } from '../types.js';
import { parseWebhook } from '../webhooks.js';

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** Port to listen on (`0`: a free one). */
  port: number;
  /** Interface; default `'0.0.0.0'` (the API must reach it), `'127.0.0.1'` for tests. */
  host?: string;
  /** The account's webhook secret: every delivery's `x-signature` is verified with it. Required. */
  secret: string;
  /** Told about deliveries refused (bad signature, not a document). */
  onRejected?: (reason: string) => void;
}

/** A running receiver. */
export interface WebhookReceiver {
  /** The port listened on. */
  readonly port: number;
  /** Deliveries accepted so far. */
  readonly accepted: number;
  /** Resolves with the delivered document of `id` (at once if it came already); `undefined` once `signal` aborts. */
  next(id: string, signal: AbortSignal): Promise<DocumentResult | undefined>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Largest delivery body read; a document result with many pages stays far below. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Starts listening. A delivery is answered 204 once verified, 401 when its signature is wrong, 400 otherwise. */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  if (typeof options.secret !== 'string' || options.secret === '') {
    throw new InvalidParamsError('Webhook mode needs the webhook secret.', 'secret');
  }
  const arrived = new Map<string, DocumentResult>();
  const waiting = new Map<string, (doc: DocumentResult) => void>();
  let accepted = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      const signature = req.headers['x-signature'];
      parseWebhook(Buffer.concat(chunks), {
        signature: Array.isArray(signature) ? signature[0] : signature,
        secret: options.secret,
      }).then(
        (doc) => {
          accepted++;
          res.writeHead(204).end();
          if (doc.status !== 'processed' && doc.status !== 'failed') return;
          const waiter = waiting.get(doc.id);
          if (waiter) waiter(doc);
          else arrived.set(doc.id, doc);
        },
        (err: unknown) => {
          const reason = err instanceof Error ? err.message : String(err);
          options.onRejected?.(reason);
          res.writeHead(err instanceof InvalidParamsError ? 400 : 401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    next(id, signal) {
      const done = arrived.get(id);
      if (done) {
        arrived.delete(id);
        return Promise.resolve(done);
      }
      return new Promise((resolve) => {
        const finish = (doc: DocumentResult | undefined): void => {
          waiting.delete(id);
          signal.removeEventListener('abort', onAbort);
          resolve(doc);
        };
        const onAbort = (): void => finish(undefined);
        if (signal.aborted) return finish(undefined);
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.set(id, finish);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
