/**
 * An LSTM over a sequence, compiled: its loop carries the tuple state [h, c], checkpointed
 * by revolve, and its gradient with respect to the initial state and the weights is
 * generated code. The four gates come from one fused product z = h·W + x_t·U + b of width
 * 4·hidden:
 *   c' = σ(z_f)·c + σ(z_i)·tanh(z_g),   h' = σ(z_o)·tanh(c').
 */
import { add, grad, matmul, mul, sigmoid, slice, square, sum, tanh, type Tensor } from '@adjoint/runtime';

/** A type, not an interface: a value tree needs its implicit index signature. */
type LstmWeights = {
  /** [hidden, 4·hidden] */
  readonly W: Tensor;
  /** [inputs, 4·hidden] */
  readonly U: Tensor;
  /** [4·hidden] */
  readonly b: Tensor;
};

function lstmCell(h: Tensor, c: Tensor, x: Tensor, p: LstmWeights, hidden: number): [Tensor, Tensor] {
  const z = add(add(matmul(h, p.W), matmul(x, p.U)), p.b);
  const input = sigmoid(slice(z, [0], [hidden]));
  const forget = sigmoid(slice(z, [hidden], [2 * hidden]));
  const output = sigmoid(slice(z, [2 * hidden], [3 * hidden]));
  const candidate = tanh(slice(z, [3 * hidden], [4 * hidden]));
  const cNext = add(mul(forget, c), mul(input, candidate));
  return [mul(output, tanh(cNext)), cNext];
}

/** ½‖h_n‖² + 0.05‖c_n‖², so adjoints reach both parts of the final state. */
export function lstmLoss(h0: Tensor, c0: Tensor, p: LstmWeights, xs: readonly Tensor[], hidden: number): Tensor {
  let h = h0;
  let c = c0;
  // @checkpoint snapshots=8 schedule=revolve
  for (let t = 0; t < xs.length; t++) {
    [h, c] = lstmCell(h, c, xs[t], p, hidden);
  }
  return add(mul(0.5, sum(square(h))), mul(0.05, sum(square(c))));
}

export const dLstmLoss = grad(lstmLoss, [0, 1, 2]);
