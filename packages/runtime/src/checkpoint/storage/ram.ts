/**
 * Snapshots in host memory, counted in the ledger's snapshotsRam. A stored state shares
 * its tensors (they are immutable): their buffers leave the ledger's live 'tensors' while
 * the snapshot holds them, so they are counted once.
 */
import type { Tree } from '../../tree/types';
import { snapshotCopy } from '../../tree/copy';
import { treeBytes } from '../../tree/bytes';
import { flatten } from '../../tree/flatten';
import { ledger } from '../../memory/ledger';
import { claimTensorData, releaseTensorData, tensorDataCounted } from '../../memory/tensors';
import { Storage, Tensor } from '../../tensor/tensor';
import type { SnapshotStore } from './store';

interface Held {
  state: Tree;
  bytes: number;
  /** Data of the state's tensors that the ledger counted as live tensors. */
  claimed: Storage[];
}

function claimTensors(state: Tree): Storage[] {
  const claimed: Storage[] = [];
  if (!tensorDataCounted()) return claimed;
  for (const leaf of flatten(state).leaves) {
    if (leaf instanceof Tensor && claimTensorData(leaf._data)) claimed.push(leaf._data);
  }
  return claimed;
}

export class RamStore implements SnapshotStore {
  readonly tier = 'ram' as const;
  private readonly held = new Map<number, Held>();
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
    const stored = snapshotCopy(state);
    this.held.set(step, { state: stored, bytes, claimed: claimTensors(stored) });
    this.heldBytes += bytes;
    ledger.add('snapshotsRam', bytes);
  }

  /** A copy again: the step that receives it may mutate it, and the stored state must survive. */
  load(step: number): Tree {
    return snapshotCopy(this.entry(step).state);
  }

  drop(step: number): void {
    const { bytes, claimed } = this.entry(step);
    this.held.delete(step);
    this.heldBytes -= bytes;
    ledger.sub('snapshotsRam', bytes);
    for (const data of claimed) releaseTensorData(data);
  }

  close(): void {
    for (const step of [...this.held.keys()]) this.drop(step);
  }

  private entry(step: number): Held {
    const entry = this.held.get(step);
    if (!entry) throw new Error(`RamStore: step ${step} is not stored`);
    return entry;
  }
}
