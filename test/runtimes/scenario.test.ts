// The runtime scenario (scripts/runtimes/scenario.ts) run in-process against the source, with the harness's own
// backend: it passes on a working client, and it reports a broken one step by step instead of passing.
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, startBackend } from '../../scripts/runtimes/control.js';
import { STEPS, type StepResult, scenario } from '../../scripts/runtimes/scenario.js';
import * as sdk from '../../src/index.js';
import * as testing from '../../src/testing/index.js';

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const outcome = (results: StepResult[]) => Object.fromEntries(results.map((r) => [r.name, r.result]));

/** The SDK with its client built with `override` applied over the scenario's options. */
function withClientOptions(override: sdk.ClientOptions): typeof sdk {
  class Patched extends sdk.HandwritingOCR {
    constructor(options: sdk.ClientOptions) {
      super({ ...options, ...override });
    }
  }
  return { ...sdk, HandwritingOCR: Patched };
}

describe('runtime scenario', () => {
  it('passes every step, in order, on a working client', async () => {
    backend = await startBackend(testing);
    const results = await scenario(sdk, backend.env);
    expect(results.map((r) => r.name)).toEqual([...STEPS]);
    expect(results.filter((r) => r.result !== 'pass')).toEqual([]);
  });

  it('fails the 429 step when the client does not retry', async () => {
    backend = await startBackend(testing);
    const results = await scenario(withClientOptions({ maxRetries: 0 }), backend.env);
    const failed = results.filter((r) => r.result !== 'pass');
    expect(failed.map((r) => r.name)).toEqual(['429 retried']);
    expect(failed[0]?.detail).toMatch(/RateLimitError/);
  });

  it('fails the uploads and skips what needs them when POSTs never get through', async () => {
    backend = await startBackend(testing);
    const fetchNoPost = (request: Request) =>
      request.method === 'POST' ? Promise.reject(new TypeError('refused')) : fetch(request);
    const results = await scenario(withClientOptions({ fetch: fetchNoPost }), backend.env);
    expect(outcome(results)).toEqual({
      construct: 'pass',
      'users.me': 'pass',
      'upload bytes': 'fail',
      'upload Blob': 'fail',
      'upload stream': 'fail',
      uploadAndWait: 'fail',
      'download txt': 'skip',
      'download docx': 'skip',
      'download json': 'skip',
      downloadStream: 'skip',
      'for await list': 'skip',
      '404 NotFoundError': 'pass',
      '429 retried': 'pass',
      abort: 'skip',
      'unreadable path': 'pass',
      delete: 'skip',
    });
    expect(results.find((r) => r.name === 'upload bytes')?.detail).toMatch(/APIConnectionError.*refused/);
    expect(results.find((r) => r.name === 'abort')?.detail).toBe('needs uploadAndWait');
  });
});
