/**
 * The time-domain Kerr + Raman response of the spec, float64 kernels:
 *   NL_p(A) = Σ_lmn S_plmn A_l·[(1-fR)·A_m A_n* + fR·h ⊛ (A_m A_n*)]
 *           = Σ_l Q_pl·A_l,   Q_pl = Σ_{m≤n} w_mn·S_plmn·V_mn,
 *   V_mn = (1-fR)·U_mn + fR·h ⊛ U_mn,   U_mn = Re(A_m A_n*)        (see overlap.ts)
 * and its vector-Jacobian product. Fields are interleaved complex, mode-major (2·M·N).
 *
 * With W the coupling matrix (couplings × pairs, Q = W·V): when W has a row basis
 * W ≈ X·W[J] of fewer rows than pairs (row-basis.ts; graded-index modes), the kernel
 * convolves the rank-many signals Y = W[J]·U instead of the pair fields, and
 * Q = X·((1-fR)·Y + fR·h ⊛ Y). Otherwise the signals are the pair fields themselves
 * (X = W). Either way the arithmetic is done in blocks of BLOCK time points.
 *
 * Adjoint convention (Wirtinger): the adjoint of a complex z is z̄ = ∂J/∂Re z + i·∂J/∂Im z
 * for a real loss J, so dJ = Re(conj(z̄)·dz). Then for y = Q·A (Q real): Ā += Q·ȳ and
 * Q̄ += Re(conj(ȳ)·A); for U = Re(A_m conj(A_n)): Ā_m += Ū·A_n and Ā_n += Ū·A_m; the
 * adjoint of convolution with real h is correlation with h (transfer conj(H)).
 */
import { ComplexFft } from './fft';
import type { SparseOverlap } from './overlap';
import { rowBasis } from './row-basis';

/**
 * Time points per pass of the coupling sums. The signals hold one row of N points each
 * (7 MB for 55 pair fields at N = 2^14, beyond L2), stored block by block: the row
 * blocks that one block's sums read lie together and stay in cache.
 */
const BLOCK = 512;

/** Entries of W below this fraction of max|W| may be lost to the row basis (the GRIN seed's are 2.5e-15). */
const RANK_TOLERANCE = 1e-12;

/**
 * Row r is Σ_k weight[k]·(row index[k] of a source) over start[r] ≤ k < start[r+1].
 * Rows with the same index list (GRIN couplings come in a few such groups) are summed
 * two at a time, sharing the loads of the source: `twins` lists them as (a, b) pairs,
 * `singles` the other rows.
 */
interface SparseRows {
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float64Array;
  readonly twins: Int32Array;
  readonly singles: Int32Array;
}

type Terms = readonly (readonly [index: number, weight: number])[];

function sparseRows(lists: readonly Terms[]): SparseRows {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, r) => (start[r + 1] = start[r] + list.length));
  const flat = lists.flat();
  const twins: number[] = [];
  const waiting = new Map<string, number>();
  lists.forEach((list, r) => {
    const key = list.map(([i]) => i).join(',');
    const partner = waiting.get(key);
    if (partner === undefined) waiting.set(key, r);
    else {
      twins.push(partner, r);
      waiting.delete(key);
    }
  });
  return {
    start,
    index: Int32Array.from(flat, ([i]) => i),
    weight: Float64Array.from(flat, ([, w]) => w),
    twins: Int32Array.from(twins),
    singles: Int32Array.from(waiting.values()),
  };
}

/** The rows of the transpose, each listing its terms in the order of the original rows. */
function transposed(lists: readonly Terms[], columns: number): Terms[] {
  const out: [number, number][][] = Array.from({ length: columns }, () => []);
  lists.forEach((list, r) => list.forEach(([c, w]) => out[c].push([r, w])));
  return out;
}

