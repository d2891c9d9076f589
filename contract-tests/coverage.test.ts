// The coverage meta-test: every operation, documented status, media type (where a status has several) and
// named example of the merged spec needs a contract case, and no case may name something the spec lacks.
// `HWOCR_CONTRACT_SPEC` points it at another document (meta/coverage-meta.test.ts uses that).
import { describe, expect, it } from 'vitest';
import { allCases } from './cases/index.js';
import { caseKey } from './cases/types.js';
import { compareCoverage, covers, formatCoverage } from './lib/coverage.js';
import { enumerateSpec, loadSpec, specPath } from './lib/spec.js';

const items = enumerateSpec(loadSpec(specPath()));
const keys = allCases.map(caseKey);

describe('coverage', () => {
  it('every spec item has a contract case and every case names a spec item', () => {
    const report = compareCoverage(items, keys);
    expect(report, formatCoverage(report)).toEqual({ missing: [], unknown: [] });
  });

  // One line per item, so a gap names itself in the test output.
  it.each(items.map((i) => [i.key, i] as const))('spec item %s has a case', (_key, item) => {
    expect(keys.some((k) => covers(k, item.key))).toBe(true);
  });
});
