/**
 * All-or-nothing output: a run's files (plots, the optimized problem) appear
 * together or not at all. Each file is first written in full to a temporary name
 * beside its target, then renamed over it (a rename within a directory is atomic);
 * if anything fails, the temporaries are removed, files already replaced get their
 * previous versions back, and a directory this call created is removed again.
 * Everything is synchronous, so no signal handler or other task can observe or
 * interrupt a half-done set between two JavaScript statements.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OutputFile {
  /** File name inside the output directory (no separators). */
  readonly name: string;
  readonly data: string | Uint8Array;
}

const TEMP_MARK = '.gmmnlse-tmp-';

function tempName(target: string, role: 'new' | 'old'): string {
  return path.join(path.dirname(target), `${TEMP_MARK}${role}-${process.pid}-${Math.random().toString(36).slice(2, 10)}-${path.basename(target)}`);
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // best effort: the original error is the one to report
  }
}

/** The topmost directory on the way to `dir` that does not exist yet, if any. */
function firstMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing = d;
  return missing;
}

/** Writes one file atomically (temporary + rename); on failure no temporary is left. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  writeOutputs(path.dirname(target), [{ name: path.basename(target), data }]);
}

/** Writes all files into `dir` or, on any failure, none of them (see the module comment). Returns their paths. */
export function writeOutputs(dir: string, files: readonly OutputFile[]): string[] {
  const names = new Set<string>();
  for (const { name } of files) {
    if (name === '' || name !== path.basename(name) || name.startsWith(TEMP_MARK)) throw new Error(`writeOutputs: "${name}" is not a plain file name`);
    if (names.has(name)) throw new Error(`writeOutputs: "${name}" is given twice`);
    names.add(name);
    const target = path.resolve(dir, name);
    if (fs.existsSync(target) && !fs.statSync(target).isFile()) throw new Error(`writeOutputs: ${target} exists and is not a file`);
  }
  const created = firstMissing(dir);
  const written: { target: string; temp: string; backup?: string; placed: boolean }[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const { name, data } of files) {
      const target = path.resolve(dir, name);
      const entry = { target, temp: tempName(target, 'new'), placed: false };
      written.push(entry);
      fs.writeFileSync(entry.temp, data, { flag: 'wx' });
    }
    for (const entry of written) {
      if (fs.existsSync(entry.target)) {
        const backup = tempName(entry.target, 'old');
        fs.renameSync(entry.target, backup);
        Object.assign(entry, { backup });
      }
      fs.renameSync(entry.temp, entry.target);
      entry.placed = true;
    }
  } catch (error) {
    for (const entry of written.reverse()) {
      if (entry.placed) removeQuietly(entry.target);
      else removeQuietly(entry.temp);
      if (entry.backup !== undefined) {
        try {
          fs.renameSync(entry.backup, entry.target);
        } catch {
          // the backup stays under its temporary name rather than being lost
        }
      }
    }
    if (created !== undefined) fs.rmSync(created, { recursive: true, force: true });
    throw error;
  }
  for (const entry of written) if (entry.backup !== undefined) removeQuietly(entry.backup);
  return written.map((entry) => entry.target);
}