/** The sums between pair fields U, signals Y and couplings Q, forward and transposed. */
interface CouplingSums {
  readonly signalCount: number;
  /** Y = W[J]·U and its transpose Ū = W[J]^T·Ȳ; null when the signals are the pair fields. */
  readonly toSignals: SparseRows | null;
  readonly fromSignals: SparseRows | null;
  /** Q = X·V (V the signals after the Raman response), and V̄ = X^T·Q̄. */
  readonly toCouplings: SparseRows;
  readonly fromCouplings: SparseRows;
}

function couplingSums(overlap: SparseOverlap): CouplingSums {
  const P = overlap.pairs.length;
  const byCoupling: Terms[] = overlap.couplings.map(({ pairs, weights }) => Array.from(pairs, (j, k) => [j, weights[k]] as const));
  const W = byCoupling.map((terms) => {
    const row = new Float64Array(P);
    for (const [j, w] of terms) row[j] = w;
    return row;
  });
  const basis = rowBasis(W, RANK_TOLERANCE);
  if (basis.rows.length >= P) {
    return { signalCount: P, toSignals: null, fromSignals: null, toCouplings: sparseRows(byCoupling), fromCouplings: sparseRows(transposed(byCoupling, P)) };
  }
  const signals = Array.from(basis.rows, (c) => byCoupling[c]);
  const coefficients: Terms[] = basis.coefficients.map((x) => Array.from(x, (w, k) => [k, w] as const).filter(([, w]) => w !== 0));
  return {
    signalCount: basis.rows.length,
    toSignals: sparseRows(signals),
    fromSignals: sparseRows(transposed(signals, P)),
    toCouplings: sparseRows(coefficients),
    fromCouplings: sparseRows(transposed(coefficients, basis.rows.length)),
  };
}

/** Mode r receives Q_c·(field of mode other[k]) for c = coupling[k], start[r] ≤ k < start[r+1], in coupling order. */
interface Incidence {
  readonly start: Int32Array;
  readonly coupling: Int32Array;
  readonly other: Int32Array;
}

function incidence(overlap: SparseOverlap): Incidence {
  const byMode: [number, number][][] = Array.from({ length: overlap.modes }, () => []);
  overlap.couplings.forEach(({ p, l }, c) => {
    byMode[p].push([c, l]);
    if (p !== l) byMode[l].push([c, p]);
  });
  const start = new Int32Array(overlap.modes + 1);
  byMode.forEach((list, r) => (start[r + 1] = start[r] + list.length));
  const flat = byMode.flat();
  return { start, coupling: Int32Array.from(flat, ([c]) => c), other: Int32Array.from(flat, ([, o]) => o) };
}

export class KerrRamanKernel {
  readonly modes: number;
  readonly points: number;
  /** Number of couplings Q_pl: the apply() side output holds couplingCount·N numbers. */
  readonly couplingCount: number;
  /** Number of real fields that go through the Raman convolution: the pairs, or fewer with a row basis. */
  readonly signalCount: number;
  private readonly ramanFraction: number;
  private readonly transfer: Float64Array | null;
  private readonly fft: ComplexFft;
  private readonly sums: CouplingSums;
  private readonly incidence: Incidence;
  /** (m, n) of each pair and (p, l) of each coupling, interleaved. */
  private readonly pairModes: Int32Array;
  private readonly couplingModes: Int32Array;
  /** Y, V (forward) or V̄, Ȳ (vjp): signalCount real fields, stored block by block. */
  private readonly signals: Float64Array;
  /** U or Ū of one block, BLOCK numbers per pair, when the signals are not the pair fields. */
  private readonly pairBlock: Float64Array;
  /** Q̄ of one block, BLOCK numbers per coupling. */
  private readonly couplingAdjoint: Float64Array;
  /** Blocks of BLOCK points of every mode: fields, an adjoint, a result (see gather). */
  private readonly fieldBlock: Float64Array;
  private readonly adjointBlock: Float64Array;
  private readonly resultBlock: Float64Array;
  /** A transform's input and output (distinct: fft.js copies aliased arrays first). */
  private readonly convolution: Float64Array;
  private readonly spectrum: Float64Array;
  /** For a signal without a partner: the half-length transform, exp(-2πi·k/N) for k ≤ N/2, and H·X for k ≤ N/2. */
  private readonly halfFft: ComplexFft | null;
  private readonly twiddles: Float64Array;
  private readonly halfSpectrum: Float64Array;

