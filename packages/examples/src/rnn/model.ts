/**
 * An Elman RNN run over a long sequence: h_{t+1} = tanh(h_t·W + x_t·U + b), loss
 * ½‖h_n − target‖². The gradient with respect to (W, U, b) flows back through every
 * step, so reverse mode must either keep all n steps or recompute them: the example
 * that checkpointing is for (hidden size 512 and 1000 steps in the demo).
 */
import { add, matmul, mul, square, sub, sum, tanh, take } from '@adjoint/runtime/ops/index';
import { randn } from '@adjoint/runtime/random/index';
import type { Tensor } from '@adjoint/runtime/tensor/index';
import { type LoopMode, runLoop } from '../shared/loop-modes';

export interface RnnSize {
  hidden: number;
  steps: number;
  /** Input features per step (default 16). */
  inputs?: number;
  /** Seed of the weights and data (default 1). */
  seed?: number;
}

/** A type, not an interface: a value tree needs its implicit index signature. */
export type RnnParams = {
  readonly W: Tensor;
  readonly U: Tensor;
  readonly b: Tensor;
};

export interface RnnProblem {
  readonly hidden: number;
  readonly steps: number;
  readonly params: RnnParams;
  /** One row of inputs per step: [steps, inputs]. */
  readonly xs: Tensor;
  readonly h0: Tensor;
  readonly target: Tensor;
}

export function rnnProblem({ hidden, steps, inputs = 16, seed = 1 }: RnnSize): RnnProblem {
  if (!Number.isInteger(hidden) || hidden < 1) throw new RangeError(`rnnProblem: hidden must be a positive integer, got ${String(hidden)}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`rnnProblem: steps must be a non-negative integer, got ${String(steps)}`);
  if (!Number.isInteger(inputs) || inputs < 1) throw new RangeError(`rnnProblem: inputs must be a positive integer, got ${String(inputs)}`);
  // A recurrent matrix of spectral radius about 0.9 keeps the dynamics neither exploding nor dying out.
  return {
    hidden,
    steps,
    params: {
      W: randn([hidden, hidden], { seed, std: 0.9 / Math.sqrt(hidden) }),
      U: randn([inputs, hidden], { seed: seed + 1, std: 1 / Math.sqrt(inputs) }),
      b: randn([hidden], { seed: seed + 2, std: 0.1 }),
    },
    xs: randn([steps, inputs], { seed: seed + 3 }),
    h0: randn([hidden], { seed: seed + 4, std: 0.5 }),
    target: randn([hidden], { seed: seed + 5, std: 0.5 }),
  };
}

export function rnnStep(p: RnnParams, xs: Tensor): (h: Tensor, i: number) => Tensor {
  return (h, i) => tanh(add(add(matmul(h, p.W), matmul(take(xs, i), p.U)), p.b));
}

/** The loss as a function of the parameters, its loop run as `mode` says (default: revolve with the default snapshots). */
export function rnnLoss(problem: RnnProblem, mode: LoopMode = {}): (params: RnnParams) => Tensor {
  return (params) => {
    const h = runLoop(rnnStep(params, problem.xs), problem.h0, problem.steps, mode);
    return mul(0.5, sum(square(sub(h, problem.target))));
  };
}
