/**
 * How the examples run their time loops: checkpointed (any schedule of checkpointedLoop)
 * or 'unrolled', a plain for-loop that reverse mode tapes step by step. The unrolled
 * form is the reference the checkpointed gradients are checked against: it does not
 * touch the checkpointing engine at all.
 */
import { checkpointedLoop, type CheckpointedLoopOptions } from '@adjoint/runtime/checkpoint/index';
import type { Tree } from '@adjoint/runtime/tree/types';

export type LoopMode = CheckpointedLoopOptions | 'unrolled';

export function runLoop<S extends Tree>(step: (state: S, i: number) => S, init: S, steps: number, mode: LoopMode): S {
  if (mode !== 'unrolled') return checkpointedLoop(step, init, steps, mode);
  let state = init;
  for (let i = 0; i < steps; i++) state = step(state, i);
  return state;
}
