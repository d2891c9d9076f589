// One cell's backend, in the harness process: the simulator (from the packed package) and a small control server
// beside it on another port. The control server hands the scenario its sample file, injects faults on request
// (the scenario runs in another process, or a browser, or workerd) and serves a bundle's static files (a page).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type * as Testing from '../../src/testing/index.js';

/** What the simulator reads from the sample PNG, and what the txt download must say. */
export const TRANSCRIPT = 'Runtime check: the quick brown fox.';

export interface Backend {
  /** The env the scenario gets (see ScenarioEnv). */
  env: { baseUrl: string; token: string; control: string; transcript: string };
  /** The control server's origin, where `staticDir` is served. */
  origin: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
};

/** Starts a simulator and its control server; `staticDir`, when given, is served at `/`. */
export async function startBackend(testing: typeof Testing, staticDir?: string): Promise<Backend> {
  const sim = await testing.startSimulator({ processingMs: 100 });
  const sample = testing.samplePng(TRANSCRIPT);
  const faults: Testing.FaultHandle[] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://control.invalid');
    const send = (status: number, body: string | Uint8Array, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*' });
      res.end(body);
    };
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'content-type',
        });
        return res.end();
      }
      if (req.method === 'GET' && url.pathname === '/sample.png') return send(200, sample, 'image/png');
      if (req.method === 'POST' && url.pathname === '/fault') {
        let text = '';
        for await (const chunk of req) text += chunk;
        faults.push(sim.faults.inject(JSON.parse(text) as Testing.FaultSpec));
        return send(200, JSON.stringify({ id: faults.length - 1 }));
      }
      const fault = /^\/fault\/(\d+)$/.exec(url.pathname);
      if (req.method === 'GET' && fault) {
        const handle = faults[Number(fault[1])];
        if (!handle) return send(404, '{}');
        return send(200, JSON.stringify({ hits: handle.hits, remaining: handle.remaining }));
      }
      if (req.method === 'GET' && staticDir) {
        const path = normalize(url.pathname === '/' ? '/index.html' : url.pathname);
        if (!path.startsWith('/') || path.includes('..')) return send(400, '{}');
        const body = await readFile(join(staticDir, path)).catch(() => undefined);
        if (body) return send(200, body, TYPES[extname(path)] ?? 'application/octet-stream');
      }
      send(404, '{}');
    } catch (err) {
      send(500, JSON.stringify({ message: String(err) }));
    }
  });
  const origin = await listen(server);
  return {
    env: { baseUrl: sim.url, token: sim.token, control: origin, transcript: TRANSCRIPT },
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    },
  };
}

/** Listens on a free 127.0.0.1 port; resolves with the origin. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** A free 127.0.0.1 port, for a program that must be told its port (workerd). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const origin = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return Number(new URL(origin).port);
}
