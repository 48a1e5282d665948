// Tensor programs on the DSL: RNN, LSTM with tuple state, GRU, MLP, customVjp primitives,
// object state, and composite operations. The runtime tape follows these too.
import { customVjp, grad } from '@adjoint/runtime';
import { add, broadcastTo, exp, log, matmul, max, mean, min, mul, reshape, sigmoid, square, sub, sum, tanh, transpose } from '@adjoint/runtime';
import { tensor, type Tensor } from '@adjoint/runtime';
import { def } from './case';

const ONE = tensor(1);

export function rnnLoss(x0: Tensor, W: Tensor, b: Tensor): Tensor {
  let h = x0;
  // @checkpoint snapshots=4 schedule=revolve
  for (let t = 0; t < 16; t++) {
    h = tanh(add(matmul(h, W), b));
  }
  return sum(h);
}

function lstmCell(h: Tensor, c: Tensor, x: Tensor, W: Tensor, U: Tensor): [Tensor, Tensor] {
  const z = add(matmul(x, W), matmul(h, U));
  const f = sigmoid(z);
  const g = tanh(z);
  const cNext = add(mul(f, c), mul(sub(ONE, f), g));
  return [mul(sigmoid(z), tanh(cNext)), cNext];
}

export function lstmLoss(xs: Tensor[], W: Tensor, U: Tensor, h0: Tensor): Tensor {
  let h = h0;
  let c = mul(h0, 0.5);
  // @checkpoint snapshots=3
  for (let t = 0; t < xs.length; t++) {
    [h, c] = lstmCell(h, c, xs[t], W, U);
  }
  return sum(mul(h, c));
}

export function gru(h0: Tensor, Wz: Tensor, Wh: Tensor): Tensor {
  let h = h0;
  // @checkpoint snapshots=2 schedule=revolve
  for (let t = 0; t < 6; t++) {
    const z = sigmoid(matmul(h, Wz));
    const candidate = tanh(matmul(h, Wh));
    h = add(mul(sub(ONE, z), h), mul(z, candidate));
  }
  return mean(square(h));
}

export function mlp(x: Tensor, W1: Tensor, b1: Tensor, W2: Tensor): Tensor {
  const hidden = tanh(add(matmul(x, W1), b1));
  const out = matmul(hidden, W2);
  return sum(log(add(ONE, exp(out))));
}

const cube = customVjp(
  (x: Tensor) => [mul(x, mul(x, x)), x] as const,
  (x: Tensor, g: Tensor) => [mul(g, mul(3, mul(x, x)))],
);

export function customInLoop(x: Tensor, a: Tensor): Tensor {
  let y = x;
  // @checkpoint snapshots=3
  for (let i = 0; i < 5; i++) {
    y = mul(cube(tanh(y)), a);
  }
  return sum(y);
}

export function objectState(p0: Tensor, q0: Tensor, k: Tensor): Tensor {
  let s = { p: p0, q: q0 };
  // @checkpoint snapshots=3
  for (let i = 0; i < 10; i++) {
    s = { p: add(s.p, mul(0.1, s.q)), q: sub(s.q, mul(0.1, mul(k, tanh(s.p)))) };
  }
  return sum(add(mul(s.p, s.p), s.q));
}

export function mixedNumbers(h0: Tensor, w: number): number {
  let h = h0;
  for (let i = 0; i < 3; i++) {
    h = tanh(mul(h, w));
  }
  return sum(h).item() === 0 ? 0 : Number(sum(mul(h, h))) * Math.sin(w) + w * w;
}

export function shapeOperations(v: Tensor, M: Tensor): Tensor {
  const left = matmul(v, M);
  const right = matmul(M, v);
  const rows = sum(mul(M, transpose(M)), 1, true);
  const flat = reshape(mul(rows, broadcastTo(left, [3, 3])), [-1]);
  const peaks = add(max(M, 0), min(tanh(M), 1));
  return add(add(sum(mul(left, right)), sum(flat, 0)), mean(peaks));
}

export const dRnnLoss = grad(rnnLoss, [0, 1, 2]);
export const dShapeOperations = grad(shapeOperations, [0, 1]);
export const dLstmLoss = grad(lstmLoss, [0, 1, 2, 3]);
export const dGru = grad(gru, [0, 1, 2]);
export const dMlp = grad(mlp, [0, 1, 2, 3]);
export const dCustomInLoop = grad(customInLoop, [0, 1]);
export const dObjectState = grad(objectState, [0, 1, 2]);
export const dMixedNumbers = grad(mixedNumbers, [0, 1]);

const matrix = (rows: number, cols: number, seed: number): Tensor => {
  const data = Array.from({ length: rows * cols }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.5);
  return tensor(data, [rows, cols]);
};

export const cases = [
  def({ name: 'RNN (checkpointed, revolve)', f: rnnLoss, df: dRnnLoss, args: () => [matrix(1, 3, 1), matrix(3, 3, 2), matrix(1, 3, 3)], argnums: [0, 1, 2], tape: true, sweep: { n: 16, s: 4 } }),
  def({
    name: 'LSTM, tuple state [h, c], inputs xs[t]',
    f: lstmLoss,
    df: dLstmLoss,
    args: () => [[matrix(1, 2, 4), matrix(1, 2, 5), matrix(1, 2, 6), matrix(1, 2, 7)], matrix(2, 3, 8), matrix(3, 3, 9), matrix(1, 3, 10)],
    argnums: [0, 1, 2, 3],
    tape: true,
  }),
  def({ name: 'GRU', f: gru, df: dGru, args: () => [matrix(1, 3, 11), matrix(3, 3, 12), matrix(3, 3, 13)], argnums: [0, 1, 2], tape: true, sweep: { n: 6, s: 2 } }),
  def({ name: 'MLP with softplus', f: mlp, df: dMlp, args: () => [matrix(2, 3, 14), matrix(3, 4, 15), matrix(1, 4, 16), matrix(4, 1, 17)], argnums: [0, 1, 2, 3], tape: true }),
  def({ name: 'customVjp primitive in a checkpointed loop', f: customInLoop, df: dCustomInLoop, args: () => [matrix(1, 3, 18), matrix(1, 3, 19)], argnums: [0, 1], tape: true }),
  def({ name: 'object state of tensors', f: objectState, df: dObjectState, args: () => [matrix(2, 2, 20), matrix(2, 2, 21), matrix(2, 2, 22)], argnums: [0, 1, 2], tape: true }),
  def({ name: 'shape operations: 1-D matmul, reductions, transpose, reshape, broadcast', f: shapeOperations, df: dShapeOperations, args: () => [tensor([0.3, -0.7, 0.5]), matrix(3, 3, 24)], argnums: [0, 1], tape: true }),
  def({ name: 'numbers mixed with tensors', f: mixedNumbers, df: dMixedNumbers, args: () => [matrix(1, 3, 23), 0.8], argnums: [0, 1] }),
];
