// The verdict on a row of the runtime matrix: known failures pass the run only for the listed row and message,
// and a listed row that passes fails it (so the list is emptied as fixes land).
import { describe, expect, it } from 'vitest';
import type { KnownFailure } from '../../scripts/runtimes/known-failures.js';
import { type Row, resultText, table, verdict } from '../../scripts/runtimes/report.js';
import { STEPS } from '../../scripts/runtimes/scenario.js';

const n = STEPS.length;
const known: KnownFailure[] = [{ row: /^workerd /, detail: /Invalid redirect/, why: 'redirect: error' }];
const row = (runtime: string, failures: string[], passed?: number): Row => ({
  runtime,
  version: '1.0.0',
  variant: 'module Worker',
  failures,
  passed,
  ms: 1,
});

describe('runtime matrix verdicts', () => {
  it('passes a row without failures that no known failure lists', () => {
    expect(verdict(row('Deno', [], n), known)).toBe('pass');
    expect(resultText(row('Deno', [], n), known)).toBe(`pass (${n}/${n} steps)`);
  });

  it('counts a listed row as known only while every failure matches the listed message', () => {
    const redirect = 'upload bytes: APIConnectionError: Invalid redirect value';
    expect(verdict(row('workerd', [redirect, redirect], 4), known)).toBe('known');
    expect(resultText(row('workerd', [redirect], 4), known)).toBe(
      `known failure: redirect: error (4/${n} steps)`,
    );
    expect(verdict(row('workerd', [redirect, 'abort: expected APIUserAbortError'], 4), known)).toBe('fail');
  });

  it('fails the same message on a row the entry does not list', () => {
    expect(verdict(row('Bun', ['upload bytes: Invalid redirect value'], 4), known)).toBe('fail');
  });

  it('fails a listed row that passes, naming the entry to delete', () => {
    expect(verdict(row('workerd', [], n), known)).toBe('xpass');
    expect(resultText(row('workerd', [], n), known)).toMatch(/delete that entry/);
  });

  it('prints an aligned Markdown table', () => {
    const lines = table([row('Deno', [], n), row('workerd', ['setup: boom'])], known).split('\n');
    expect(lines[0]).toBe('| runtime | version | how           | result             |');
    expect(lines[3]).toBe('| workerd | 1.0.0   | module Worker | FAIL               |');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
