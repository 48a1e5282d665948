/**
 * CheckpointGroup (the Rust seed's name): several checkpointed functions that share
 * options and counters, e.g. the blocks of one model. Each checkpointFn call is a
 * checkpoint(fn)(...inputs); the group counts calls and recomputations for all of them.
 */
import type { Tree } from '../tree/types';
import { CHECKPOINT_OPTION_KEYS, checkpointCounted, type CheckpointCounters, type CheckpointOptions } from './checkpoint';
import { checkOptionKeys } from './inputs';

export class CheckpointGroup {
  readonly counters: CheckpointCounters = { calls: 0, recomputations: 0 };

  constructor(private readonly options: CheckpointOptions = {}) {
    checkOptionKeys(options, CHECKPOINT_OPTION_KEYS, 'CheckpointGroup');
  }

  /** fn(...inputs) with fn checkpointed; fn may return several outputs as a tuple or an object. */
  checkpointFn<A extends unknown[], R extends Tree>(inputs: A, fn: (...inputs: A) => R): R {
    if (!Array.isArray(inputs)) throw new TypeError(`CheckpointGroup.checkpointFn: inputs must be an array of arguments, got ${typeof inputs}`);
    return checkpointCounted(fn, this.options, this.counters)(...inputs);
  }
}
