import type { Tier } from '../../schedules/actions';
import type { Tree } from '../../tree/types';

/**
 * Stored states of one tier, keyed by step. Callers (the sweep) check that a step is
 * stored before load/drop and not stored before save; stores trust them.
 */
export interface SnapshotStore {
  readonly tier: Tier;
  /** States held now. */
  readonly count: number;
  /** Bytes held now (what is also reported to the ledger). */
  readonly bytes: number;
  has(step: number): boolean;
  /** The stored steps, ascending (for error messages). */
  steps(): number[];
  /** Keeps a copy of `state`: later changes to `state` do not reach the stored one. */
  save(step: number, state: Tree): void;
  /** A state equal to the stored one and independent of it (the stored copy stays). */
  load(step: number): Tree;
  drop(step: number): void;
  /** Drops everything and frees what the store holds; harmless to call twice. */
  close(): void;
}
