// Builds the per-operation summary of a contract run: for each operation of the spec and each target
// (mock, negative, proxy, live), which statuses passed, failed or were skipped, and which documented statuses
// have no case. Pure, so the reporter stays a thin adapter.
import { type OpenApiDoc, operations } from '../lib/spec.js';

export type Outcome = 'passed' | 'failed' | 'skipped';
export interface TestOutcome {
  /** The top-level suite's first word: mock, negative, proxy, live. */
  target: string;
  /** The case key from the test name's `[...]` prefix. */
  key: string;
  outcome: Outcome;
}

export interface TargetInfo {
  name: string;
  describe: string;
}

const MARK: Record<Outcome, string> = { passed: '✓', failed: '✗', skipped: '–' };
const ORDER = ['mock', 'negative', 'proxy', 'live'];

/** The key of a test named `[key] what it asserts`, or undefined. */
export const keyOfName = (name: string): string | undefined => /^\[([^\]]+)\]/.exec(name)?.[1];

export function summarize(
  spec: OpenApiDoc,
  tests: readonly TestOutcome[],
  targets: readonly TargetInfo[],
): string {
  const lines: string[] = [];
  const width = Math.max(...ORDER.map((t) => t.length));
  lines.push('Contract summary: per operation, the statuses each target exercised');
  for (const t of targets) lines.push(`  ${t.name.padEnd(width)}  ${t.describe}`);
  lines.push('');
  for (const op of operations(spec)) {
    const route = op.kind === 'webhook' ? `webhook ${op.path}` : `${op.method.toUpperCase()} ${op.path}`;
    lines.push(`${op.operationId}  (${route})`);
    const documented = Object.keys((op.operation.responses as Record<string, unknown> | undefined) ?? {});
    const mine = tests.filter((t) => t.key.split(' ')[0] === op.operationId);
    const targetsSeen = [...new Set(mine.map((t) => t.target))].sort((a, b) => rank(a) - rank(b));
    for (const target of new Set(['mock', ...targetsSeen])) {
      const ofTarget = mine.filter((t) => t.target === target);
      const statuses = new Map<string, TestOutcome[]>();
      // The mock row lists every documented status, so a status without a case shows as `·`.
      if (target === 'mock') for (const s of documented) statuses.set(s, []);
      for (const t of ofTarget) {
        const status = t.key.split(' ')[1] ?? '*';
        statuses.set(status, [...(statuses.get(status) ?? []), t]);
      }
      const cells = [...statuses].map(([status, ts]) => `${status} ${cell(ts)}`);
      lines.push(`  ${target.padEnd(width)}  ${cells.join('  ')}`);
    }
  }
  const count = (o: Outcome) => tests.filter((t) => t.outcome === o).length;
  lines.push('');
  lines.push(`✓ passed  ✗ failed  – skipped  · documented, no case  (×n: n cases)`);
  lines.push(
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped contract cases`,
  );
  return lines.join('\n');
}

function cell(tests: readonly TestOutcome[]): string {
  if (tests.length === 0) return '·';
  const outcome: Outcome = tests.some((t) => t.outcome === 'failed')
    ? 'failed'
    : tests.every((t) => t.outcome === 'skipped')
      ? 'skipped'
      : 'passed';
  return `${MARK[outcome]}${tests.length > 1 ? `×${tests.length}` : ''}`;
}

const rank = (target: string) => (ORDER.includes(target) ? ORDER.indexOf(target) : ORDER.length);
