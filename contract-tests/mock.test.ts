// The spec-driven cases, run through the SDK against `prism mock --errors`. Each forces its status (and
// named example) with `Prefer`, asserts what the SDK made of the answer, and then that every exchange
// conforms to the spec with no `sl-violations` on what the SDK sent.
import { describe, expect, inject, it } from 'vitest';
import { allCases } from './cases/index.js';
import { type ContractCase, caseName } from './cases/types.js';
import { recordedClient } from './lib/client.js';
import { expectConforming } from './lib/conformance.js';
import type { Exchange } from './lib/recorder.js';
import { documentedExample, loadSpec } from './lib/spec.js';

const contract = inject('contract');
const spec = loadSpec(contract.specPath);

// `Prefer` picks the status and example. Where a status documents several media types (the download's),
// Prism picks one by `Accept`: the SDK sends the format's media type (and `application/json` for error bodies),
// and `expectMediaType` checks that what came back is the case's.
const preferOf = (c: ContractCase) => ({
  headers: {
    Prefer: [`code=${c.status}`, ...(c.example ? [`example=${c.example}`] : [])].join(', '),
  },
});

/** The media type of the last answer is the one the case is about. */
function expectMediaType(c: ContractCase, exchanges: readonly Exchange[]): void {
  const last = exchanges.at(-1);
  const type = last?.headers.get('content-type')?.split(';')[0]?.trim();
  expect(type, `Accept sent: ${last?.requestHeaders.get('accept')}`).toBe(c.mediaType);
}

const byOperation = new Map<string, ContractCase[]>();
for (const c of allCases) byOperation.set(c.operationId, [...(byOperation.get(c.operationId) ?? []), c]);

describe('mock', () => {
  for (const [operationId, cases] of byOperation) {
    describe(operationId, () => {
      for (const c of cases) {
        it(caseName(c), async () => {
          const { client, recorder } = recordedClient(contract.mockUrl);
          await c.run({
            client,
            recorder,
            prefer: preferOf(c),
            example: documentedExample(spec, c),
            baseUrl: contract.mockUrl,
          });
          if (c.http === false) return;
          await expectConforming(recorder.exchanges, { status: Number(c.status) });
          if (c.mediaType) expectMediaType(c, recorder.exchanges);
        });
      }
    });
  }
});
