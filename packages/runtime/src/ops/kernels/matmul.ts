/**
 * Batched matrix products C = op(A)·op(B) over the last two axes, batch axes broadcast.
 * op is the identity or the adjoint (conjugate transpose; the transpose for real data):
 * reverse mode needs g·Bᴴ and Aᴴ·g, and reading A and B transposed in place avoids
 * copying them (a 512×512 transpose costs more than the vector-matrix product itself).
 */
import { alloc, promote } from '../../tensor/dtype';
import { broadcastShapes } from '../../tensor/shape';
import { formatShape, Storage, Tensor } from '../../tensor/tensor';
import { planRows } from './broadcast';
import { storageAs } from './operand';

// The real kernels take four rows of the streamed operand per pass: one load/store of
// each C element per four multiply-adds ran 1.6-3x faster than the plain loop (512×512).

/** C[m,n] += A[m,k]·B[k,n] (row-major, offsets in elements; C starts at zero). */
function gemmNN(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ci = co + i * n;
    const ai = ao + i * k;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      const b0 = bo + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
    }
    for (; p < k; p++) {
      const aip = a[ai + p];
      const bp = bo + p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
}

/** C[m,n] = A[m,k]·B[n,k]ᵀ: rows of A dotted with rows of B, four rows of B at a time. */
function gemmNT(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ai = ao + i * k;
    const ci = co + i * n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[ai + p];
        s0 += x * b[b0 + p];
        s1 += x * b[b1 + p];
        s2 += x * b[b2 + p];
        s3 += x * b[b3 + p];
      }
      c[ci + j] = s0;
      c[ci + j + 1] = s1;
      c[ci + j + 2] = s2;
      c[ci + j + 3] = s3;
    }
    for (; j < n; j++) {
      const bj = bo + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[ci + j] = s;
    }
  }
}

/**
 * C[m,n] = A[k,m]ᵀ·B[k,n] (C fresh): a sum of outer products of rows, four at a time.
 * The first pass assigns instead of adding: a weight gradient hᵀ·g of one step is a
 * single outer product, and skipping the read of C made it ~30% faster at 512×512.
 */
function gemmTN(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const b0 = bo + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    const a0 = ao + p * m, a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
    for (let i = 0; i < m; i++) {
      const x0 = a[a0 + i], x1 = a[a1 + i], x2 = a[a2 + i], x3 = a[a3 + i];
      const ci = co + i * n;
      if (p === 0) for (let j = 0; j < n; j++) c[ci + j] = x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
      else for (let j = 0; j < n; j++) c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
    }
  }
  for (; p < k; p++) {
    const bp = bo + p * n;
    for (let i = 0; i < m; i++) {
      const x = a[ao + p * m + i];
      const ci = co + i * n;
      if (p === 0) for (let j = 0; j < n; j++) c[ci + j] = x * b[bp + j];
      else for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
    }
  }
}

/** Complex C[m,n] += A[m,k]·B[k,n] on interleaved (re, im) data, offsets in complex elements. */
function zgemmNN(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ci = 2 * (co + i * n);
    for (let p = 0; p < k; p++) {
      const ar = a[2 * (ao + i * k + p)];
      const ai = a[2 * (ao + i * k + p) + 1];
      const bp = 2 * (bo + p * n);
      for (let j = 0; j < 2 * n; j += 2) {
        const br = b[bp + j];
        const bi = b[bp + j + 1];
        c[ci + j] += ar * br - ai * bi;
        c[ci + j + 1] += ar * bi + ai * br;
      }
    }
  }
}

/** The conjugate transpose of every matrix in a batch of complex [rows, cols] matrices. */
function adjointCopy(d: Storage, batch: number, rows: number, cols: number): Storage {
  const out = alloc('complex128', batch * rows * cols);
  for (let b = 0; b < batch; b++) {
    const base = b * rows * cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        out[2 * (base + j * rows + i)] = d[2 * (base + i * cols + j)];
        out[2 * (base + j * rows + i) + 1] = -d[2 * (base + i * cols + j) + 1];
      }
    }
  }
  return out;
}

/**
 * op(a)·op(b) for tensors of rank >= 2; `adjA`/`adjB` select the adjoint of the
 * last two axes. `name` is the user-facing operation named in shape errors.
 */
export function matmulKernel(name: string, a: Tensor, b: Tensor, adjA = false, adjB = false): Tensor {
  if (a.ndim < 2 || b.ndim < 2) throw new Error(`internal: ${name} kernel needs rank >= 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = adjA ? [ac, ar] : [ar, ac];
  const [kb, n] = adjB ? [bc, br] : [br, bc];
  if (k !== kb) {
    const describe = (t: Tensor, adj: boolean) => `${formatShape(t.shape)}${adj ? 'ᴴ' : ''}`;
    throw new Error(`${name}: shapes ${describe(a, adjA)} and ${describe(b, adjB)} do not match: inner dimensions ${k} and ${kb} differ`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes(name, [aBatch, bBatch]);
  const plan = planRows(batch, [aBatch, bBatch]);
  const dtype = promote([a.dtype, b.dtype]);
  const out = alloc(dtype, plan.rows * plan.len * m * n);
  const complex = dtype === 'complex128';
  let da = storageAs(a, dtype);
  let db = storageAs(b, dtype);
  if (complex && adjA) da = adjointCopy(da, a.size / (ar * ac), ar, ac);
  if (complex && adjB) db = adjointCopy(db, b.size / (br * bc), br, bc);
  const kernel = complex ? zgemmNN : adjA && adjB ? undefined : adjA ? gemmTN : adjB ? gemmNT : gemmNN;
  if (!kernel) throw new Error(`internal: ${name} with both operands adjoint is not implemented`);
  for (let r = 0, c = 0; r < plan.rows; r++) {
    for (let i = 0; i < plan.len; i++, c++) {
      const ao = (plan.starts[0][r] + i * plan.inner[0]) * ar * ac;
      const bo = (plan.starts[1][r] + i * plan.inner[1]) * br * bc;
      kernel(da, ao, db, bo, out, c * m * n, m, k, n);
    }
  }
  return new Tensor(out, [...batch, m, n], dtype);
}
