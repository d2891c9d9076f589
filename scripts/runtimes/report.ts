// The verdict on each row of the matrix, against the known failures, and the table the run prints.
import { KNOWN_FAILURES, type KnownFailure } from './known-failures.js';
import { STEPS } from './scenario.js';

/** One row of the table: a runtime (or a bundler check), its version, how it ran, what came out. */
export interface Row {
  runtime: string;
  version: string;
  variant: string;
  /** Failure messages: a failed step's `name: detail`, or what kept the row from running. Empty: passed. */
  failures: string[];
  /** Steps passed / run (scenario rows only). */
  passed?: number;
  ms: number;
}

/** A row's label, which known failures match: `<runtime> <variant>`. */
export const label = (row: Row): string => `${row.runtime} ${row.variant}`;

const knownFor = (row: Row, known: readonly KnownFailure[]) => known.filter((k) => k.row.test(label(row)));

/**
 * `pass`; `known` (every failure matches a known failure listed for the row); `xpass` (listed, but passes: the
 * entry must go); or `fail`.
 */
export function verdict(row: Row, known = KNOWN_FAILURES): 'pass' | 'known' | 'xpass' | 'fail' {
  const listed = knownFor(row, known);
  if (row.failures.length === 0) return listed.length ? 'xpass' : 'pass';
  return row.failures.every((f) => listed.some((k) => k.detail.test(f))) ? 'known' : 'fail';
}

/** The result column: the verdict, why for a known failure, and the steps passed. */
export function resultText(row: Row, known = KNOWN_FAILURES): string {
  const v = verdict(row, known);
  const count = row.passed === undefined ? '' : ` (${row.passed}/${STEPS.length} steps)`;
  if (v === 'pass') return `pass${count}`;
  if (v === 'xpass') return `pass${count}; listed in known-failures.ts: delete that entry`;
  if (v === 'fail') return `FAIL${count}`;
  const whys = knownFor(row, known).filter((k) => row.failures.some((f) => k.detail.test(f)));
  return `known failure: ${whys.map((k) => k.why).join('; ')}${count}`;
}

/** A Markdown table of the rows (the README keeps the last one printed). */
export function table(rows: readonly Row[], known = KNOWN_FAILURES): string {
  const cells = rows.map((r) => [r.runtime, r.version, r.variant, resultText(r, known)]);
  const header = ['runtime', 'version', 'how', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
