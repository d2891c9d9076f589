// Error statuses as cases: the status is forced with `Prefer: code=N`, and the SDK must reject with the
// class the surface names, carrying status, headers, the parsed body and a message taken from it.
import { expect } from 'vitest';
import { APIError, HandwritingOCRError } from '../../src/index.js';
import type { CaseTools, ContractCase } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: error classes take different constructor arguments.
type ErrorClass = abstract new (...args: any[]) => Error;

export interface ErrorExpectation {
  class: ErrorClass;
  /** Class-specific fields (retryAfterMs, code, authenticationUrl, ...). */
  check?: (error: Error, example: unknown) => void;
}

/** An error class plus checks of its own fields, typed by the class. */
export function withCheck<E extends Error>(
  // biome-ignore lint/suspicious/noExplicitAny: see ErrorClass.
  cls: abstract new (...args: any[]) => E,
  check: (error: E, example: Record<string, unknown>) => void,
): ErrorExpectation {
  return { class: cls, check: (error, example) => check(error as E, isRecord(example) ? example : {}) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Runs `call` and returns what it rejected with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, resolved with ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (error: unknown) => error,
  );
}

/**
 * One case per status listed. The statuses are written out per operation on purpose: a status the spec
 * gains must show up here by hand, or the coverage meta-test fails.
 */
export function errorCases(
  operationId: string,
  call: (t: CaseTools) => Promise<unknown>,
  table: Record<number, ErrorClass | ErrorExpectation>,
  example?: Record<number, string>,
): ContractCase[] {
  return Object.entries(table).map(([status, entry]) => {
    const expectation: ErrorExpectation = typeof entry === 'function' ? { class: entry } : entry;
    const named = example?.[Number(status)];
    return {
      operationId,
      status,
      ...(named ? { example: named } : {}),
      title: `rejects with ${expectation.class.name}`,
      async run(t) {
        const error = await rejection(call(t));
        expect(error).toBeInstanceOf(expectation.class);
        expect(error).toBeInstanceOf(APIError);
        expect(error).toBeInstanceOf(HandwritingOCRError);
        const apiError = error as APIError;
        expect(apiError.status).toBe(Number(status));
        expect(apiError.headers).toBeInstanceOf(Headers);
        expect(apiError.body).toEqual(t.example);
        if (isRecord(t.example) && typeof t.example.message === 'string')
          expect(apiError.message).toContain(t.example.message);
        expectation.check?.(error as Error, t.example);
      },
    };
  });
}
