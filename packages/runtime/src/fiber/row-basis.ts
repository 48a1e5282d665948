/**
 * A row basis of a small dense matrix W (an interpolative decomposition): rows J of W
 * and coefficients X with W ≈ X·W[J], found by Gaussian elimination with complete
 * pivoting, which stops once every entry left is at most `tolerance`·max|W|.
 *
 * The nonlinear kernel uses it on its coupling matrix (couplings × pairs): for the modes
 * of a graded-index fiber the products of mode profiles span fewer functions than there
 * are pairs (28 for 55 pairs of 10 modes), so W has that rank up to rounding, and
 * the Raman convolution is needed for rank-many combinations of the pair fields only.
 */

interface RowBasis {
  /** Indices of the basis rows, in pivot order. */
  readonly rows: Int32Array;
  /** Per row i of W, its coefficients on the basis rows: exactly e_k for the basis row rows[k]. */
  readonly coefficients: readonly Float64Array[];
  /** max|W − X·W[J]| / max|W| (0 for a zero matrix). */
  readonly residual: number;
}

export function rowBasis(matrix: readonly Float64Array[], tolerance: number): RowBasis {
  const columns = matrix[0]?.length ?? 0;
  if (matrix.some((row) => row.length !== columns)) throw new Error('rowBasis: the rows differ in length');
  let largest = 0;
  for (const row of matrix) for (const value of row) largest = Math.max(largest, Math.abs(value));

  // Complete pivoting: each step takes the largest entry left, so the basis rows are as
  // independent as the matrix allows and what is left over is bounded by the last pivot.
  const work = matrix.map((row) => row.slice());
  const rowLeft = matrix.map(() => true);
  const columnLeft = new Array<boolean>(columns).fill(true);
  const rows: number[] = [];
  const pivotColumns: number[] = [];
  for (;;) {
    let best = 0;
    let pr = -1;
    let pc = -1;
    for (let r = 0; r < work.length; r++) {
      if (!rowLeft[r]) continue;
      const row = work[r];
      for (let c = 0; c < columns; c++) {
        if (columnLeft[c] && Math.abs(row[c]) > best) {
          best = Math.abs(row[c]);
          pr = r;
          pc = c;
        }
      }
    }
    if (pr < 0 || best <= tolerance * largest) break;
    rows.push(pr);
    pivotColumns.push(pc);
    rowLeft[pr] = false;
    columnLeft[pc] = false;
    const pivot = work[pr];
    for (let r = 0; r < work.length; r++) {
      const row = work[r];
      if (!rowLeft[r] || row[pc] === 0) continue;
      const factor = row[pc] / pivot[pc];
      for (let c = 0; c < columns; c++) row[c] -= factor * pivot[c];
    }
  }

  // Coefficients x of row i: x·W[J, Jc] = W[i, Jc], with W[J, Jc] nonsingular by the pivoting.
  const rank = rows.length;
  const solve = squareSolver(rows.map((r) => Float64Array.from(pivotColumns, (c) => matrix[r][c])));
  const basisIndex = new Map(rows.map((r, k) => [r, k]));
  const coefficients = matrix.map((row, i) => {
    const k = basisIndex.get(i);
    if (k !== undefined) return Float64Array.from({ length: rank }, (_, j) => (j === k ? 1 : 0));
    return solve(Float64Array.from(pivotColumns, (c) => row[c]));
  });

  let residual = 0;
  const rebuilt = new Float64Array(columns);
  matrix.forEach((row, i) => {
    rebuilt.set(row);
    coefficients[i].forEach((x, k) => {
      if (x === 0) return;
      const basisRow = matrix[rows[k]];
      for (let c = 0; c < columns; c++) rebuilt[c] -= x * basisRow[c];
    });
    for (let c = 0; c < columns; c++) residual = Math.max(residual, Math.abs(rebuilt[c]));
  });
  return { rows: Int32Array.from(rows), coefficients, residual: largest === 0 ? 0 : residual / largest };
}

/** For a nonsingular square G, a function b ↦ x with x·G = b (LU of G^T with partial pivoting). */
function squareSolver(g: readonly Float64Array[]): (b: Float64Array) => Float64Array {
  const n = g.length;
  const lu = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => g[j][i]));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i][k]) > Math.abs(lu[p][k])) p = i;
    [lu[k], lu[p]] = [lu[p], lu[k]];
    [order[k], order[p]] = [order[p], order[k]];
    for (let i = k + 1; i < n; i++) {
      const factor = (lu[i][k] /= lu[k][k]);
      if (factor !== 0) for (let j = k + 1; j < n; j++) lu[i][j] -= factor * lu[k][j];
    }
  }
  return (b) => {
    const x = Float64Array.from(order, (i) => b[i]);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[i] -= lu[i][j] * x[j];
    for (let i = n - 1; i >= 0; i--) {
      for (let j = i + 1; j < n; j++) x[i] -= lu[i][j] * x[j];
      x[i] /= lu[i][i];
    }
    return x;
  };
}