  /** `transfer` is raman.ts's H; it is unused (and may be null) when fR = 0. */
  constructor(overlap: SparseOverlap, points: number, ramanFraction: number, transfer: Float64Array | null, fft: ComplexFft) {
    if (ramanFraction !== 0 && transfer === null) throw new Error('KerrRamanKernel: fR > 0 needs the Raman transfer function');
    this.modes = overlap.modes;
    this.points = points;
    this.couplingCount = overlap.couplings.length;
    this.ramanFraction = ramanFraction;
    this.transfer = transfer;
    this.fft = fft;
    this.sums = couplingSums(overlap);
    this.incidence = incidence(overlap);
    this.pairModes = Int32Array.from(overlap.pairs.flat());
    this.couplingModes = Int32Array.from(overlap.couplings.flatMap(({ p, l }) => [p, l]));
    this.signalCount = this.sums.signalCount;
    this.signals = new Float64Array(this.signalCount * points);
    this.pairBlock = new Float64Array(this.sums.toSignals === null ? 0 : overlap.pairs.length * BLOCK);
    this.couplingAdjoint = new Float64Array(this.couplingCount * BLOCK);
    this.fieldBlock = new Float64Array(2 * this.modes * BLOCK);
    this.adjointBlock = new Float64Array(2 * this.modes * BLOCK);
    this.resultBlock = new Float64Array(2 * this.modes * BLOCK);
    this.convolution = new Float64Array(2 * points);
    this.spectrum = new Float64Array(2 * points);
    const single = ramanFraction !== 0 && this.signalCount % 2 === 1;
    if (single && points < 4) throw new Error(`KerrRamanKernel: the Raman convolution needs at least 4 points, got ${points}`);
    this.halfFft = single ? new ComplexFft(points / 2) : null;
    this.twiddles = new Float64Array(single ? points + 2 : 0);
    for (let k = 0; 2 * k < this.twiddles.length; k++) {
      this.twiddles[2 * k] = Math.cos((2 * Math.PI * k) / points);
      this.twiddles[2 * k + 1] = -Math.sin((2 * Math.PI * k) / points);
    }
    this.halfSpectrum = new Float64Array(this.twiddles.length);
  }

  /** Bytes of scratch this kernel holds. */
  get scratchBytes(): number {
    const half = this.twiddles.length + this.halfSpectrum.length + (this.halfFft === null ? 0 : 2 * this.points);
    const blocks = this.pairBlock.length + this.couplingAdjoint.length + this.fieldBlock.length + this.adjointBlock.length + this.resultBlock.length;
    return 8 * (this.signals.length + blocks + this.convolution.length + this.spectrum.length + half);
  }

