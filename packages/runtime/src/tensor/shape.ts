/** Shape arithmetic shared by constructors and kernels. */
import { formatShape } from './tensor';

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major element strides. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of any number of shapes; the error names the operation and every shape. */
export function broadcastShapes(op: string, shapes: readonly (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const axis = ndim - s.length + i;
      const d = s[i];
      if (d === out[axis] || d === 1) continue;
      if (out[axis] !== 1) {
        throw new Error(`${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (axis ${axis - ndim}: ${out[axis]} vs ${d})`);
      }
      out[axis] = d;
    }
  }
  return out;
}

/** An axis in [-ndim, ndim) as a non-negative index. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new Error(`${op}: axis ${axis} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? '' : 's'}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Sorted, distinct, non-negative axes; undefined means all of them. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, ndim)))].sort((a, b) => a - b);
  if (out.length !== list.length) throw new Error(`${op}: axis ${JSON.stringify(axis)} repeats an axis`);
  return out;
}
