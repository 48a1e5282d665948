// Arrays: typed-array and number-array inputs read by index, constant tables, tuples and objects.
import { grad } from '@adjoint/runtime';
import { def } from './case';

const WEIGHTS = [0.5, -1.25, 2, 0.75];

export function sumOfSquares(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i] * x[i];
  }
  return s;
}

export function weightedDot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += WEIGHTS[i] * x[i] * Math.tanh(y[i]);
  }
  return s;
}

export function horner(coeffs: number[], x: number): number {
  let p = 0;
  for (let i = coeffs.length - 1; i >= 0; i--) {
    p = p * x + coeffs[i];
  }
  return p;
}

export function swapLoop(a: number, b: number, x: number): number {
  let u = a;
  let v = b;
  for (let i = 0; i < 6; i++) {
    [u, v] = [v, u * x + 0.1];
  }
  return u - v;
}

export function objectUpdates(x: number, y: number): number {
  let s = { p: x, q: y };
  for (let i = 0; i < 4; i++) {
    s = { p: s.p * s.q, q: s.p + s.q * 0.5 };
  }
  return s.p + s.q;
}

export function forcedSequence(x0: number, gain: number): number {
  let x = x0;
  // @checkpoint snapshots=3
  for (let t = 0; t < WEIGHTS.length; t++) {
    x = Math.tanh(gain * x + WEIGHTS[t]);
  }
  return x;
}

export function inputSequence(xs: number[], gain: number): number {
  let h = 0;
  // @checkpoint snapshots=2
  for (let t = 0; t < xs.length; t++) {
    h = Math.tanh(gain * h + xs[t]);
  }
  return h * h;
}

export const dSumOfSquares = grad(sumOfSquares);
export const dWeightedDot = grad(weightedDot, [0, 1]);
export const dHorner = grad(horner, [0, 1]);
export const dSwapLoop = grad(swapLoop, [0, 1, 2]);
export const dObjectUpdates = grad(objectUpdates, [0, 1]);
export const dForcedSequence = grad(forcedSequence, [0, 1]);
export const dInputSequence = grad(inputSequence, [0, 1]);

export const cases = [
  def({ name: 'typed array: sum of squares', f: sumOfSquares, df: dSumOfSquares, args: () => [new Float64Array([0.3, -1.2, 2.5])], argnums: 0 }),
  def({ name: 'typed arrays and a constant table', f: weightedDot, df: dWeightedDot, args: () => [new Float64Array([1, 2, -1, 0.5]), new Float64Array([0.1, -0.4, 0.3, 0.9])], argnums: [0, 1] }),
  def({ name: 'Horner with a coefficient array', f: horner, df: dHorner, args: () => [[1, -2, 0.5, 3], 0.7], argnums: [0, 1] }),
  def({ name: 'destructuring swap in a loop', f: swapLoop, df: dSwapLoop, args: () => [0.4, 1.1, 0.9], argnums: [0, 1, 2] }),
  def({ name: 'object literal updates', f: objectUpdates, df: dObjectUpdates, args: () => [0.9, 0.8], argnums: [0, 1] }),
  def({ name: 'constant table read by the loop index (checkpointed)', f: forcedSequence, df: dForcedSequence, args: () => [0.2, 0.9], argnums: [0, 1] }),
  def({ name: 'input sequence xs[t] (checkpointed)', f: inputSequence, df: dInputSequence, args: () => [[0.5, -0.3, 0.8, 0.1, -0.6], 1.2], argnums: [0, 1] }),
];
