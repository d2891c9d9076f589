// `npm run spec:diff`, in-process: files (JSON and YAML) and git revisions, Markdown and JSON, exit codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MERGED, ROOT, readJson } from '../../scripts/lib/pipeline.js';
import { specDiffCommand } from '../../scripts/lib/spec-diff-cli.js';

let dir: string;
// biome-ignore lint/suspicious/noExplicitAny: the fixtures edit known parts of the merged spec.
let merged: any;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hwocr-spec-diff-'));
  merged = await readJson(MERGED);
  const next = structuredClone(merged);
  next.components.schemas.DocumentStatus.enum.push('archived');
  await writeFile(join(dir, 'next.json'), JSON.stringify(next));
  // YAML is read too (a small document: parsing YAML is slow next to JSON).
  const small = {
    openapi: '3.1.0',
    info: { title: 'small', version: '1' },
    paths: { '/ping': { get: { responses: { '200': { description: 'Pong.' } } } } },
  };
  await writeFile(join(dir, 'small.yaml'), stringify(small));
  small.paths['/ping'].get.responses['200'].description = 'Pong, in other words.';
  await writeFile(join(dir, 'small.json'), JSON.stringify(small));
  const optionalOnly = structuredClone(merged);
  optionalOnly.components.schemas.User.properties.plan = { type: 'string' };
  await writeFile(join(dir, 'optional.json'), JSON.stringify(optionalOnly));
  const broken = structuredClone(merged);
  broken.components.schemas.User.properties.plan = { $ref: '#/components/schemas/Plan' };
  await writeFile(join(dir, 'broken.json'), JSON.stringify(broken));
  await writeFile(join(dir, 'not-openapi.json'), '{"swagger": "2.0"}');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('spec:diff', () => {
  it('compares a git revision with a file and prints the Markdown report', async () => {
    // git runs in the directory given (the repository here); relative paths are read from there too.
    const next = join(dir, 'next.json');
    const { code, stdout, stderr } = await specDiffCommand([`git:HEAD:${MERGED}`, next], ROOT);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Comparing \`git:HEAD:${MERGED}\` → \`${next}\`.`);
    expect(stdout).toContain("- [enum-value-added] DocumentStatus — enum value 'archived' added");
    expect(stdout).toContain('Suggested version bump: **major**');
  });

  it('reads YAML as well as JSON', async () => {
    const { code, stdout } = await specDiffCommand(['small.yaml', 'small.json'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('No client-visible changes.');
  });

  it('prints the JSON report with --json, and fails on the --fail-on level', async () => {
    const ok = await specDiffCommand(
      [join(ROOT, MERGED), 'optional.json', '--json', '--fail-on', 'breaking'],
      dir,
    );
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.bump).toBe('minor');
    expect(report.changes).toMatchObject([{ category: 'response-property-added', level: 'non-breaking' }]);
    const strict = await specDiffCommand([join(ROOT, MERGED), 'next.json', '--fail-on', 'breaking'], dir);
    expect(strict.code).toBe(1);
  });

  it('exits 1 when the new document has a $ref to nothing', async () => {
    const { code, stdout } = await specDiffCommand([join(ROOT, MERGED), 'broken.json'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '- **error** [ref-missing] new document: $ref #/components/schemas/Plan points to nothing',
    );
  });

  it('exits 2 with a clear message on bad usage or an unreadable document', async () => {
    const cases = [
      [['only-one.json'], 'Usage: npm run spec:diff'],
      [['a.json', 'b.json', '--fail-on', 'sometimes'], 'Usage: npm run spec:diff'],
      [['missing.json', 'next.json'], `Cannot read ${join(dir, 'missing.json')}`],
      [['git:no-such-ref:x.json', 'next.json'], 'Cannot read git:no-such-ref:x.json'],
      [['not-openapi.json', 'next.json'], 'not-openapi.json is not an OpenAPI 3.x document'],
    ] as const;
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await specDiffCommand([...args], dir);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(message);
    }
  });
});
