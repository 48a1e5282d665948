/**
 * The overlap tensor S_plmn in the form the nonlinear kernel consumes.
 *
 * S of real mode profiles is symmetric under every permutation of (p, l, m, n).
 * With S_plmn = S_plnm and a real Raman response, both nonlinear sums collapse to
 *   Σ_mn S_plmn A_m A_n* = Σ_{m≤n} w_mn·S_plmn·Re(A_m A_n*),  w_mn = 2 if m<n else 1
 * (the same with h ⊛ inside), so the kernel needs one real field per pair m≤n and
 * one real coupling Q_pl = Σ_{m≤n} w_mn·S_plmn·V_mn per p≤l (Q_pl = Q_lp). Only
 * nonzero entries are listed: the work is proportional to the nonzeros, never M^4·N.
 */

export interface OverlapTerm {
  /** p ≤ l ≤ m ≤ n: one representative of its permutations. */
  readonly indices: readonly [number, number, number, number];
  readonly value: number;
  /** Number of distinct permutations of the indices, i.e. of entries of S equal to it. */
  readonly multiplicity: number;
}

/** Q_pl = Σ_j weights[j]·V_{pairs[j]}. */
export interface Coupling {
  readonly p: number;
  readonly l: number;
  readonly pairs: Int32Array;
  readonly weights: Float64Array;
}

export interface SparseOverlap {
  readonly modes: number;
  readonly terms: readonly OverlapTerm[];
  /** The (m, n), m ≤ n, whose Re(A_m A_n*) some nonzero entry uses. */
  readonly pairs: readonly (readonly [number, number])[];
  readonly couplings: readonly Coupling[];
}

export interface SparseOverlapOptions {
  /**
   * Treat entries with |S| < dropBelow·|S_1111| as zero. Off unless given: the
   * approximation is the caller's explicit choice (MMTools uses 1e-5).
   */
  dropBelow?: number;
  /** Largest permutation mismatch accepted, relative to max|S| (default 1e-9). */
  symmetryTolerance?: number;
}

function flatIndex(modes: number, p: number, l: number, m: number, n: number): number {
  return ((p * modes + l) * modes + m) * modes + n;
}

function permutations(indices: readonly number[]): number[][] {
  if (indices.length <= 1) return [[...indices]];
  const seen = new Set<string>();
  const out: number[][] = [];
  indices.forEach((first, i) => {
    for (const rest of permutations([...indices.slice(0, i), ...indices.slice(i + 1)])) {
      const perm = [first, ...rest];
      const key = perm.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        out.push(perm);
      }
    }
  });
  return out;
}

/** A message naming the first pair of permuted entries that differ, or null when S is symmetric. */
export function findAsymmetry(overlap: ArrayLike<number>, modes: number, tolerance = 1e-9): string | null {
  let largest = 0;
  for (let i = 0; i < overlap.length; i++) largest = Math.max(largest, Math.abs(overlap[i]));
  const limit = tolerance * largest;
  for (let p = 0; p < modes; p++)
    for (let l = p; l < modes; l++)
      for (let m = l; m < modes; m++)
        for (let n = m; n < modes; n++) {
          const reference = overlap[flatIndex(modes, p, l, m, n)];
          for (const [a, b, c, d] of permutations([p, l, m, n])) {
            const value = overlap[flatIndex(modes, a, b, c, d)];
            if (Math.abs(value - reference) > limit) {
              return `S[${p}][${l}][${m}][${n}] = ${reference} but S[${a}][${b}][${c}][${d}] = ${value}`;
            }
          }
        }
  return null;
}

export function sparseOverlap(overlap: ArrayLike<number>, modes: number, options: SparseOverlapOptions = {}): SparseOverlap {
  if (overlap.length !== modes ** 4) throw new Error(`overlap: expected ${modes ** 4} entries for ${modes} modes, got ${overlap.length}`);
  const asymmetry = findAsymmetry(overlap, modes, options.symmetryTolerance);
  if (asymmetry !== null) throw new Error(`overlap: S must be symmetric under index permutations: ${asymmetry}`);
  const threshold = options.dropBelow === undefined ? 0 : options.dropBelow * Math.abs(overlap[0]);

  // Entries that differ within the tolerance are averaged, so the tensor used is exactly symmetric.
  const symmetric = (indices: number[]): number => {
    const values = permutations(indices).map(([a, b, c, d]) => overlap[flatIndex(modes, a, b, c, d)]);
    const value = values.every((v) => v === values[0]) ? values[0] : values.reduce((sum, v) => sum + v, 0) / values.length;
    return Math.abs(value) < threshold ? 0 : value;
  };

  const terms: OverlapTerm[] = [];
  const canonical = new Map<string, number>();
  for (let p = 0; p < modes; p++)
    for (let l = p; l < modes; l++)
      for (let m = l; m < modes; m++)
        for (let n = m; n < modes; n++) {
          const value = symmetric([p, l, m, n]);
          canonical.set(`${p},${l},${m},${n}`, value);
          if (value !== 0) terms.push({ indices: [p, l, m, n], value, multiplicity: permutations([p, l, m, n]).length });
        }
  const entry = (indices: number[]): number => canonical.get([...indices].sort((a, b) => a - b).join(',')) ?? 0;

  const pairIndex = new Map<string, number>();
  const pairs: [number, number][] = [];
  const couplings: Coupling[] = [];
  for (let p = 0; p < modes; p++)
    for (let l = p; l < modes; l++) {
      const used: number[] = [];
      const weights: number[] = [];
      for (let m = 0; m < modes; m++)
        for (let n = m; n < modes; n++) {
          const value = entry([p, l, m, n]);
          if (value === 0) continue;
          const key = `${m},${n}`;
          let index = pairIndex.get(key);
          if (index === undefined) {
            index = pairs.length;
            pairIndex.set(key, index);
            pairs.push([m, n]);
          }
          used.push(index);
          weights.push(m < n ? 2 * value : value);
        }
      if (used.length > 0) couplings.push({ p, l, pairs: Int32Array.from(used), weights: Float64Array.from(weights) });
    }
  return { modes, terms, pairs, couplings };
}
