// `npm run spec:update -- <new-upstream.json>`: from a new vendor spec to a reviewed, regenerated client.
//   1. replaces openapi/handwriting-ocr.v3.upstream.json (the previous one stays reachable in git);
//   2. reports what changed, upstream and merged, each change classified by level and direction for a
//      client (reports/spec-update.md, and reports/spec-update.json for CI bots);
//   3. re-applies the overlay, reporting actions that no longer match or that upstream now makes redundant;
//   4. regenerates, type-checks src/ against the new types, runs the contract suite on the new mock, and
//      suggests the semver bump.
// It never leaves the repo half-updated: on any failure the previous spec and generated files are restored.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { readOverlay } from './lib/overlay.js';
import { formatOverlayDrift, overlayDrift } from './lib/overlay-drift.js';
import {
  build,
  GENERATED,
  listFiles,
  MERGED,
  merge,
  OVERLAY,
  ROOT,
  readJson,
  StageError,
  stage,
  typecheck,
  UPSTREAM,
  writeOutput,
} from './lib/pipeline.js';
import { diffSpecs, formatReport, reportJson, type SpecDiff, suggestBump } from './lib/spec-diff.js';
import { parseSpec } from './lib/spec-source.js';

const run = promisify(execFile);
const REPORT = 'reports/spec-update.md';
const JSON_REPORT = 'reports/spec-update.json';

/** The files an update may touch, with their current content (null: did not exist). */
async function snapshot(): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  for (const path of [UPSTREAM, MERGED, ...(await listFiles(GENERATED))]) {
    files.set(path, await readFile(join(ROOT, path), 'utf8').catch(() => null));
  }
  return files;
}

async function restore(saved: Map<string, string | null>): Promise<void> {
  for (const path of await listFiles(GENERATED)) if (!saved.has(path)) await rm(join(ROOT, path));
  for (const [path, content] of saved) {
    if (content === null) await rm(join(ROOT, path), { force: true });
    else {
      await mkdir(dirname(join(ROOT, path)), { recursive: true });
      await writeFile(join(ROOT, path), content);
    }
  }
}

const label = (doc: Record<string, unknown>, fallback: string) =>
  `${fallback} (info.version ${String((doc.info as { version?: unknown } | undefined)?.version ?? '?')})`;

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  const given = positionals[0];
  if (!given || positionals.length > 1) {
    throw new StageError(
      'usage',
      'Usage: npm run spec:update -- <path-to-new-upstream-spec.json>',
      'Name one file.',
    );
  }
  // npm runs scripts from the package root; resolve the path from where the user typed the command.
  const source = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  const text = await readFile(source, 'utf8').catch(() => {
    throw new StageError('read', `Cannot read ${source}.`, 'Check the path.');
  });
  const next = parseSpec(text, source);
  const previousText = await readFile(join(ROOT, UPSTREAM), 'utf8');
  if (previousText === text) {
    console.log(`${UPSTREAM} is already this document; nothing to do.`);
    return;
  }
  const previous = JSON.parse(previousText) as Record<string, unknown>;
  const previousMerged = await readJson(MERGED);

  const report: string[] = [];
  const json: Record<string, unknown> = {};
  const saved = await snapshot();
  let changes: SpecDiff['changes'] = [];
  try {
    const upstreamDiff = await stage(
      'diff upstream',
      async () => diffSpecs(previous, next),
      (d) => `${d.changes.length} changes, ${d.problems.length} problems`,
    );
    const upstreamOpts = {
      title: 'Upstream changes',
      fromLabel: label(previous, `git HEAD:${UPSTREAM}`),
      toLabel: label(next, given),
    };
    report.push(formatReport(upstreamDiff, upstreamOpts));
    json.upstream = reportJson(upstreamDiff, upstreamOpts);
    const drift = await stage(
      'overlay drift',
      async () => overlayDrift(next, await readOverlay(join(ROOT, OVERLAY))),
      (d) => `${d.unmatched.length} unmatched, ${d.redundant.length} redundant`,
    );
    report.push(formatOverlayDrift(drift, 'Overlay drift'));
    json.overlayDrift = drift;

    await stage('replace upstream', () => writeFile(join(ROOT, UPSTREAM), text));
    const merged = await stage('apply overlay', () => merge());
    const mergedDiff = diffSpecs(previousMerged, merged);
    changes = mergedDiff.changes;
    const mergedOpts = {
      title: 'Client-facing changes (merged document)',
      fromLabel: `git HEAD:${MERGED}`,
      toLabel: `${MERGED} (regenerated)`,
    };
    report.unshift(formatReport(mergedDiff, mergedOpts));
    json.merged = reportJson(mergedDiff, mergedOpts);
    // The upstream may have a broken $ref that the overlay repairs; one left in the merged document is fatal.
    const broken = mergedDiff.problems.filter((p) => p.document === 'new' && p.severity === 'error');
    if (broken.length > 0) {
      throw new StageError(
        'check merged',
        broken.map((p) => `${p.message} (at ${p.at.join(', ')})`).join('\n'),
        'Fix the $ref upstream or add the missing component in openapi/overlay.yaml, then run the update again.',
      );
    }

    const files = await build(merged);
    await stage('write', () => writeOutput(files));
    await stage('typecheck src/', () => typecheck());
    await stage('contract suite', async () => {
      try {
        await run(join(ROOT, 'node_modules/.bin/vitest'), ['run', '--project', 'contract'], {
          cwd: ROOT,
          maxBuffer: 64 * 1024 * 1024,
        });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new StageError(
          'contract suite',
          `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n'),
          'The SDK or its contract cases no longer match the new document; fix them, then run the update again.',
        );
      }
    });
  } catch (err) {
    await restore(saved);
    await writeReport(report, json);
    throw err;
  }
  await writeReport(report, json);
  console.log(
    `\nSuggested version bump: ${suggestBump(changes)}. Review ${REPORT}, then commit openapi/ and generated/.`,
  );
}

/** The Markdown report (printed too) and the same content as JSON for CI bots. */
async function writeReport(sections: string[], json: Record<string, unknown>): Promise<void> {
  if (sections.length === 0) return;
  const text = sections.join('\n');
  await mkdir(join(ROOT, dirname(REPORT)), { recursive: true });
  await writeFile(join(ROOT, REPORT), text);
  await writeFile(join(ROOT, JSON_REPORT), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\n${text}`);
}

main().catch((err: unknown) => {
  if (err instanceof StageError) {
    console.error(`\n✖ ${err.stage} failed\n${err.message}\n\n→ ${err.hint}`);
    if (err.stage !== 'usage' && err.stage !== 'read') {
      console.error(`The previous spec and generated files were restored; ${UPSTREAM} is unchanged.`);
    }
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
