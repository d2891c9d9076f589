// The coverage meta-test: every operation, documented status, media type (where a status has several) and
// named example of the merged spec needs a contract case, and no case may name something the spec lacks.
// `HWOCR_CONTRACT_SPEC` points it at another document (meta/coverage-meta.test.ts uses that).
import { describe, expect, it } from 'vitest';
import { allCases } from './cases/index.js';
import { caseKey } from './cases/types.js';
import { compareCoverage, formatCoverage } from './lib/coverage.js';
import { enumerateSpec, loadSpec, specPath } from './lib/spec.js';

const items = enumerateSpec(loadSpec(specPath()));
const keys = allCases.map(caseKey);

describe('coverage', () => {
  // One test, one message: what is missing (or unknown), grouped by the case file to edit.
  it('every spec item has a contract case and every case names a spec item', () => {
    const message = formatCoverage(compareCoverage(items, keys));
    if (message) expect.fail(message);
  });
});