  /**
   * out = NL(fields) (overwritten); q receives the couplings Q_pl, which vjp() needs,
   * block by block: the block of points t0.. holds couplingCount rows of its length.
   */
  apply(fields: Float64Array, out: Float64Array, q: Float64Array): void {
    const N = this.points;
    const K = this.signalCount;
    const C = this.couplingCount;
    const { toSignals, toCouplings } = this.sums;
    const y = this.signals;
    // U straight into the signals, or one block of U at a time, summed into Y = W[J]·U.
    const u = toSignals === null ? y : this.pairBlock;
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      pairProducts(this.pairModes, fields, N, t0, len, u, toSignals === null ? t0 * K : 0);
      if (toSignals !== null) sumRows(toSignals, u, 0, y, t0 * K, len);
    }
    this.applyRaman(false);
    const a = this.fieldBlock;
    const nl = this.resultBlock;
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      this.gather(fields, a, t0, len);
      sumRows(toCouplings, y, t0 * K, q, t0 * C, len);
      this.spread(q, t0 * C, a, nl, len);
      this.scatter(nl, out, t0, len);
    }
  }

  /** fieldsAdjoint (overwritten) = (∂NL/∂fields)^H·outAdjoint, at the fields and q of an apply(). */
  vjp(fields: Float64Array, q: Float64Array, outAdjoint: Float64Array, fieldsAdjoint: Float64Array): void {
    const N = this.points;
    const K = this.signalCount;
    const C = this.couplingCount;
    const { fromSignals, fromCouplings } = this.sums;
    const yBar = this.signals;
    const qBar = this.couplingAdjoint;
    const a = this.fieldBlock;
    const bar = this.adjointBlock;
    const aBar = this.resultBlock;
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      this.gather(fields, a, t0, len);
      this.gather(outAdjoint, bar, t0, len);
      couplingAdjoints(this.couplingModes, a, bar, len, qBar);
      this.spread(q, t0 * C, bar, aBar, len);
      this.scatter(aBar, fieldsAdjoint, t0, len);
      sumRows(fromCouplings, qBar, 0, yBar, t0 * K, len);
    }
    this.applyRaman(true);
    const uBar = fromSignals === null ? yBar : this.pairBlock;
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      let uBase = t0 * K;
      if (fromSignals !== null) {
        sumRows(fromSignals, yBar, t0 * K, uBar, 0, len);
        uBase = 0;
      }
      this.gather(fields, a, t0, len);
      this.gather(fieldsAdjoint, aBar, t0, len);
      addPairAdjoints(this.pairModes, uBar, uBase, a, aBar, len);
      this.scatter(aBar, fieldsAdjoint, t0, len);
    }
  }

  /**
   * The `len` points from t0 of every mode of a mode-major field, into one compact block.
   * The modes lie 2N numbers apart, a stride that maps them all onto the same cache sets.
   */
  private gather(field: Float64Array, block: Float64Array, t0: number, len: number): void {
    const N = this.points;
    for (let r = 0; r < this.modes; r++) block.set(field.subarray(2 * (r * N + t0), 2 * (r * N + t0 + len)), 2 * r * len);
  }

  /** The inverse of gather. */
  private scatter(block: Float64Array, field: Float64Array, t0: number, len: number): void {
    const N = this.points;
    for (let r = 0; r < this.modes; r++) field.set(block.subarray(2 * r * len, 2 * (r + 1) * len), 2 * (r * N + t0));
  }

  /**
   * On blocks of `len` points: dst_r = Σ Q_pl·src_o over the couplings (p, l) that
   * contain r, o the other index, in coupling order (q's block starts at qBase). With
   * src = fields it is NL_r = Σ_l Q_rl·A_l; with src = the output adjoint, the field adjoint's Q part.
   */
  private spread(q: Float64Array, qBase: number, src: Float64Array, dst: Float64Array, len: number): void {
    const { start, coupling, other } = this.incidence;
    for (let r = 0; r < this.modes; r++) {
      const d = 2 * r * len;
      for (let i = 0; i < 2 * len; i++) dst[d + i] = 0;
      let k = start[r];
      const end = start[r + 1];
      for (; k + 2 <= end; k += 2) {
        const q0 = qBase + coupling[k] * len;
        const q1 = qBase + coupling[k + 1] * len;
        const s0 = 2 * other[k] * len;
        const s1 = 2 * other[k + 1] * len;
        for (let i = 0; i < len; i++) {
          const x = q[q0 + i];
          const y = q[q1 + i];
          dst[d + 2 * i] = dst[d + 2 * i] + x * src[s0 + 2 * i] + y * src[s1 + 2 * i];
          dst[d + 2 * i + 1] = dst[d + 2 * i + 1] + x * src[s0 + 2 * i + 1] + y * src[s1 + 2 * i + 1];
        }
      }
      for (; k < end; k++) {
        const q0 = qBase + coupling[k] * len;
        const s0 = 2 * other[k] * len;
        for (let i = 0; i < len; i++) {
          const x = q[q0 + i];
          dst[d + 2 * i] += x * src[s0 + 2 * i];
          dst[d + 2 * i + 1] += x * src[s0 + 2 * i + 1];
        }
      }
    }
  }

  /**
   * signals ← (1-fR)·signals + fR·(h ⊛ signals), or with correlation (the
   * adjoint) when `adjoint`. Two real fields share one complex FFT: h is real, so the
   * response to U_a + i·U_b has real part h ⊛ U_a and imaginary part h ⊛ U_b. A field
   * left without a partner (an odd count) goes through a half-length FFT instead.
   */
  private applyRaman(adjoint: boolean): void {
    if (this.ramanFraction === 0 || this.transfer === null) return;
    const count = this.signalCount;
    for (let j = 0; j + 1 < count; j += 2) this.convolvePair(j, j + 1, adjoint);
    if (count % 2 === 1) this.convolveSingle(count - 1, adjoint);
  }

  /** Signals a and b (their indices). */
  private convolvePair(a: number, b: number, adjoint: boolean): void {
    const N = this.points;
    const P = this.signalCount;
    const fR = this.ramanFraction;
    const v = this.signals;
    const z = this.convolution;
    const Z = this.spectrum;
    const H = this.transfer!;
    const sign = adjoint ? -1 : 1;
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      const va = t0 * P + a * len;
      const vb = t0 * P + b * len;
      for (let i = 0; i < len; i++) {
        z[2 * (t0 + i)] = v[va + i];
        z[2 * (t0 + i) + 1] = v[vb + i];
      }
    }
    this.fft.negative(z, Z);
    for (let k = 0; k < N; k++) {
      const hr = H[2 * k];
      const hi = sign * H[2 * k + 1];
      const zr = Z[2 * k];
      const zi = Z[2 * k + 1];
      Z[2 * k] = hr * zr - hi * zi;
      Z[2 * k + 1] = hr * zi + hi * zr;
    }
    this.fft.positive(Z, z);
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      const va = t0 * P + a * len;
      const vb = t0 * P + b * len;
      for (let i = 0; i < len; i++) {
        v[va + i] = (1 - fR) * v[va + i] + fR * z[2 * (t0 + i)];
        v[vb + i] = (1 - fR) * v[vb + i] + fR * z[2 * (t0 + i) + 1];
      }
    }
  }

  /**
   * The same for one real field U (length N) with an FFT of length N/2 on
   * z_m = U_2m + i·U_2m+1. With Z its transform, the transforms of the even and odd
   * samples are E_k = (Z_k + conj Z_{N/2-k})/2 and O_k = (Z_k - conj Z_{N/2-k})/(2i), so
   * X_k = E_k + W^k·O_k (W = exp(-2πi/N)) for k ≤ N/2; Y = H·X is Hermitian, and the
   * inverse packs it back as G_k = (Y_k + Y_{k+N/2}) + i·(Y_k - Y_{k+N/2})·W^-k with
   * Y_{k+N/2} = conj Y_{N/2-k}, whose half-length inverse is (y_2m + i·y_2m+1)·2.
   */
  private convolveSingle(a: number, adjoint: boolean): void {
    const N = this.points;
    const P = this.signalCount;
    const half = N / 2;
    const fR = this.ramanFraction;
    const v = this.signals;
    const z = this.convolution.subarray(0, N);
    const Z = this.spectrum.subarray(0, N);
    const Y = this.halfSpectrum;
    const w = this.twiddles;
    const H = this.transfer!;
    const sign = adjoint ? -1 : 1;
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      z.set(v.subarray(t0 * P + a * len, t0 * P + (a + 1) * len), t0);
    }
    this.halfFft!.negative(z, Z);
    for (let k = 0; k <= half; k++) {
      const i = k === half ? 0 : 2 * k;
      const c = k === 0 ? 0 : 2 * (half - k);
      const zr = Z[i];
      const zi = Z[i + 1];
      const cr = Z[c];
      const ci = -Z[c + 1];
      // E = (Z_k + conj Z_{N/2-k})/2, O = -i·(Z_k - conj Z_{N/2-k})/2.
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = w[2 * k];
      const wi = w[2 * k + 1];
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      const hr = H[2 * k];
      const hi = sign * H[2 * k + 1];
      Y[2 * k] = hr * xr - hi * xi;
      Y[2 * k + 1] = hr * xi + hi * xr;
    }
    for (let k = 0; k < half; k++) {
      const yr = Y[2 * k];
      const yi = Y[2 * k + 1];
      const br = Y[2 * (half - k)];
      const bi = -Y[2 * (half - k) + 1];
      // Odd part times W^-k = conj(W^k).
      const dr = yr - br;
      const di = yi - bi;
      const wr = w[2 * k];
      const wi = w[2 * k + 1];
      const or = dr * wr + di * wi;
      const oi = di * wr - dr * wi;
      Z[2 * k] = yr + br - oi;
      Z[2 * k + 1] = yi + bi + or;
    }
    this.halfFft!.positive(Z, z);
    for (let t0 = 0; t0 < N; t0 += BLOCK) {
      const len = Math.min(BLOCK, N - t0);
      const va = t0 * P + a * len;
      for (let i = 0; i < len; i++) v[va + i] = (1 - fR) * v[va + i] + 0.5 * fR * z[t0 + i];
    }
  }
}

