/**
 * Broadcast iteration: the output is walked as rows of `len` contiguous elements, and
 * each operand advances by a fixed inner stride (0 where it is broadcast, else 1)
 * from a per-row start offset. Dimensions are merged first, so equal shapes are one row.
 */
import { sizeOf } from '../../tensor/shape';

interface RowPlan {
  rows: number;
  len: number;
  /** Per operand: element stride along a row (0 or 1). */
  inner: number[];
  /** Per operand: element offset of each row's first element. */
  starts: Int32Array[];
}

/** `shapes` are the operands' shapes, already known to broadcast to `out`. */
export function planRows(out: readonly number[], shapes: readonly (readonly number[])[]): RowPlan {
  const size = sizeOf(out);
  // Strides of every operand against the output's axes (0 where broadcast), size-1 axes dropped.
  const dims: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  const running = shapes.map(() => 1);
  for (let axis = out.length - 1; axis >= 0; axis--) {
    const d = out[axis];
    shapes.forEach((s, k) => {
      const own = s.length - out.length + axis;
      const n = own >= 0 ? s[own] : 1;
      if (d !== 1) strides[k].unshift(n === 1 ? 0 : running[k]);
      running[k] *= n;
    });
    if (d !== 1) dims.unshift(d);
  }
  // Merge axis i into i+1 wherever every operand walks them as one axis.
  for (let i = dims.length - 2; i >= 0; i--) {
    if (strides.every((s) => s[i] === s[i + 1] * dims[i + 1])) {
      dims[i] *= dims[i + 1];
      dims.splice(i + 1, 1);
      for (const s of strides) s.splice(i, 1); // the merged axis walks with the inner stride
    }
  }
  const len = dims.length ? dims[dims.length - 1] : 1;
  const rows = len === 0 ? 0 : size / len;
  const inner = strides.map((s) => (dims.length ? s[s.length - 1] : 0));
  const starts = strides.map(() => new Int32Array(rows));
  const outer = dims.slice(0, -1);
  const index = new Array<number>(outer.length).fill(0);
  const offset = strides.map(() => 0);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < strides.length; k++) starts[k][r] = offset[k];
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      index[axis]++;
      for (let k = 0; k < strides.length; k++) offset[k] += strides[k][axis];
      if (index[axis] < outer[axis]) break;
      for (let k = 0; k < strides.length; k++) offset[k] -= strides[k][axis] * outer[axis];
      index[axis] = 0;
    }
  }
  return { rows, len, inner, starts };
}
