import { DeviceField } from './field';
import { GpuDevice } from './device';
import { Op } from './drive';
import { FftPlan } from './fft';
import { DiagonalMultiplyAdd, LinearCombination } from './elementwise';
import { CouplingTables } from './couplings';
import { CoupledSum, ModeCotangent, PairCotangent, PairProducts } from './kerr-raman';
import { uploadTable } from './field';

/** How the step's frequency domain relates to time: F = scale·Σ_j x_j·exp(sign·2πi·j·k/n). */
export interface TransformConvention {
  sign: 1 | -1;
  scale: number;
}

export interface NonlinearTables {
  n: number;
  modes: number;
  couplings: CouplingTables;
  /** fR; 0 skips the Raman convolution. */
  ramanFraction: number;
  /** i·γ0·(1 + s·Ω/ω0), one row for all modes. */
  prefactor: DeviceField;
  /** Spectrum of the convolution weights dt·h_k, same sign as `transform`; null when fR = 0. */
  ramanSpectrum: DeviceField | null;
  twiddles: DeviceField;
  transform: TransformConvention;
}

/**
 * The frequency-domain nonlinear operator of the GMMNLSE,
 *   N(Â)_p = i·γ0·(1 + s·Ω/ω0) · F[ Σ S·A_l·((1 − fR)·A_m·conj(A_n) + fR·h ⊛ (A_m·conj(A_n))) ],
 * A = F⁻¹Â, and its vector-Jacobian product. Results live in buffers this
 * object owns and stay valid until its next apply() or vjp().
 */
export class NonlinearOperator {
  private readonly modesA: FftPlan;
  private readonly modesB: FftPlan;
  private readonly pairsFft: FftPlan | null;
  private readonly products: PairProducts;
  private readonly sum: CoupledSum;
  private readonly pairCotangent: PairCotangent;
  private readonly modeCotangent: ModeCotangent;
  private readonly prefactor: DiagonalMultiplyAdd;
  private readonly raman: DiagonalMultiplyAdd | null;
  private readonly ramanMix: LinearCombination;
  private readonly cotangentMix: LinearCombination;
  private readonly n: number;
  private readonly fR: number;
  private readonly transform: TransformConvention;

  private constructor(device: GpuDevice, tables: NonlinearTables, deviceTables: Record<string, unknown>) {
    const { n, modes, couplings } = tables;
    const pairs = couplings.pairs.length;
    this.n = n;
    this.fR = tables.ramanFraction;
    this.transform = tables.transform;
    this.modesA = new FftPlan(device, 'nl.fftModesA', n, modes, tables.twiddles);
    this.modesB = new FftPlan(device, 'nl.fftModesB', n, modes, tables.twiddles);
    this.products = new PairProducts(device, n, modes, deviceTables.pairs, pairs);
    this.sum = new CoupledSum(device, n, pairs, deviceTables.byMode, couplings.byMode);
    this.pairCotangent = new PairCotangent(device, n, modes, deviceTables.byPair, couplings.byPair);
    this.modeCotangent = new ModeCotangent(
      device,
      n,
      pairs,
      deviceTables.byFactor,
      couplings.byFactor,
      deviceTables.pairsByMode,
      couplings.pairsByMode,
    );
    this.prefactor = new DiagonalMultiplyAdd(device, 'nl.prefactor', tables.prefactor, modes);
    const withRaman = this.fR !== 0;
    this.pairsFft = withRaman ? new FftPlan(device, 'nl.fftPairs', n, pairs, tables.twiddles) : null;
    this.raman = withRaman ? new DiagonalMultiplyAdd(device, 'nl.raman', ramanTable(tables), pairs) : null;
    this.ramanMix = new LinearCombination(device, 'nl.ramanMix', n, pairs);
    this.cotangentMix = new LinearCombination(device, 'nl.cotangentMix', n, pairs);
  }

