/**
 * An LSTM over a long sequence; its state is the tuple [h, c]. All four gates come from
 * one fused product z = h·W + x_t·U + b of width 4H, sliced into input, forget and
 * output gates and the candidate:
 *   c' = σ(z_f)·c + σ(z_i)·tanh(z_g),   h' = σ(z_o)·tanh(c').
 * Loss: ½‖h_n − target‖² + 0.05‖c_n‖², so adjoints reach both parts of the final state.
 */
import { add, matmul, mul, sigmoid, slice, square, sub, sum, tanh, take } from '@adjoint/runtime/ops/index';
import { randn } from '@adjoint/runtime/random/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { type LoopMode, runLoop } from '../shared/loop-modes';

/** A type, not an interface: a value tree needs its implicit index signature. */
type LstmParams = {
  /** [H, 4H] */
  readonly W: Tensor;
  /** [inputs, 4H] */
  readonly U: Tensor;
  /** [4H] */
  readonly b: Tensor;
};

type LstmState = readonly [h: Tensor, c: Tensor];

interface LstmProblem {
  readonly hidden: number;
  readonly steps: number;
  readonly params: LstmParams;
  readonly xs: Tensor;
  readonly init: LstmState;
  readonly target: Tensor;
}

export function lstmProblem({ hidden, steps, inputs = 8, seed = 1 }: { hidden: number; steps: number; inputs?: number; seed?: number }): LstmProblem {
  if (!Number.isInteger(hidden) || hidden < 1) throw new RangeError(`lstmProblem: hidden must be a positive integer, got ${String(hidden)}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`lstmProblem: steps must be a non-negative integer, got ${String(steps)}`);
  // A forget-gate bias of 1 keeps the cell's memory from fading at the start (the usual initialization).
  const bias = new Float64Array(randn([4 * hidden], { seed: seed + 2, std: 0.1 }).data);
  for (let j = hidden; j < 2 * hidden; j++) bias[j] += 1;
  return {
    hidden,
    steps,
    params: {
      W: randn([hidden, 4 * hidden], { seed, std: 1 / Math.sqrt(hidden) }),
      U: randn([inputs, 4 * hidden], { seed: seed + 1, std: 1 / Math.sqrt(inputs) }),
      b: new Tensor(bias, [4 * hidden]),
    },
    xs: randn([steps, inputs], { seed: seed + 3 }),
    init: [randn([hidden], { seed: seed + 4, std: 0.3 }), randn([hidden], { seed: seed + 5, std: 0.3 })],
    target: randn([hidden], { seed: seed + 6, std: 0.5 }),
  };
}

export function lstmStep(p: LstmParams, xs: Tensor): (state: LstmState, t: number) => LstmState {
  const H = p.W.shape[0];
  const gate = (z: Tensor, k: number) => slice(z, [k * H], [(k + 1) * H]);
  return ([h, c], t) => {
    const z = add(add(matmul(h, p.W), matmul(take(xs, t), p.U)), p.b);
    const cNext = add(mul(sigmoid(gate(z, 1)), c), mul(sigmoid(gate(z, 0)), tanh(gate(z, 3))));
    return [mul(sigmoid(gate(z, 2)), tanh(cNext)), cNext];
  };
}

export function lstmLoss(problem: LstmProblem, mode: LoopMode = {}): (params: LstmParams) => Tensor {
  return (params) => {
    const [h, c] = runLoop(lstmStep(params, problem.xs), problem.init, problem.steps, mode);
    return add(mul(0.5, sum(square(sub(h, problem.target)))), mul(0.05, sum(square(c))));
  };
}
