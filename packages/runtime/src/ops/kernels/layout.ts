/**
 * Kernels that move elements without arithmetic (transpose, slice, pad, concat,
 * gather). They treat a complex element as two adjacent numbers.
 */
import { alloc } from '../../tensor/dtype';
import { sizeOf, stridesOf } from '../../tensor/shape';
import { DType, Storage, Tensor } from '../../tensor/tensor';

function width(dtype: DType): number {
  return dtype === 'complex128' ? 2 : 1;
}

/**
 * Visits a strided region of `shape` (strides and offset in elements of `w` numbers)
 * in row-major order: `row(regionOffset, contiguousOffset, len, stride)` per last-axis row.
 */
function forEachRow(shape: readonly number[], strides: readonly number[], offset: number, row: (at: number, flat: number, len: number, stride: number) => void): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  if (shape.length === 0) return row(offset, 0, 1, 1);
  const last = shape.length - 1;
  const len = shape[last];
  const index = new Array<number>(last).fill(0);
  let at = offset;
  for (let flat = 0; flat < total; flat += len) {
    row(at, flat, len, strides[last]);
    for (let axis = last - 1; axis >= 0; axis--) {
      at += strides[axis];
      if (++index[axis] < shape[axis]) break;
      at -= strides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}

/** A contiguous copy of the strided region of x. */
function gather(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  const w = width(x.dtype);
  const src = x._data;
  const out = alloc(x.dtype, sizeOf(shape));
  forEachRow(shape, strides, offset, (at, flat, len, stride) => {
    for (let i = 0; i < len; i++) for (let k = 0; k < w; k++) out[(flat + i) * w + k] = src[(at + i * stride) * w + k];
  });
  return new Tensor(out, shape, x.dtype);
}

/** Writes the contiguous values of `src` into the strided region of dst (in place: dst is fresh). */
function scatterInto(dst: Storage, w: number, shape: readonly number[], strides: readonly number[], offset: number, src: Storage): void {
  forEachRow(shape, strides, offset, (at, flat, len, stride) => {
    for (let i = 0; i < len; i++) for (let k = 0; k < w; k++) dst[(at + i * stride) * w + k] = src[(flat + i) * w + k];
  });
}

export function transposeKernel(x: Tensor, perm: readonly number[]): Tensor {
  const strides = stridesOf(x.shape);
  return gather(x, perm.map((p) => x.shape[p]), perm.map((p) => strides[p]), 0);
}

export function broadcastKernel(x: Tensor, shape: readonly number[]): Tensor {
  const strides = stridesOf(x.shape);
  const lead = shape.length - x.ndim;
  return gather(x, shape, shape.map((_, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : strides[i - lead])), 0);
}

/** x[begin_0:end_0, begin_1:end_1, ...] with non-negative, in-range bounds on every axis. */
export function sliceKernel(x: Tensor, begin: readonly number[], end: readonly number[]): Tensor {
  const strides = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, i) => acc + b * strides[i], 0);
  return gather(x, begin.map((b, i) => end[i] - b), strides, offset);
}

/** Zero padding: `before[i]` and `after[i]` zeros around axis i. */
export function padKernel(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  const shape = x.shape.map((d, i) => before[i] + d + after[i]);
  const out = alloc(x.dtype, sizeOf(shape));
  const strides = stridesOf(shape);
  scatterInto(out, width(x.dtype), x.shape, strides, before.reduce((acc, b, i) => acc + b * strides[i], 0), x._data);
  return new Tensor(out, shape, x.dtype);
}

/** Joins tensors of equal dtype and rank along `axis` (other axes already checked equal). */
export function concatKernel(xs: readonly Tensor[], axis: number): Tensor {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((acc, x) => acc + x.shape[axis], 0);
  const dtype = xs[0].dtype;
  const out = alloc(dtype, sizeOf(shape));
  const strides = stridesOf(shape);
  let start = 0;
  for (const x of xs) {
    scatterInto(out, width(dtype), x.shape, strides, start * strides[axis], x._data);
    start += x.shape[axis];
  }
  return new Tensor(out, shape, dtype);
}

/** Gathers along `axis` at integer `indices` (already in range); the index shape replaces the axis. */
export function takeKernel(x: Tensor, indices: Int32Array, indexShape: readonly number[], axis: number): Tensor {
  const w = width(x.dtype);
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1)) * w;
  const src = x._data;
  const out = alloc(x.dtype, outer * indices.length * inner / w);
  for (let o = 0, at = 0; o < outer; o++) {
    for (let q = 0; q < indices.length; q++, at += inner) {
      const from = (o * len + indices[q]) * inner;
      for (let j = 0; j < inner; j++) out[at + j] = src[from + j];
    }
  }
  return new Tensor(out, [...x.shape.slice(0, axis), ...indexShape, ...x.shape.slice(axis + 1)], x.dtype);
}

/** The adjoint of takeKernel: zeros of `shape` with every slice of g added at its index. */
export function scatterAddKernel(g: Tensor, indices: Int32Array, shape: readonly number[], axis: number): Tensor {
  const w = width(g.dtype);
  const outer = sizeOf(shape.slice(0, axis));
  const len = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1)) * w;
  const src = g._data;
  const out = alloc(g.dtype, sizeOf(shape));
  for (let o = 0, at = 0; o < outer; o++) {
    for (let q = 0; q < indices.length; q++, at += inner) {
      const to = (o * len + indices[q]) * inner;
      for (let j = 0; j < inner; j++) out[to + j] += src[at + j];
    }
  }
  return new Tensor(out, shape, g.dtype);
}
