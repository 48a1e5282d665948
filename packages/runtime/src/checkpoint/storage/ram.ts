/** Snapshots in host memory, counted in the ledger's snapshotsRam. */
import type { Tree } from '../../tree/types';
import { snapshotCopy } from '../../tree/copy';
import { treeBytes } from '../../tree/bytes';
import { ledger } from '../../memory/ledger';
import type { SnapshotStore } from './store';

export class RamStore implements SnapshotStore {
  readonly tier = 'ram' as const;
  private readonly held = new Map<number, { state: Tree; bytes: number }>();
  private heldBytes = 0;

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

  save(step: number, state: Tree): void {
    const bytes = treeBytes(state);
    this.held.set(step, { state: snapshotCopy(state), bytes });
    this.heldBytes += bytes;
    ledger.add('snapshotsRam', bytes);
  }

  /** A copy again: the step that receives it may mutate it, and the stored state must survive. */
  load(step: number): Tree {
    return snapshotCopy(this.entry(step).state);
  }

  drop(step: number): void {
    const { bytes } = this.entry(step);
    this.held.delete(step);
    this.heldBytes -= bytes;
    ledger.sub('snapshotsRam', bytes);
  }

  close(): void {
    for (const step of [...this.held.keys()]) this.drop(step);
  }

  private entry(step: number): { state: Tree; bytes: number } {
    const entry = this.held.get(step);
    if (!entry) throw new Error(`RamStore: step ${step} is not stored`);
    return entry;
  }
}
