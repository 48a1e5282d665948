/**
 * What each example's command line shows: one checkpointed gradient with the engine's
 * own account of it (CheckpointProfiler), its agreement with the store-all gradient,
 * and the Taylor test's convergence orders.
 */
import { grad } from '@adjoint/runtime/autodiff/index';
import type { CheckpointedLoopOptions } from '@adjoint/runtime/checkpoint/index';
import { CheckpointProfiler, formatCheckpointReport } from '@adjoint/runtime/profile/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { flatten } from '@adjoint/runtime/tree/flatten';
import type { Tree } from '@adjoint/runtime/tree/types';
import { taylorTest, type TaylorOptions } from '@adjoint/runtime/verify/index';
import type { LoopMode } from './loop-modes';

/** max |a − b| / max |b| over every number of two trees of one structure. */
export function relativeDifference(a: Tree, b: Tree): number {
  const xs = flatten(a).leaves;
  const ys = flatten(b).leaves;
  let diff = 0;
  let scale = 0;
  xs.forEach((x, k) => {
    const u = typeof x === 'number' ? [x] : x instanceof Tensor ? x.data : x;
    const y = ys[k];
    const v = typeof y === 'number' ? [y] : y instanceof Tensor ? y.data : y;
    for (let i = 0; i < u.length; i++) {
      diff = Math.max(diff, Math.abs(u[i] - v[i]));
      scale = Math.max(scale, Math.abs(v[i]));
    }
  });
  return scale === 0 ? diff : diff / scale;
}

export function demoLines<P extends Tree>(loss: (mode: LoopMode) => (params: P) => Tensor, params: P, mode: CheckpointedLoopOptions, taylor: TaylorOptions = {}): string[] {
  const profiler = new CheckpointProfiler().start();
  let gradient: P;
  try {
    // @tape: the demo shows the checkpoint engine's own account of a gradient on the runtime tape
    gradient = grad(loss(mode))(params);
  } finally {
    profiler.stop();
  }
  // @tape: the reference gradient, store-all on the same tape
  const storeAll = grad(loss({ schedule: 'store-all' }))(params);
  const check = taylorTest(loss(mode), params, undefined, taylor);
  return [
    ...formatCheckpointReport(profiler.report()),
    `gradient vs store-all: max relative difference ${relativeDifference(gradient, storeAll).toExponential(2)}`,
    ...check.lines,
  ];
}