  static *create(device: GpuDevice, tables: NonlinearTables): Op<NonlinearOperator> {
    const c = tables.couplings;
    if (c.modes !== tables.modes) throw new Error(`couplings: tables for ${c.modes} modes, the field has ${tables.modes}`);
    if (!(tables.ramanFraction >= 0 && tables.ramanFraction <= 1)) {
      throw new Error(`ramanFraction: must lie in [0, 1], got ${tables.ramanFraction}`);
    }
    const deviceTables = {
      pairs: yield* uploadTable(device, 'nl.pairTable', c.pairTable),
      byMode: yield* uploadTable(device, 'nl.byMode', c.byMode.table),
      byPair: yield* uploadTable(device, 'nl.byPair', c.byPair.table),
      byFactor: yield* uploadTable(device, 'nl.byFactor', c.byFactor.table),
      pairsByMode: yield* uploadTable(device, 'nl.pairsByMode', c.pairsByMode.table),
    };
    return new NonlinearOperator(device, tables, deviceTables);
  }

  /** Q = (1 − fR)·T + fR·h ⊛ T from time-domain fields A, and T itself. */
  private *mixedProducts(a: DeviceField): Op<{ t: DeviceField; q: DeviceField }> {
    const t = yield* this.products.run(a);
    if (!this.pairsFft || !this.raman) return { t, q: t };
    const v = yield* this.convolve(t, false);
    return { t, q: yield* this.ramanMix.run(1 - this.fR, t, this.fR, v) };
  }

  /** h ⊛ x, or with `adjoint` its transpose (correlation with h). */
  private *convolve(x: DeviceField, adjoint: boolean): Op<DeviceField> {
    const { sign } = this.transform;
    const spectrum = yield* this.pairsFft!.transform(x, sign);
    const weighted = yield* this.raman!.multiply(spectrum, adjoint);
    return yield* this.pairsFft!.transform(weighted, -sign as 1 | -1, 1 / this.n);
  }

  private *toTime(u: DeviceField): Op<DeviceField> {
    const { sign, scale } = this.transform;
    return yield* this.modesA.transform(u, -sign as 1 | -1, 1 / (this.n * scale));
  }

  /** N(u) for frequency-domain u. */
  *apply(u: DeviceField): Op<DeviceField> {
    const a = yield* this.toTime(u);
    const { q } = yield* this.mixedProducts(a);
    const nl = yield* this.sum.run(a, q);
    const spectrum = yield* this.modesA.transform(nl, this.transform.sign, this.transform.scale);
    return yield* this.prefactor.multiply(spectrum);
  }

  /**
   * scale·J(u)ᴴ·ȳ: the cotangent of u given the cotangent ȳ of N(u), with
   * cotangents x̄ = ∂L/∂Re x + i·∂L/∂Im x for a real loss L.
   */
  *vjp(u: DeviceField, yBar: DeviceField, scale = 1): Op<DeviceField> {
    const { sign, scale: fScale } = this.transform;
    const a = yield* this.toTime(u);
    const { q } = yield* this.mixedProducts(a);
    // NL̄ = Fᴴ(conj(W)·ȳ), Fᴴ = fScale·Σ exp(−sign·…)
    const weighted = yield* this.prefactor.multiply(yBar, true);
    const nlBar = yield* this.modesB.transform(weighted, -sign as 1 | -1, fScale);
    const qBar = yield* this.pairCotangent.run(a, nlBar);
    const tBar = this.pairsFft
      ? yield* this.cotangentMix.run(1 - this.fR, qBar, this.fR, yield* this.convolve(qBar, true))
      : qBar;
    const aBar = yield* this.modeCotangent.run(a, nlBar, q, tBar);
    // (F⁻¹)ᴴ = Σ exp(+sign·…)/(n·fScale)
    return yield* this.modesB.transform(aBar, sign, scale / (this.n * fScale));
  }
}

function ramanTable(tables: NonlinearTables): DeviceField {
  if (!tables.ramanSpectrum) throw new Error('ramanSpectrum: required when ramanFraction > 0');
  return tables.ramanSpectrum;
}
