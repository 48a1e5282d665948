/**
 * Snapshots as checksummed binary files (tree/serialize.ts) in a private directory,
 * created with mkdtemp inside `dir` (default: the OS temp directory) on the first
 * save and removed by close(), or by the cleanup guard if the process is interrupted.
 * Bytes held are the files' sizes, counted in the ledger's snapshotsDisk.
 */
import { mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Tree } from '../../tree/types';
import { deserializeTree, serializeTree, TreeDecodeError } from '../../tree/serialize';
import { ledger } from '../../memory/ledger';
import { SnapshotError } from '../errors';
import { registerTempDir, removeTempDir } from './cleanup';
import type { SnapshotStore } from './store';

export const TEMP_DIR_PREFIX = 'adjoint-snapshots-';

export class DiskStore implements SnapshotStore {
  readonly tier = 'disk' as const;
  private readonly parent: string;
  private directory: string | undefined;
  private readonly held = new Map<number, number>();
  private heldBytes = 0;

  constructor(options: { dir?: string } = {}) {
    this.parent = options.dir ?? tmpdir();
  }

  /** The private directory, once the first save created it. */
  get dir(): string | undefined {
    return this.directory;
  }

  get count(): number {
    return this.held.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  has(step: number): boolean {
    return this.held.has(step);
  }

  steps(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** Where step `step` is (or would be) stored. */
  fileOf(step: number): string {
    return join(this.directory ?? join(this.parent, `${TEMP_DIR_PREFIX}XXXXXX`), `step-${step}.snap`);
  }

  save(step: number, state: Tree): void {
    const dir = this.openDir(step);
    const file = join(dir, `step-${step}.snap`);
    const bytes = serializeTree(state);
    try {
      writeFileSync(file, bytes);
    } catch (cause) {
      throw new SnapshotError(step, file, `could not be written: ${(cause as Error).message}`, { cause });
    }
    this.held.set(step, bytes.length);
    this.heldBytes += bytes.length;
    ledger.add('snapshotsDisk', bytes.length);
  }

  load(step: number): Tree {
    const file = this.fileOf(step);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'is missing: the file was deleted' : `could not be read: ${(cause as Error).message}`;
      throw new SnapshotError(step, file, problem, { cause });
    }
    try {
      return deserializeTree(bytes);
    } catch (cause) {
      if (cause instanceof TreeDecodeError) throw new SnapshotError(step, file, `is corrupted: ${cause.message}`, { cause });
      throw cause;
    }
  }

  drop(step: number): void {
    const size = this.held.get(step);
    if (size === undefined) throw new Error(`DiskStore: step ${step} is not stored`);
    // A file that vanished is freed all the same; only reading it back must fail.
    try {
      unlinkSync(this.fileOf(step));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw new SnapshotError(step, this.fileOf(step), `could not be deleted: ${(cause as Error).message}`, { cause });
    }
    this.forget(step, size);
  }

  close(): void {
    for (const [step, size] of [...this.held]) this.forget(step, size);
    if (this.directory) {
      const dir = this.directory;
      this.directory = undefined;
      removeTempDir(dir);
    }
  }

  private forget(step: number, size: number): void {
    this.held.delete(step);
    this.heldBytes -= size;
    ledger.sub('snapshotsDisk', size);
  }

  private openDir(step: number): string {
    if (this.directory) return this.directory;
    try {
      this.directory = mkdtempSync(join(this.parent, TEMP_DIR_PREFIX));
    } catch (cause) {
      throw new SnapshotError(step, this.fileOf(step), `could not be written: no private directory in ${this.parent}: ${(cause as Error).message}`, { cause });
    }
    registerTempDir(this.directory);
    return this.directory;
  }
}
