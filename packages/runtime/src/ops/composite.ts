/**
 * Operations built from primitives (their gradients follow from the primitives'),
 * and the piecewise-constant ones, whose results never carry a gradient.
 */
import { normalizeAxes, normalizeAxis, sizeOf } from '../tensor/shape';
import { formatShape, Tensor } from '../tensor/tensor';
import * as k from './kernels/arith';
import { checkOperands, shapeOf, TensorLike } from './kernels/operand';
import { concat, div, reshape, sum, take } from './primitives';

/** Arithmetic mean over `axis` (one, several, or all when omitted). */
export function mean(x: TensorLike, axis?: number | readonly number[], keepdims = false): Tensor {
  const shape = shapeOf(x);
  const count = sizeOf(normalizeAxes('mean', axis, shape.length).map((a) => shape[a]));
  return div(sum(x, axis, keepdims), count);
}

/** Joins tensors of one shape along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('stack: needs at least one tensor');
  const shapes = xs.map(shapeOf);
  if (shapes.some((s) => s.length !== shapes[0].length || s.some((d, i) => d !== shapes[0][i]))) {
    throw new Error(`stack: shapes ${shapes.map(formatShape).join(' and ')} differ`);
  }
  const ax = normalizeAxis('stack', axis, shapes[0].length + 1);
  const expanded = [...shapes[0].slice(0, ax), 1, ...shapes[0].slice(ax)];
  return concat(xs.map((x) => reshape(x, expanded)), ax);
}

/** Rotates elements by `shift` along `axis` (NumPy roll); without an axis, over the flattened tensor. */
export function roll(x: TensorLike, shift: number, axis?: number): Tensor {
  if (!Number.isInteger(shift)) throw new Error(`roll: shift must be an integer, got ${shift}`);
  const shape = shapeOf(x);
  if (axis === undefined) return reshape(roll(reshape(x, [-1]), shift, 0), shape);
  const ax = normalizeAxis('roll', axis, shape.length);
  const n = shape[ax];
  const from = new Int32Array(n);
  for (let j = 0; j < n; j++) from[j] = (((j - shift) % n) + n) % n;
  return take(x, from, ax);
}

function piecewiseConstant(name: string, kernel: (a: TensorLike, b: TensorLike) => Tensor) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    checkOperands(name, [a, b]);
    return kernel(a, b);
  };
}

/** 1 where a > b, else 0 (no gradient flows through comparisons). */
export const greater = piecewiseConstant('greater', k.greaterKernel);
export const greaterEqual = piecewiseConstant('greaterEqual', k.greaterEqualKernel);
export const less = piecewiseConstant('less', k.lessKernel);
export const lessEqual = piecewiseConstant('lessEqual', k.lessEqualKernel);
export const equal = piecewiseConstant('equal', k.equalKernel);

/** -1, 0 or 1 (NaN for NaN); no gradient. */
export function sign(x: TensorLike): Tensor {
  checkOperands('sign', [x]);
  return k.signKernel(x);
}
