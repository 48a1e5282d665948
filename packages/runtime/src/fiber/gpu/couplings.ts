/**
 * Sparse mode-coupling tables for the Kerr/Raman kernels. The overlap tensor
 * S[p][l][m][n] is mostly zeros for symmetric fibers, so kernels loop over
 * the nonzero terms only. Each table is packed for the device as
 *   [start_0 .. start_rows, record_0 .. record_{K-1}]
 * with rows+1 row offsets (in records) followed by 3-number records; row r's
 * records are start_r .. start_{r+1}-1.
 */
export interface CouplingTerm {
  p: number;
  l: number;
  m: number;
  n: number;
  s: number;
}

export interface SparseRows {
  rows: number;
  /** Row offsets then records, ready for upload. */
  table: Float64Array;
  /** Index of the first record in `table` (rows + 1). */
  base: number;
  /** Most records in any row: the kernels' loop bound. */
  maxCount: number;
}

export interface CouplingTables {
  modes: number;
  terms: CouplingTerm[];
  /** Distinct (m, n) with T_mn = A_m·conj(A_n) used by some term. */
  pairs: [number, number][];
  /** Flat [m0, n0, m1, n1, ...]. */
  pairTable: Float64Array;
  /** Row p: (l, pair, S) — forward NL_p = Σ S·A_l·Q_pair. */
  byMode: SparseRows;
  /** Row pair: (p, l, S) — adjoint Q̄_pair = Σ S·conj(A_l)·NL̄_p. */
  byPair: SparseRows;
  /** Row l: (p, pair, S) — adjoint Ā_l += Σ S·conj(Q_pair)·NL̄_p. */
  byFactor: SparseRows;
  /** Row q: (pair, other, ±1) — adjoint Ā_q += A_other·T̄_pair (+1, q = m) or A_other·conj(T̄_pair) (−1, q = n). */
  pairsByMode: SparseRows;
}

/** Nonzero entries of a row-major M⁴ overlap tensor. */
export function couplingTerms(overlap: ArrayLike<number>, modes: number): CouplingTerm[] {
  if (overlap.length !== modes ** 4) {
    throw new Error(`overlap: expected ${modes ** 4} numbers (M⁴ for M = ${modes}), got ${overlap.length}`);
  }
  const terms: CouplingTerm[] = [];
  let i = 0;
  for (let p = 0; p < modes; p++)
    for (let l = 0; l < modes; l++)
      for (let m = 0; m < modes; m++)
        for (let n = 0; n < modes; n++, i++) {
          const s = overlap[i];
          if (!Number.isFinite(s)) throw new Error(`overlap[${p}][${l}][${m}][${n}]: not a finite number (${s})`);
          if (s !== 0) terms.push({ p, l, m, n, s });
        }
  if (terms.length === 0) throw new Error('overlap: every coupling is zero');
  return terms;
}

export function packRows(rows: number, records: readonly (readonly [number, number, number])[][]): SparseRows {
  const count = records.reduce((a, r) => a + r.length, 0);
  const table = new Float64Array(rows + 1 + 3 * count);
  let at = 0;
  let maxCount = 0;
  for (let r = 0; r < rows; r++) {
    table[r] = at;
    maxCount = Math.max(maxCount, records[r].length);
    for (const record of records[r]) table.set(record, rows + 1 + 3 * at++);
  }
  table[rows] = at;
  return { rows, table, base: rows + 1, maxCount };
}

export function couplingTables(overlap: ArrayLike<number>, modes: number): CouplingTables {
  const terms = couplingTerms(overlap, modes);
  const pairIndex = new Map<number, number>();
  const pairs: [number, number][] = [];
  const pairOf = (m: number, n: number): number => {
    const key = m * modes + n;
    let index = pairIndex.get(key);
    if (index === undefined) {
      index = pairs.length;
      pairs.push([m, n]);
      pairIndex.set(key, index);
    }
    return index;
  };
  const rowsOf = (count: number) => Array.from({ length: count }, () => [] as [number, number, number][]);
  const byMode = rowsOf(modes);
  const byFactor = rowsOf(modes);
  for (const t of terms) {
    const pair = pairOf(t.m, t.n);
    byMode[t.p].push([t.l, pair, t.s]);
    byFactor[t.l].push([t.p, pair, t.s]);
  }
  const byPair = rowsOf(pairs.length);
  for (const t of terms) byPair[pairOf(t.m, t.n)].push([t.p, t.l, t.s]);
  const pairsByMode = rowsOf(modes);
  pairs.forEach(([m, n], pair) => {
    pairsByMode[m].push([pair, n, 1]);
    pairsByMode[n].push([pair, m, -1]);
  });
  return {
    modes,
    terms,
    pairs,
    pairTable: Float64Array.from(pairs.flat()),
    byMode: packRows(modes, byMode),
    byPair: packRows(pairs.length, byPair),
    byFactor: packRows(modes, byFactor),
    pairsByMode: packRows(modes, pairsByMode),
  };
}
