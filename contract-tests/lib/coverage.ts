// The coverage comparison behind the meta-test: every spec item needs a case, and every case must name
// something the spec documents. Kept pure so the meta-test's own test can run it on modified spec copies.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type SpecItem } from './spec.js';

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

const CASES_DIR = 'contract-tests/cases';

/**
 * The file that holds (or should hold) an operation's cases: `<operationId>.ts` when it exists, else the
 * case file that names the operation, else a new `<operationId>.ts`.
 */
export function caseFileFor(operationId: string, root = ROOT): { file: string; exists: boolean } {
  const dir = join(root, CASES_DIR);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts')
    .sort();
  const own = `${operationId}.ts`;
  const found =
    files.find((f) => f === own) ??
    files.find((f) => readFileSync(join(dir, f), 'utf8').includes(`'${operationId}'`));
  return { file: `${CASES_DIR}/${found ?? own}`, exists: found !== undefined };
}

/** What is wrong, grouped by the case file to edit; empty when coverage is complete. */
export function formatCoverage(report: CoverageReport, root = ROOT): string {
  const lines: string[] = [];
  const byFile = <T>(entries: readonly T[], operationOf: (e: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const entry of entries) {
      const { file, exists } = caseFileFor(operationOf(entry), root);
      const label = exists ? file : `${file} (a new file: list its cases in ${CASES_DIR}/index.ts)`;
      groups.set(label, [...(groups.get(label) ?? []), entry]);
    }
    return groups;
  };
  if (report.missing.length) {
    lines.push('Spec items without a contract case: add one for each, in the file named.');
    for (const [file, items] of byFile(report.missing, (m) => m.operationId)) {
      lines.push(`  ${file}`);
      for (const m of items) lines.push(`    - ${m.kind.padEnd(10)} ${m.key}`);
    }
  }
  if (report.unknown.length) {
    lines.push('Contract cases for things the spec does not document: remove or correct them.');
    for (const [file, keys] of byFile(report.unknown, (k) => k.split(' ')[0] ?? k)) {
      lines.push(`  ${file}`);
      for (const k of keys) lines.push(`    - ${k}`);
    }
  }
  return lines.join('\n');
}
