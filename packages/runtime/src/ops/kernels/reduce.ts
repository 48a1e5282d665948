/**
 * Reductions over a set of axes. Each axis is reduced by viewing the data as
 * [outer, len, inner] and walking it in memory order; complex data is summed as
 * real data with a doubled inner extent.
 */
import { sizeOf } from '../../tensor/shape';
import { Storage, Tensor } from '../../tensor/tensor';

type ReduceKind = 'sum' | 'max' | 'min';

function reduceAxis(d: Storage, shape: readonly number[], axis: number, kind: ReduceKind, complex: boolean, float32: boolean): Storage {
  const len = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1)) * (complex ? 2 : 1);
  const out = float32 ? new Float32Array(outer * inner) : new Float64Array(outer * inner);
  if (kind !== 'sum') {
    if (len === 0) throw new Error(`${kind}: cannot reduce an empty axis (shape [${shape.join(', ')}], axis ${axis})`);
    out.fill(kind === 'max' ? -Infinity : Infinity);
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0; k < len; k++) {
      const ib = (o * len + k) * inner;
      if (kind === 'sum') for (let j = 0; j < inner; j++) out[ob + j] += d[ib + j];
      else if (kind === 'max') for (let j = 0; j < inner; j++) out[ob + j] = nanMax(out[ob + j], d[ib + j]);
      else for (let j = 0; j < inner; j++) out[ob + j] = nanMin(out[ob + j], d[ib + j]);
    }
  }
  return out;
}

/** NaN wins, as in NumPy's max. */
function nanMax(a: number, b: number): number {
  return a > b || a !== a ? a : b;
}

function nanMin(a: number, b: number): number {
  return a < b || a !== a ? a : b;
}

/** Reduces `axes` (sorted, distinct, non-negative); the result keeps them as size-1 axes when keepdims. */
export function reduceKernel(x: Tensor, axes: readonly number[], kind: ReduceKind, keepdims: boolean): Tensor {
  const complex = x.dtype === 'complex128';
  if (complex && kind !== 'sum') throw new Error(`${kind}: complex128 input is not ordered; reduce abs(x) or real(x)`);
  let shape = [...x.shape];
  let data: Storage = x._data;
  if (axes.length === 0) data = data.slice();
  else if (axes.length === shape.length) {
    // Everything at once: one flat pass instead of one pass per axis.
    data = reduceAxis(data, [x.size], 0, kind, complex, x.dtype === 'float32');
    return new Tensor(data, keepdims ? shape.map(() => 1) : [], x.dtype);
  }
  for (let i = axes.length - 1; i >= 0; i--) {
    data = reduceAxis(data, shape, axes[i], kind, complex, x.dtype === 'float32');
    shape[axes[i]] = 1;
  }
  if (!keepdims) shape = shape.filter((_, i) => !axes.includes(i));
  return new Tensor(data, shape, x.dtype);
}

