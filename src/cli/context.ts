// What every command gets: the streams, the parsed global options, and a client built on first use (so
// that `--help` or a usage error never needs a token).
import { setMaxListeners } from 'node:events';
import { resolve } from 'node:path';
import { HandwritingOCR, HandwritingOCRError, type Logger } from '../index.js';
import { type GlobalOptions, resolveBaseUrl, resolveToken } from './config.js';
import { type CliIO, UsageError } from './io.js';
import type { Output } from './output.js';

/** The per-run state handed to every command. */
export class Context {
  readonly io: CliIO;
  readonly globals: GlobalOptions;
  readonly out: Output;
  readonly cwd: string;
  readonly signal: AbortSignal;
  private cached?: HandwritingOCR;
  private baseUrlValue?: string;

  constructor(io: CliIO, globals: GlobalOptions, out: Output) {
    this.io = io;
    this.globals = globals;
    this.out = out;
    this.cwd = resolve(io.cwd ?? process.cwd());
    // A signal of the run's own: every file of a batch listens on it while it waits or downloads, so it may
    // have any number of listeners (Node would otherwise warn at 11 with MaxListenersExceededWarning).
    this.signal = AbortSignal.any(io.signal ? [io.signal] : []);
    setMaxListeners(0, this.signal);
  }

  /** The API root in use (after `client()` resolved it). */
  get baseUrl(): string | undefined {
    return this.baseUrlValue;
  }

  /** The client; resolves the token first (a usage error when there is none). */
  client(): HandwritingOCR {
    if (this.cached) return this.cached;
    const apiToken = resolveToken(this.globals, this.io.env, this.cwd);
    this.out.addSecret(apiToken);
    const baseUrl = resolveBaseUrl(this.globals, this.io.env);
    this.baseUrlValue = baseUrl;
    try {
      this.cached = new HandwritingOCR({
        apiToken,
        baseUrl,
        ...(this.io.fetch ? { fetch: this.io.fetch } : {}),
        ...(this.globals.debug ? { logger: this.logger(), logLevel: 'debug' as const } : {}),
      });
    } catch (err) {
      // The constructor only rejects configuration (e.g. a clear-text base URL off loopback).
      if (err instanceof HandwritingOCRError) throw new UsageError(err.message);
      throw err;
    }
    return this.cached;
  }

  /** The client's log lines, on stderr, through the redactor. */
  private logger(): Logger {
    const write =
      (level: string) =>
      (message: string, ...args: unknown[]) => {
        const extra = args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
        this.out.note(`[${level}] ${message}${extra ? ` ${extra}` : ''}`);
      };
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
