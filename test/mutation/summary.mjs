// The mutation score per module from StrykerJS's incremental file: `node test/mutation/summary.mjs` (a table),
// `--survivors [src/x.ts]` (where each survivor is and what it changed).
// With `--merge a.json b.json`, first merges the results of runs over other modules (e.g. one run per module
// on a loaded machine) into test/mutation/stryker-incremental.json, so the next `npm run test:mutation` reuses
// them all. Test ids are numbers local to each report, so they are remapped by test file and name.
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = 'test/mutation/stryker-incremental.json';
const BARS = { 'src/checks.ts': 92, 'src/errors.ts': 92, 'src/transport.ts': 92 };
const DEFAULT_BAR = 90;

const args = process.argv.slice(2);
if (args[0] === '--merge')
  writeFileSync(FILE, `${JSON.stringify(merge([FILE, ...args.slice(1)]), null, 2)}\n`);
const report = JSON.parse(readFileSync(FILE, 'utf8'));
console.log(args[0] === '--survivors' ? survivors(report, args[1]) : table(report));

/** Where each surviving (or uncovered) mutant is, and what it changed: `--survivors [src/x.ts]`. */
function survivors(report, only) {
  const lines = [];
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    if (only && file !== only) continue;
    const text = source.split('\n');
    for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
      const { line, column } = m.location.start;
      lines.push(
        `${file}:${line}:${column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`,
      );
      lines.push(`    ${text[line - 1]?.trim()}`);
    }
  }
  return lines.join('\n');
}

function merge(paths) {
  const reports = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')));
  const out = { ...reports[0], files: {}, testFiles: {} };
  const ids = new Map(); // "file\0name" → merged id
  for (const report of reports) {
    const local = new Map(); // this report's id → merged id
    for (const [file, { tests, ...rest }] of Object.entries(report.testFiles ?? {})) {
      out.testFiles[file] ??= { ...rest, tests: [] };
      for (const test of tests) {
        const key = `${file}\0${test.name}`;
        if (!ids.has(key)) {
          ids.set(key, String(ids.size));
          out.testFiles[file].tests.push({ ...test, id: ids.get(key) });
        }
        local.set(test.id, ids.get(key));
      }
    }
    const remap = (list) => list?.map((id) => local.get(id) ?? id);
    for (const [file, result] of Object.entries(report.files)) {
      out.files[file] = {
        ...result,
        mutants: result.mutants.map((m) => ({
          ...m,
          coveredBy: remap(m.coveredBy),
          killedBy: remap(m.killedBy),
        })),
      };
    }
  }
  return out;
}

function table(report) {
  const rows = ['| module | mutants | killed | timeout | survived | no coverage | ignored | score | bar |'];
  rows.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [file, { mutants }] of Object.entries(report.files).sort()) {
    const n = (status) => mutants.filter((m) => m.status === status).length;
    const detected = n('Killed') + n('Timeout');
    const valid = detected + n('Survived') + n('NoCoverage');
    const score = valid ? (100 * detected) / valid : 100;
    const bar = BARS[file] ?? DEFAULT_BAR;
    rows.push(
      `| ${file} | ${mutants.length} | ${n('Killed')} | ${n('Timeout')} | ${n('Survived')} | ${n('NoCoverage')} | ${n('Ignored')} | ${score.toFixed(1)} % | ${bar} % ${score >= bar ? '✓' : '✗'} |`,
    );
  }
  return rows.join('\n');
}
