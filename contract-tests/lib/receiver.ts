// A one-shot HTTP receiver for webhook deliveries (what a user's endpoint would get).
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface Delivery {
  method: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

export async function startReceiver(): Promise<{
  url: string;
  next(timeoutMs: number): Promise<Delivery>;
  close(): void;
}> {
  const received: Delivery[] = [];
  const waiters: ((d: Delivery) => void)[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const delivery = {
      method: req.method ?? '',
      headers: req.headers,
      raw: Buffer.concat(chunks).toString('utf8'),
    };
    res.writeHead(200).end();
    const waiter = waiters.shift();
    if (waiter) waiter(delivery);
    else received.push(delivery);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hwocr-webhook`,
    next(timeoutMs) {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no webhook delivery within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push((d) => {
          clearTimeout(timer);
          resolve(d);
        });
      });
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
