// The coverage comparison behind the meta-test: every spec item needs a case, and every case must name
// something the spec documents. Kept pure so the meta-test's own test can run it on modified spec copies.
import type { SpecItem } from './spec.js';

export interface CoverageReport {
  /** Spec items no case covers. */
  missing: SpecItem[];
  /** Case keys that name nothing in the spec (a removed status, a typo). */
  unknown: string[];
}

/** A case covers an item when its key is the item's key or a more specific key under it. */
export const covers = (caseKey: string, itemKey: string): boolean =>
  caseKey === itemKey || caseKey.startsWith(`${itemKey} `);

export function compareCoverage(items: readonly SpecItem[], caseKeys: readonly string[]): CoverageReport {
  const known = new Set(items.map((i) => i.key));
  return {
    missing: items.filter((item) => !caseKeys.some((k) => covers(k, item.key))),
    unknown: [...new Set(caseKeys.filter((k) => !known.has(k)))],
  };
}

export function formatCoverage(report: CoverageReport): string {
  const lines: string[] = [];
  if (report.missing.length) {
    lines.push('Spec items without a contract case:');
    for (const m of report.missing) lines.push(`  - ${m.kind.padEnd(10)} ${m.key}`);
  }
  if (report.unknown.length) {
    lines.push('Contract cases for things the spec does not document:');
    for (const k of report.unknown) lines.push(`  - ${k}`);
  }
  return lines.join('\n');
}
