/**
 * The time-domain Kerr + Raman response of the spec, float64 kernels:
 *   NL_p(A) = Σ_lmn S_plmn A_l·[(1-fR)·A_m A_n* + fR·h ⊛ (A_m A_n*)]
 *           = Σ_l Q_pl·A_l,   Q_pl = Σ_{m≤n} w_mn·S_plmn·V_mn,
 *   V_mn = (1-fR)·U_mn + fR·h ⊛ U_mn,   U_mn = Re(A_m A_n*)        (see overlap.ts)
 * and its vector-Jacobian product. Fields are interleaved complex, mode-major (2·M·N).
 *
 * Adjoint convention (Wirtinger): the adjoint of a complex z is z̄ = ∂J/∂Re z + i·∂J/∂Im z
 * for a real loss J, so dJ = Re(conj(z̄)·dz). Then for y = Q·A (Q real): Ā += Q·ȳ and
 * Q̄ += Re(conj(ȳ)·A); for U = Re(A_m conj(A_n)): Ā_m += Ū·A_n and Ā_n += Ū·A_m; the
 * adjoint of convolution with real h is correlation with h (transfer conj(H)).
 */
import { ComplexFft } from './fft';
import type { SparseOverlap } from './overlap';

export class KerrRamanKernel {
  readonly modes: number;
  readonly points: number;
  /** Number of couplings Q_pl: the apply() side output holds couplingCount·N numbers. */
  readonly couplingCount: number;
  private readonly overlap: SparseOverlap;
  private readonly ramanFraction: number;
  private readonly transfer: Float64Array | null;
  private readonly fft: ComplexFft;
  /** V (forward) or V̄ (vjp), one real field per pair. */
  private readonly pairFields: Float64Array;
  /** A transform's input and output (distinct: fft.js copies aliased arrays first). */
  private readonly convolution: Float64Array;
  private readonly spectrum: Float64Array;
  /** For a pair field without a partner: the half-length transform, exp(-2πi·k/N) for k ≤ N/2, and H·X for k ≤ N/2. */
  private readonly halfFft: ComplexFft | null;
  private readonly twiddles: Float64Array;
  private readonly halfSpectrum: Float64Array;
  private readonly couplingAdjoint: Float64Array;

  /** `transfer` is raman.ts's H; it is unused (and may be null) when fR = 0. */
  constructor(overlap: SparseOverlap, points: number, ramanFraction: number, transfer: Float64Array | null, fft: ComplexFft) {
    if (ramanFraction !== 0 && transfer === null) throw new Error('KerrRamanKernel: fR > 0 needs the Raman transfer function');
    this.modes = overlap.modes;
    this.points = points;
    this.couplingCount = overlap.couplings.length;
    this.overlap = overlap;
    this.ramanFraction = ramanFraction;
    this.transfer = transfer;
    this.fft = fft;
    this.pairFields = new Float64Array(overlap.pairs.length * points);
    this.convolution = new Float64Array(2 * points);
    this.spectrum = new Float64Array(2 * points);
    const single = ramanFraction !== 0 && overlap.pairs.length % 2 === 1;
    if (single && points < 4) throw new Error(`KerrRamanKernel: the Raman convolution needs at least 4 points, got ${points}`);
    this.halfFft = single ? new ComplexFft(points / 2) : null;
    this.twiddles = new Float64Array(single ? points + 2 : 0);
    for (let k = 0; 2 * k < this.twiddles.length; k++) {
      this.twiddles[2 * k] = Math.cos((2 * Math.PI * k) / points);
      this.twiddles[2 * k + 1] = -Math.sin((2 * Math.PI * k) / points);
    }
    this.halfSpectrum = new Float64Array(this.twiddles.length);
    this.couplingAdjoint = new Float64Array(points);
  }

  /** Bytes of scratch this kernel holds. */
  get scratchBytes(): number {
    const half = this.twiddles.length + this.halfSpectrum.length + (this.halfFft === null ? 0 : 2 * this.points);
    return 8 * (this.pairFields.length + this.convolution.length + this.spectrum.length + half + this.couplingAdjoint.length);
  }

  /** out = NL(fields) (overwritten); q receives the couplings Q_pl, which vjp() needs. */
  apply(fields: Float64Array, out: Float64Array, q: Float64Array): void {
    const N = this.points;
    const v = this.pairFields;
    const pairs = this.overlap.pairs;
    for (let j = 0; j < pairs.length; j++) {
      const am = 2 * pairs[j][0] * N;
      const an = 2 * pairs[j][1] * N;
      const base = j * N;
      for (let t = 0; t < N; t++) {
        v[base + t] = fields[am + 2 * t] * fields[an + 2 * t] + fields[am + 2 * t + 1] * fields[an + 2 * t + 1];
      }
    }
    this.applyRaman(false);
    out.fill(0);
    const couplings = this.overlap.couplings;
    for (let c = 0; c < couplings.length; c++) {
      const { p, l, pairs: used, weights } = couplings[c];
      const qBase = c * N;
      for (let t = 0; t < N; t++) q[qBase + t] = 0;
      for (let j = 0; j < used.length; j++) {
        const w = weights[j];
        const base = used[j] * N;
        for (let t = 0; t < N; t++) q[qBase + t] += w * v[base + t];
      }
      const ap = 2 * p * N;
      const al = 2 * l * N;
      for (let t = 0; t < N; t++) {
        const qt = q[qBase + t];
        out[ap + 2 * t] += qt * fields[al + 2 * t];
        out[ap + 2 * t + 1] += qt * fields[al + 2 * t + 1];
      }
      if (p !== l) {
        for (let t = 0; t < N; t++) {
          const qt = q[qBase + t];
          out[al + 2 * t] += qt * fields[ap + 2 * t];
          out[al + 2 * t + 1] += qt * fields[ap + 2 * t + 1];
        }
      }
    }
  }

