// The two forms of a diff: Markdown for people (by level, then by operation or shared schema, one line per
// change with its reason and direction) and JSON for CI bots (the same changes, every place listed).
import {
  type Bump,
  type Category,
  type DocumentProblem,
  LEVELS,
  type Level,
  type SpecChange,
  type SpecDiff,
  sortChanges,
} from './spec-diff-model.js';

export interface ReportOptions {
  title: string;
  fromLabel: string;
  toLabel: string;
}

// Non-breaking changes that only take something away (a documented error, a value the server no longer
// sends, a narrower range) give clients nothing new to use: a patch. Anything else non-breaking adds
// capability, and a potentially breaking change deserves more than a patch: a minor.
const SUBTRACTIVE = new Set<Category>([
  'status-code-removed',
  'enum-value-removed',
  'response-property-type-changed',
  'constraint-tightened',
  'format-changed',
]);

export function suggestBump(changes: readonly SpecChange[]): Bump {
  if (changes.some((c) => c.level === 'breaking')) return 'major';
  if (changes.some((c) => c.level === 'potentially-breaking')) return 'minor';
  if (changes.some((c) => c.level === 'non-breaking' && !SUBTRACTIVE.has(c.category))) return 'minor';
  return 'patch';
}

const HEADINGS: Record<Level, string> = {
  breaking: 'Breaking',
  'potentially-breaking': 'Potentially breaking',
  'non-breaking': 'Non-breaking',
  notice: 'Notices',
};

const DIRECTION = { sends: 'client sends', receives: 'client receives' } as const;

/** `GET /documents, GET /documents/{id} ×3`: where a shared schema is used, one entry per operation. */
function usedBy(c: SpecChange): string {
  const count = new Map<string, number>();
  for (const p of c.usedBy ?? []) count.set(p.operation, (count.get(p.operation) ?? 0) + 1);
  return [...count].map(([op, n]) => (n > 1 ? `${op} ×${n}` : op)).join(', ');
}

function line(c: SpecChange): string {
  const where = c.usedBy ? ` · used by ${usedBy(c)}` : '';
  return `- [${c.category}] ${c.location} — ${c.message} _(${DIRECTION[c.direction]})_${where}`;
}

function heading(c: SpecChange): string {
  if (c.operation !== undefined) return c.operation;
  if (c.schema === undefined) return 'Document-wide';
  return c.schema.startsWith('header ') ? `Shared ${c.schema}` : `Schema ${c.schema}`;
}

/** Changes under one heading per operation or shared schema, in the order given. */
function section(changes: SpecChange[]): string[] {
  if (changes.length === 0) return ['_None._', ''];
  const groups = new Map<string, SpecChange[]>();
  for (const c of changes) groups.set(heading(c), [...(groups.get(heading(c)) ?? []), c]);
  const lines: string[] = [];
  for (const [group, items] of groups) lines.push(`### ${group}`, '', ...items.map(line), '');
  return lines;
}

const MAX_POINTERS = 3;

function problemLine(p: DocumentProblem): string {
  const more = p.at.length > MAX_POINTERS ? ` (and ${p.at.length - MAX_POINTERS} more)` : '';
  const at = p.at.slice(0, MAX_POINTERS).join(', ');
  return `- **${p.severity}** [${p.category}] ${p.document} document: ${p.message} — at ${at}${more}`;
}

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The Markdown report: header, counts, suggested bump, problems, then the changes level by level. */
export function formatReport(diff: SpecDiff, opts: ReportOptions): string {
  const { problems } = diff;
  const changes = sortChanges(diff.changes);
  const byLevel = (level: Level) => changes.filter((c) => c.level === level);
  const summary = LEVELS.map((l) =>
    l === 'notice'
      ? counted(byLevel(l).length, 'notice')
      : `${byLevel(l).length} ${HEADINGS[l].toLowerCase()}`,
  ).join(', ');
  const errors = problems.filter((p) => p.severity === 'error').length;
  const lines = [
    `# ${opts.title}`,
    '',
    `Comparing \`${opts.fromLabel}\` → \`${opts.toLabel}\`.`,
    '',
    changes.length === 0 ? 'No client-visible changes.' : `${counted(changes.length, 'change')}: ${summary}.`,
    '',
    `Suggested version bump: **${suggestBump(changes)}**`,
    '',
  ];
  if (problems.length > 0) {
    lines.push(
      `## Problems in the documents (${counted(errors, 'error')}, ${counted(problems.length - errors, 'warning')})`,
      '',
      ...problems.map(problemLine),
      '',
    );
  }
  for (const level of LEVELS) {
    const these = byLevel(level);
    lines.push(`## ${HEADINGS[level]} (${these.length})`, '', ...section(these));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export interface JsonReport {
  title: string;
  from: string;
  to: string;
  bump: Bump;
  counts: Record<Level, number> & { errors: number; warnings: number };
  changes: SpecChange[];
  problems: DocumentProblem[];
}

/** The JSON report: the same content, every place of a shared-schema change listed in `usedBy`. */
export function reportJson(diff: SpecDiff, opts: ReportOptions): JsonReport {
  const { changes, problems } = diff;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const counts = Object.fromEntries(LEVELS.map((l) => [l, changes.filter((c) => c.level === l).length]));
  return {
    title: opts.title,
    from: opts.fromLabel,
    to: opts.toLabel,
    bump: suggestBump(changes),
    counts: { ...(counts as Record<Level, number>), errors, warnings: problems.length - errors },
    changes,
    problems,
  };
}
