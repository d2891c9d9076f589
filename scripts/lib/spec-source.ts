// Reading an OpenAPI document for the spec scripts: from a file, or from git (`git:<ref>:<path>`, e.g.
// `git:HEAD~3:openapi/handwriting-ocr.v3.json`), as JSON (or YAML where allowed).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { StageError } from './pipeline.js';
import type { OpenApiDoc } from './spec-diff-model.js';

const run = promisify(execFile);

/** Parses a document and checks it is OpenAPI 3.x; `label` names it in errors. */
export function parseSpec(text: string, label: string, yaml = false): OpenApiDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      if (!yaml) throw new Error('not JSON');
      doc = parseYaml(text);
    } catch {
      throw new StageError(
        'read',
        `${label} is not ${yaml ? 'JSON or YAML' : 'JSON'}.`,
        'Pass the OpenAPI document exactly as published.',
      );
    }
  }
  const version = (doc as { openapi?: unknown } | null)?.openapi;
  if (typeof version !== 'string' || !version.startsWith('3.')) {
    throw new StageError(
      'read',
      `${label} is not an OpenAPI 3.x document.`,
      'Pass an OpenAPI 3.0 or 3.1 document.',
    );
  }
  return doc as OpenApiDoc;
}

/** The text of `source`: `git:<ref>:<path>` is read with `git show` in `cwd`, anything else as a file path. */
export async function readSource(source: string, cwd: string): Promise<string> {
  const git = /^git:([^:]+):(.+)$/.exec(source);
  if (git) {
    const [, ref, path] = git as unknown as [string, string, string];
    try {
      // A path starting with ./ is relative to cwd; otherwise git reads it from the repository root.
      const { stdout } = await run('git', ['show', `${ref}:${path}`], { cwd, maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      const detail = String((err as { stderr?: string }).stderr ?? '')
        .trim()
        .replace(/\.$/, '');
      throw new StageError(
        'read',
        `Cannot read ${source}${detail ? `: ${detail}` : ''}.`,
        'Check the ref and the path (git:<ref>:<path>).',
      );
    }
  }
  const file = resolve(cwd, source);
  return readFile(file, 'utf8').catch(() => {
    throw new StageError('read', `Cannot read ${file}.`, 'Check the path.');
  });
}