  /** fieldsAdjoint (overwritten) = (∂NL/∂fields)^H·outAdjoint, at the fields and q of an apply(). */
  vjp(fields: Float64Array, q: Float64Array, outAdjoint: Float64Array, fieldsAdjoint: Float64Array): void {
    const N = this.points;
    const vBar = this.pairFields;
    const qBar = this.couplingAdjoint;
    fieldsAdjoint.fill(0);
    vBar.fill(0);
    const couplings = this.overlap.couplings;
    for (let c = 0; c < couplings.length; c++) {
      const { p, l, pairs: used, weights } = couplings[c];
      const qBase = c * N;
      const ap = 2 * p * N;
      const al = 2 * l * N;
      for (let t = 0; t < N; t++) {
        const re = 2 * t;
        const im = re + 1;
        const qt = q[qBase + t];
        qBar[t] = outAdjoint[ap + re] * fields[al + re] + outAdjoint[ap + im] * fields[al + im];
        fieldsAdjoint[al + re] += qt * outAdjoint[ap + re];
        fieldsAdjoint[al + im] += qt * outAdjoint[ap + im];
      }
      if (p !== l) {
        for (let t = 0; t < N; t++) {
          const re = 2 * t;
          const im = re + 1;
          const qt = q[qBase + t];
          qBar[t] += outAdjoint[al + re] * fields[ap + re] + outAdjoint[al + im] * fields[ap + im];
          fieldsAdjoint[ap + re] += qt * outAdjoint[al + re];
          fieldsAdjoint[ap + im] += qt * outAdjoint[al + im];
        }
      }
      for (let j = 0; j < used.length; j++) {
        const w = weights[j];
        const base = used[j] * N;
        for (let t = 0; t < N; t++) vBar[base + t] += w * qBar[t];
      }
    }
    this.applyRaman(true);
    const pairs = this.overlap.pairs;
    for (let j = 0; j < pairs.length; j++) {
      const am = 2 * pairs[j][0] * N;
      const an = 2 * pairs[j][1] * N;
      const base = j * N;
      for (let t = 0; t < N; t++) {
        const u = vBar[base + t];
        const re = 2 * t;
        const im = re + 1;
        const mRe = fields[am + re];
        const mIm = fields[am + im];
        fieldsAdjoint[am + re] += u * fields[an + re];
        fieldsAdjoint[am + im] += u * fields[an + im];
        fieldsAdjoint[an + re] += u * mRe;
        fieldsAdjoint[an + im] += u * mIm;
      }
    }
  }

  /**
   * pairFields ← (1-fR)·pairFields + fR·(h ⊛ pairFields), or with correlation (the
   * adjoint) when `adjoint`. Two real fields share one complex FFT: h is real, so the
   * response to U_a + i·U_b has real part h ⊛ U_a and imaginary part h ⊛ U_b. A field
   * left without a partner (one mode has one pair) goes through a half-length FFT instead.
   */
  private applyRaman(adjoint: boolean): void {
    if (this.ramanFraction === 0 || this.transfer === null) return;
    const count = this.overlap.pairs.length;
    for (let j = 0; j + 1 < count; j += 2) this.convolvePair(j * this.points, (j + 1) * this.points, adjoint);
    if (count % 2 === 1) this.convolveSingle((count - 1) * this.points, adjoint);
  }

  private convolvePair(a: number, b: number, adjoint: boolean): void {
    const N = this.points;
    const fR = this.ramanFraction;
    const v = this.pairFields;
    const z = this.convolution;
    const Z = this.spectrum;
    const H = this.transfer!;
    const sign = adjoint ? -1 : 1;
    for (let t = 0; t < N; t++) {
      z[2 * t] = v[a + t];
      z[2 * t + 1] = v[b + t];
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
    for (let t = 0; t < N; t++) {
      v[a + t] = (1 - fR) * v[a + t] + fR * z[2 * t];
      v[b + t] = (1 - fR) * v[b + t] + fR * z[2 * t + 1];
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
    const half = N / 2;
    const fR = this.ramanFraction;
    const v = this.pairFields;
    const z = this.convolution.subarray(0, N);
    const Z = this.spectrum.subarray(0, N);
    const Y = this.halfSpectrum;
    const w = this.twiddles;
    const H = this.transfer!;
    const sign = adjoint ? -1 : 1;
    z.set(v.subarray(a, a + N));
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
    for (let t = 0; t < N; t++) v[a + t] = (1 - fR) * v[a + t] + 0.5 * fR * z[t];
  }
}
