// Pure pieces of the CLI: option parsers, token resolution, rendering, output planning, the semaphore.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { planTranscribe, Semaphore, type TranscribeOptions } from '../../src/cli/commands/transcribe.js';
import { DEFAULT_BASE_URL, resolveBaseUrl, resolveToken } from '../../src/cli/config.js';
import { describeError, errorJson, exitCodeFor, humanDuration } from '../../src/cli/errors.js';
import { batchFailure } from '../../src/cli/failures.js';
import { outputPathFor } from '../../src/cli/files.js';
import { type CliIO, CommandFailure, UsageError } from '../../src/cli/io.js';
import {
  checkFormatForAction,
  creditAmount,
  deleteAfterSeconds,
  extractorId,
  perPage,
  positiveInt,
  positiveSeconds,
  promptId,
} from '../../src/cli/options.js';
import {
  formatFields,
  formatTable,
  Output,
  REDACTED,
  redactTokens,
  shortTime,
} from '../../src/cli/output.js';
import { bar, describeState, headline, progressMode } from '../../src/cli/progress.js';
import { InvalidParamsError, NotFoundError } from '../../src/index.js';
import { REDACTED as SDK_REDACTED } from '../../src/log.js';
import { Capture, tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('option parsers', () => {
  it('accept good values and reject bad ones with InvalidArgumentError', () => {
    expect(positiveInt('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'two', '', ' ']) {
      expect(() => positiveInt(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(perPage('200')).toBe(200);
    expect(() => perPage('201')).toThrow(UsageError);
    expect(positiveSeconds('0.5')).toBe(0.5);
    expect(() => positiveSeconds('0')).toThrow(InvalidArgumentError);
    expect(deleteAfterSeconds('300')).toBe(300);
    expect(deleteAfterSeconds('1209600')).toBe(1209600);
    expect(() => deleteAfterSeconds('299')).toThrow(UsageError);
    expect(() => deleteAfterSeconds('1209601')).toThrow(UsageError);
    expect(creditAmount('500')).toBe(500);
    for (const bad of ['0', '150', '-100', '1e3', 'lots', '45342258988683300']) {
      // In the CLI's own words, never the SDK's "amount must be…; got …" or a rounded value.
      expect(() => creditAmount(bad), bad).toThrow(
        new UsageError(`the amount must be a positive multiple of 100 (got ${bad})`),
      );
    }
    // Letters and digits of a sane length, not exactly 10: 12-character ids are used in production.
    for (const good of ['abcDE12345', 'abcDE1234567', 'K', 'a'.repeat(64)])
      expect(extractorId(good)).toBe(good);
    for (const bad of ['ab-c', 'ab c', 'a'.repeat(65)]) {
      expect(() => extractorId(bad), bad).toThrow(UsageError);
    }
    expect(promptId('Pr0mpt 42')).toBe('Pr0mpt 42');
    for (const bad of ['', 'a\nb', 'p'.repeat(256)]) expect(() => promptId(bad), bad).toThrow(UsageError);
  });

  it('knows which formats each action offers', () => {
    expect(() => checkFormatForAction('transcribe', 'txt')).not.toThrow();
    expect(() => checkFormatForAction('tables', 'xlsx')).not.toThrow();
    expect(() => checkFormatForAction('extractor', 'csv')).not.toThrow();
    expect(() => checkFormatForAction('tables', 'txt')).toThrow(
      /not offered for --action tables \(choose xlsx, json\)/,
    );
    expect(() => checkFormatForAction('transcribe', 'csv')).toThrow(UsageError);
  });
});

describe('token and base URL', () => {
  const cwd = process.cwd();
  it('reads the token from the environment, or from --token-file (trimmed), which wins', () => {
    expect(resolveToken({}, { HANDWRITING_OCR_API_TOKEN: ' env-token\n' }, cwd)).toBe('env-token');
    const d = dir();
    writeFileSync(join(d, 'token'), 'file-token\r\n');
    expect(resolveToken({ tokenFile: 'token' }, { HANDWRITING_OCR_API_TOKEN: 'env-token' }, d)).toBe(
      'file-token',
    );
  });

  it('refuses a missing token, an unreadable or empty file with a usage error', () => {
    expect(() => resolveToken({}, {}, cwd)).toThrow(UsageError);
    expect(() => resolveToken({}, { HANDWRITING_OCR_API_TOKEN: '' }, cwd)).toThrow(
      /HANDWRITING_OCR_API_TOKEN/,
    );
    const d = dir();
    expect(() => resolveToken({ tokenFile: 'nope' }, {}, d)).toThrow(
      /cannot read token file nope \(ENOENT\)/,
    );
    expect(() => resolveToken({ tokenFile: '.' }, {}, d)).toThrow(UsageError);
    writeFileSync(join(d, 'empty'), '\n');
    expect(() => resolveToken({ tokenFile: 'empty' }, {}, d)).toThrow(/empty/);
  });

  it('takes --base-url, else the environment, else the public API', () => {
    expect(
      resolveBaseUrl({ baseUrl: 'http://127.0.0.1:1/v3' }, { HANDWRITING_OCR_BASE_URL: 'https://x/v3' }),
    ).toBe('http://127.0.0.1:1/v3');
    expect(resolveBaseUrl({}, { HANDWRITING_OCR_BASE_URL: 'https://x/v3' })).toBe('https://x/v3');
    expect(resolveBaseUrl({}, {})).toBe(DEFAULT_BASE_URL);
    expect(() => resolveBaseUrl({ baseUrl: 'not a url' }, {})).toThrow(UsageError);
    expect(() => resolveBaseUrl({ baseUrl: 'ftp://x' }, {})).toThrow(UsageError);
  });
});

describe('rendering', () => {
  it('aligns columns and leaves the last one unpadded', () => {
    expect(
      formatTable(
        [
          ['a', 'bb', 'c'],
          ['ddd', 'e', 'f'],
        ],
        ['X', 'Y', 'Z'],
      ),
    ).toEqual(['X    Y   Z', 'a    bb  c', 'ddd  e   f']);
    expect(
      formatFields([
        ['id', '1'],
        ['name', undefined],
        ['email', 'x@y'],
      ]),
    ).toEqual(['id     1', 'email  x@y']);
    expect(shortTime('2026-03-05T14:49:19.000000Z')).toBe('2026-03-05 14:49');
    expect(shortTime(undefined)).toBe('-');
  });

  it('redacts token fields and registered secrets everywhere', () => {
    expect(redactTokens({ a: 1, token: 'x', nested: [{ token: 'y' }], n: null })).toEqual({
      a: 1,
      token: REDACTED,
      nested: [{ token: REDACTED }],
      n: null,
    });
    const stdout = new Capture();
    const stderr = new Capture();
    const out = new Output({ stdout, stderr, env: {} });
    out.addSecret('1|secret-token-value');
    out.line('token is 1|secret-token-value');
    out.note('again 1|secret-token-value!');
    out.printJson({ message: 'has 1|secret-token-value', token: 'other' });
    expect(stdout.text + stderr.text).not.toContain('secret-token-value');
    expect(stdout.text).toContain('token is [REDACTED]');
    expect(JSON.parse(stdout.text.split('\n').slice(1).join('\n'))).toEqual({
      message: 'has [REDACTED]',
      token: '[REDACTED]',
    });
    expect(REDACTED).toBe(SDK_REDACTED); // one marker across SDK logs and CLI output
  });

  it('describes file states and draws the bar', () => {
    expect(describeState('a.png', { state: 'pending', id: 'abc', status: 'queued' })).toBe(
      'a.png: queued (id abc)',
    );
    expect(describeState('a.png', { state: 'done', id: 'abc', output: 'out/a.txt' })).toBe(
      'a.png: done → out/a.txt',
    );
    // The cause is left to the summary, so that it is said once.
    expect(describeState('a.png', { state: 'failed', message: 'boom' })).toBe('a.png: failed');
    expect(describeState('a.png', { state: 'failed', id: 'abc', message: 'boom' })).toBe(
      'a.png: failed (id abc)',
    );
    expect(describeState('a.png', { state: 'failed', message: 'boom', notSent: true })).toBe(
      'a.png: not sent',
    );
    expect(describeState('a.png', { state: 'failed', message: 'boom', unknown: true })).toBe(
      'a.png: upload outcome unknown',
    );
    expect(bar(0.5, 10)).toBe('█████░░░░░');
    expect(bar(2, 4)).toBe('████');
  });

  it('the headline: bar and count both follow finished files; the others by the status the API gave', () => {
    const processing = { state: 'pending', id: 'x', status: 'processing' } as const;
    // Partial progress does not fill the bar: 0/10 is an empty bar.
    expect(headline(Array.from({ length: 10 }, () => processing))).toBe(
      `Transcribing 10 files ${'░'.repeat(20)} 0/10 · 10 processing`,
    );
    expect(
      headline([
        { state: 'failed', message: 'boom' },
        { state: 'done', id: 'a' },
        processing,
        { state: 'pending', id: 'y', status: 'queued' },
        { state: 'uploading' },
        { state: 'waiting' },
        { state: 'downloading', id: 'z' },
      ]),
    ).toBe(
      `Transcribing 7 files ${bar(2 / 7)} 2/7 · 1 failed · 1 processing · 1 queued · 1 uploading · 1 downloading`,
    );
    expect(headline([{ state: 'done', id: 'a' }])).toBe(`Transcribing 1 file ${bar(1)} 1/1`);
  });

  it('picks live progress only for a terminal stderr, never under --json, --quiet, CI or TERM=dumb', () => {
    const io = (tty: boolean, env: Record<string, string> = {}): CliIO => ({
      stdout: new Capture(false),
      stderr: new Capture(tty),
      env,
    });
    expect(progressMode(io(true), {})).toBe('live');
    expect(progressMode(io(false), {})).toBe('plain');
    expect(progressMode(io(true), { json: true })).toBe('silent');
    expect(progressMode(io(true), { quiet: true })).toBe('silent');
    expect(progressMode(io(true, { CI: 'true' }), {})).toBe('plain');
    expect(progressMode(io(true, { TERM: 'dumb' }), {})).toBe('plain');
    expect(progressMode({ ...io(false), isTTY: true }, {})).toBe('live');
  });
});

describe('errors', () => {
  it('maps errors to exit codes', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new InvalidParamsError('bad id'))).toBe(2);
    expect(exitCodeFor(new CommandFailure('x'))).toBe(1);
    expect(exitCodeFor(new NotFoundError(404, new Headers(), {}, '404 Not Found'))).toBe(1);
    expect(exitCodeFor(new Error('EACCES'))).toBe(1);
  });

  it('--json names an interrupted run "interrupted", a batch refused for its input "usage"', () => {
    expect(errorJson(new CommandFailure('interrupted', 130))).toEqual({
      error: 'interrupted',
      code: 'interrupted',
      status: null,
    });
    expect(errorJson(new CommandFailure('all 2 files failed', 2)).code).toBe('usage');
    expect(errorJson(new CommandFailure('1 of 2 files failed')).code).toBe('failed');
  });

  it("a batch's last line: a shared cause once, at most 10 names; several causes a line per file first", () => {
    const stderr = new Capture();
    const out = new Output({ stdout: new Capture(), stderr, env: {} });
    const failed = Array.from({ length: 12 }, (_, i) => ({
      file: `f${i}.png`,
      error: '403 Forbidden: no credits',
    }));
    const shared = batchFailure(failed, 20, out);
    expect([shared.message, shared.exitCode]).toEqual([
      `12 of 20 files failed (${failed
        .slice(0, 10)
        .map((f) => f.file)
        .join(', ')}, and 2 more): 403 Forbidden: no credits`,
      1,
    ]);
    expect(stderr.text).toBe('');
    const input = batchFailure(
      [
        { file: 'a.txt', error: 'Unsupported file type (a.txt)', userInput: true },
        { file: 'b.txt', error: 'Unsupported file type (b.txt)', userInput: true },
      ],
      3,
      out,
    );
    expect([input.message, input.exitCode]).toEqual(['2 of 3 files failed', 2]);
    expect(stderr.text).toBe(
      '  a.txt: Unsupported file type (a.txt)\n  b.txt: Unsupported file type (b.txt)\n',
    );
  });

  it('keeps messages on one line', () => {
    expect(describeError(new Error('two\nlines'))).toBe('two lines');
    expect(humanDuration(5000)).toBe('5 seconds');
    expect(humanDuration(300_000)).toBe('5 minutes');
  });
});

describe('files', () => {
  it('names outputs after the input without its extension', () => {
    expect(outputPathFor('/scans/note.page1.png', '/out', 'txt')).toBe(join('/out', 'note.page1.txt'));
    expect(outputPathFor('/scans/README', '/out', 'json')).toBe(join('/out', 'README.json'));
  });
});

describe('planTranscribe', () => {
  const options = (o: Partial<TranscribeOptions> = {}): TranscribeOptions => ({
    action: 'transcribe',
    concurrency: 2,
    ...o,
  });
  const ctx = (cwd: string, o: { json?: boolean; stdoutTTY?: boolean } = {}) => ({
    cwd,
    globals: { json: o.json },
    io: { stdout: new Capture(o.stdoutTTY), stderr: new Capture(), env: {} },
  });

  it('sends one input to stdout, and refuses binary formats on a terminal', () => {
    const d = dir();
    writeFileSync(join(d, 'a.png'), 'x');
    expect(planTranscribe(['a.png'], options(), ctx(d)).targets).toEqual([{ kind: 'stdout' }]);
    expect(planTranscribe(['a.png'], options(), ctx(d)).format).toBe('txt');
    expect(planTranscribe(['a.png'], options({ action: 'tables' }), ctx(d)).format).toBe('json');
    expect(() => planTranscribe(['a.png'], options({ format: 'docx' }), ctx(d, { stdoutTTY: true }))).toThrow(
      /terminal/,
    );
    expect(planTranscribe(['a.png'], options({ format: 'docx' }), ctx(d)).targets).toEqual([
      { kind: 'stdout' },
    ]);
  });

  it('needs --out for several inputs, a directory for several, and no clashing names', () => {
    const d = dir();
    mkdirSync(join(d, 'x'));
    mkdirSync(join(d, 'y'));
    writeFileSync(join(d, 'a.png'), 'x');
    writeFileSync(join(d, 'b.png'), 'x');
    writeFileSync(join(d, 'x', 'a.png'), 'x');
    expect(() => planTranscribe(['a.png', 'b.png'], options(), ctx(d))).toThrow(/several files need --out/);
    expect(() => planTranscribe(['a.png', 'b.png'], options({ out: 'one.txt' }), ctx(d))).toThrow(
      /end it with \//,
    );
    const plan = planTranscribe(['a.png', 'b.png'], options({ out: 'out/' }), ctx(d));
    expect(plan.targets).toEqual([
      { kind: 'file', path: join(d, 'out', 'a.txt') },
      { kind: 'file', path: join(d, 'out', 'b.txt') },
    ]);
    // An existing directory needs no trailing slash.
    expect(planTranscribe(['a.png'], options({ out: 'y' }), ctx(d)).targets).toEqual([
      { kind: 'file', path: join(d, 'y', 'a.txt') },
    ]);
    expect(() => planTranscribe(['a.png', 'x/a.png'], options({ out: 'out/' }), ctx(d))).toThrow(
      /both be written/,
    );
    expect(() => planTranscribe(['a.png'], options({ out: 'nodir/a.txt' }), ctx(d))).toThrow(
      /does not exist/,
    );
  });

  it('checks inputs, the extractor id and the format before anything is sent', () => {
    const d = dir();
    writeFileSync(join(d, 'a.png'), 'x');
    expect(() => planTranscribe(['missing.png'], options(), ctx(d))).toThrow(/no such file: missing.png/);
    expect(() => planTranscribe(['.'], options(), ctx(d))).toThrow(/not a file/);
    expect(() => planTranscribe(['a.png'], options({ action: 'extractor' }), ctx(d))).toThrow(
      /--extractor-id/,
    );
    expect(() => planTranscribe(['a.png'], options({ extractorId: 'abcde12345' }), ctx(d))).toThrow(
      /only applies/,
    );
    expect(() => planTranscribe(['a.png'], options({ action: 'tables', format: 'docx' }), ctx(d))).toThrow(
      /not offered/,
    );
  });

  it('embeds results in --json without --out, except binary ones', () => {
    const d = dir();
    writeFileSync(join(d, 'a.png'), 'x');
    writeFileSync(join(d, 'b.png'), 'x');
    expect(planTranscribe(['a.png', 'b.png'], options(), ctx(d, { json: true })).targets).toEqual([
      { kind: 'embed' },
      { kind: 'embed' },
    ]);
    expect(() => planTranscribe(['a.png'], options({ format: 'docx' }), ctx(d, { json: true }))).toThrow(
      /needs --out/,
    );
  });
});

describe('Semaphore', () => {
  it('never runs more than its limit at once, in order', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        sem.run(async () => {
          active++;
          peak = Math.max(peak, active);
          order.push(i);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
