// `npm run spec:diff -- <old> <new> [--json] [--fail-on <level>]` as a function (scripts/spec-diff.ts runs it;
// the tests call it in-process). Each document is a file (JSON or YAML) or `git:<ref>:<path>`. Markdown, or
// the JSON report with --json. Exit code 1 when the new document has an error (a $ref to nothing) or a
// change reaches the --fail-on level; 2 for a usage or read error.
import { parseArgs } from 'node:util';
import { StageError } from './pipeline.js';
import { diffSpecs, formatReport, LEVELS, type Level, reportJson } from './spec-diff.js';
import { parseSpec, readSource } from './spec-source.js';

export const USAGE =
  'Usage: npm run spec:diff -- <old> <new> [--json] [--fail-on breaking|potentially-breaking]\n' +
  '  <old>, <new>: a file (JSON or YAML) or git:<ref>:<path>, e.g. git:HEAD~1:openapi/handwriting-ocr.v3.json';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'fail-on': { type: 'string' } },
  });
}

/** Runs the command; `cwd` is where relative paths are read and git runs. Usage and read errors: code 2. */
export async function specDiffCommand(args: string[], cwd: string): Promise<CommandResult> {
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new StageError('usage', `${(err as Error).message}\n${USAGE}`, 'Name two documents.');
    }
    const { positionals, values } = parsed;
    const failOn = values['fail-on'] as Level | undefined;
    if (positionals.length !== 2 || (failOn !== undefined && !LEVELS.includes(failOn))) {
      throw new StageError('usage', USAGE, 'Name two documents.');
    }
    const [from, to] = positionals as [string, string];
    const before = parseSpec(await readSource(from, cwd), from, true);
    const after = parseSpec(await readSource(to, cwd), to, true);
    const diff = diffSpecs(before, after);
    const opts = { title: 'Client-facing changes', fromLabel: from, toLabel: to };
    const stdout = values.json
      ? `${JSON.stringify(reportJson(diff, opts), null, 2)}\n`
      : formatReport(diff, opts);
    const broken = diff.problems.some((p) => p.document === 'new' && p.severity === 'error');
    const limit = failOn === undefined ? -1 : LEVELS.indexOf(failOn);
    const tooMuch = diff.changes.some((c) => LEVELS.indexOf(c.level) <= limit);
    return { code: broken || tooMuch ? 1 : 0, stdout, stderr: '' };
  } catch (err) {
    if (!(err instanceof StageError)) throw err;
    return { code: 2, stdout: '', stderr: `✖ ${err.message}\n→ ${err.hint}\n` };
  }
}
