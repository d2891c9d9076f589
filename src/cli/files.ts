// Local files: inputs and output places are checked before anything is uploaded (an upload costs credits).
// Results are written by the client's atomic downloadToFile (temp file + rename). The SDK's checks of each file
// are in ../batch/precheck.ts, shared with the batch runner.
import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { UsageError } from './io.js';

/** Fails with a usage error unless every input is a readable regular file. Returns absolute paths. */
export function checkInputs(files: readonly string[], cwd: string): string[] {
  return files.map((file) => {
    const path = resolve(cwd, file);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      throw new UsageError(`no such file: ${file}`);
    }
    if (!stats.isFile()) throw new UsageError(`not a file: ${file}`);
    return path;
  });
}

/** Whether `out` names a directory: it ends with a separator, or it exists as one. */
export function isDirectoryTarget(out: string, cwd: string): boolean {
  if (out.endsWith('/') || out.endsWith(sep)) return true;
  try {
    return statSync(resolve(cwd, out)).isDirectory();
  } catch {
    return false;
  }
}

/** Creates `dir` (and its parents) when missing; a usage error when that is impossible. */
export function ensureDirectory(dir: string, cwd: string): string {
  const path = resolve(cwd, dir);
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    throw new UsageError(
      `cannot create directory ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return path;
}

/** Fails with a usage error unless the directory that will hold `file` exists. */
export function checkParentDirectory(file: string, cwd: string): string {
  const path = resolve(cwd, file);
  let ok = false;
  try {
    ok = statSync(dirname(path)).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`directory of ${file} does not exist`);
  return path;
}

/** `dir/<input name without its extension>.<format>`, e.g. `out/note.txt` for `scans/note.png`. */
export function outputPathFor(input: string, dir: string, format: string): string {
  const name = basename(input);
  const stem = name.slice(0, name.length - extname(name).length) || name;
  return join(dir, `${stem}.${format}`);
}