/**
 * Every row of a block of `len` points: dst[dstBase + r·len + i] = Σ_k weight_k·src[srcBase + index_k·len + i],
 * summed from 0 in the order the terms are listed.
 */
function sumRows(rows: SparseRows, src: Float64Array, srcBase: number, dst: Float64Array, dstBase: number, len: number): void {
  const { start, index, weight, twins, singles } = rows;
  for (let pair = 0; pair < twins.length; pair += 2) {
    const a = twins[pair];
    const b = twins[pair + 1];
    const da = dstBase + a * len;
    const db = dstBase + b * len;
    for (let i = 0; i < len; i++) {
      dst[da + i] = 0;
      dst[db + i] = 0;
    }
    let k = start[a];
    const end = start[a + 1];
    const shift = start[b] - k;
    for (; k + 4 <= end; k += 4) {
      const a0 = weight[k];
      const a1 = weight[k + 1];
      const a2 = weight[k + 2];
      const a3 = weight[k + 3];
      const b0 = weight[k + shift];
      const b1 = weight[k + shift + 1];
      const b2 = weight[k + shift + 2];
      const b3 = weight[k + shift + 3];
      const s0 = srcBase + index[k] * len;
      const s1 = srcBase + index[k + 1] * len;
      const s2 = srcBase + index[k + 2] * len;
      const s3 = srcBase + index[k + 3] * len;
      for (let i = 0; i < len; i++) {
        const x0 = src[s0 + i];
        const x1 = src[s1 + i];
        const x2 = src[s2 + i];
        const x3 = src[s3 + i];
        dst[da + i] = dst[da + i] + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        dst[db + i] = dst[db + i] + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
      }
    }
    for (; k < end; k++) {
      const wa = weight[k];
      const wb = weight[k + shift];
      const s = srcBase + index[k] * len;
      for (let i = 0; i < len; i++) {
        const x = src[s + i];
        dst[da + i] += wa * x;
        dst[db + i] += wb * x;
      }
    }
  }
  for (const r of singles) {
    const d = dstBase + r * len;
    for (let i = 0; i < len; i++) dst[d + i] = 0;
    let k = start[r];
    const end = start[r + 1];
    for (; k + 4 <= end; k += 4) {
      const w0 = weight[k];
      const w1 = weight[k + 1];
      const w2 = weight[k + 2];
      const w3 = weight[k + 3];
      const s0 = srcBase + index[k] * len;
      const s1 = srcBase + index[k + 1] * len;
      const s2 = srcBase + index[k + 2] * len;
      const s3 = srcBase + index[k + 3] * len;
      for (let i = 0; i < len; i++) dst[d + i] = dst[d + i] + w0 * src[s0 + i] + w1 * src[s1 + i] + w2 * src[s2 + i] + w3 * src[s3 + i];
    }
    for (; k < end; k++) {
      const w = weight[k];
      const s = srcBase + index[k] * len;
      for (let i = 0; i < len; i++) dst[d + i] += w * src[s + i];
    }
  }
}

/** U_mn = Re(A_m conj(A_n)) of every pair, for the `len` points from t0: row j of the block at dst[dstBase + j·len]. */
function pairProducts(pairModes: Int32Array, fields: Float64Array, N: number, t0: number, len: number, dst: Float64Array, dstBase: number): void {
  for (let j = 0; 2 * j < pairModes.length; j++) {
    const am = 2 * (pairModes[2 * j] * N + t0);
    const an = 2 * (pairModes[2 * j + 1] * N + t0);
    const d = dstBase + j * len;
    for (let i = 0; i < len; i++) dst[d + i] = fields[am + 2 * i] * fields[an + 2 * i] + fields[am + 2 * i + 1] * fields[an + 2 * i + 1];
  }
}

/** Q̄_pl = Re(conj(NL̄_p)·A_l) (+ Re(conj(NL̄_l)·A_p) when p ≠ l) on compact blocks (see gather). */
function couplingAdjoints(couplingModes: Int32Array, a: Float64Array, bar: Float64Array, len: number, qBar: Float64Array): void {
  for (let c = 0; 2 * c < couplingModes.length; c++) {
    const p = couplingModes[2 * c];
    const l = couplingModes[2 * c + 1];
    const ap = 2 * p * len;
    const al = 2 * l * len;
    const d = c * len;
    if (p === l) {
      for (let i = 0; i < len; i++) qBar[d + i] = bar[ap + 2 * i] * a[al + 2 * i] + bar[ap + 2 * i + 1] * a[al + 2 * i + 1];
    } else {
      for (let i = 0; i < len; i++) {
        const first = bar[ap + 2 * i] * a[al + 2 * i] + bar[ap + 2 * i + 1] * a[al + 2 * i + 1];
        qBar[d + i] = first + (bar[al + 2 * i] * a[ap + 2 * i] + bar[al + 2 * i + 1] * a[ap + 2 * i + 1]);
      }
    }
  }
}

/** Ā_m += Ū_mn·A_n and Ā_n += Ū_mn·A_m on compact blocks, Ū's row j at uBar[uBase + j·len]. */
function addPairAdjoints(pairModes: Int32Array, uBar: Float64Array, uBase: number, a: Float64Array, aBar: Float64Array, len: number): void {
  for (let j = 0; 2 * j < pairModes.length; j++) {
    const am = 2 * pairModes[2 * j] * len;
    const an = 2 * pairModes[2 * j + 1] * len;
    const u = uBase + j * len;
    for (let i = 0; i < len; i++) {
      const w = uBar[u + i];
      aBar[am + 2 * i] += w * a[an + 2 * i];
      aBar[am + 2 * i + 1] += w * a[an + 2 * i + 1];
      aBar[an + 2 * i] += w * a[am + 2 * i];
      aBar[an + 2 * i + 1] += w * a[am + 2 * i + 1];
    }
  }
}
