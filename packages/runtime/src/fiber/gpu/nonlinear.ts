import { Destination, DeviceData, GpuDevice } from './device';
import { Op } from '../../drive/index';
import { DiagonalMultiplyAdd, LinearCombination } from './elementwise';
import { CouplingTables } from './couplings';
import { DeviceField, uploadTable } from './field';
import { FftPlan } from './fft';
import { CoupledSum, ModeCotangent, PairCotangent, PairProducts } from './kerr-raman';

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
  /** The frequency-domain prefactor W (i·γ0·(1 + s·Ω/ω0), times h if wanted), one row for all modes. */
  prefactor: DeviceField;
  /** Spectrum of the convolution weights dt·h_k under `transform.sign`; null when fR = 0. */
  ramanSpectrum: DeviceField | null;
  twiddles: DeviceField;
  transform: TransformConvention;
}

/** The time-domain state of one evaluation, all its vjp needs: A = F⁻¹u and Q = (1 − fR)·T + fR·h ⊛ T. */
export interface NonlinearPoint {
  a: DeviceField;
  q: DeviceField;
}

/** Where to keep a point that must outlive the operator's next call (a tape). */
export interface PointDestinations {
  a: Destination;
  q: Destination;
}

/**
 * The frequency-domain nonlinear operator of the GMMNLSE,
 *   N(u)_p = W · F[ Σ S·A_l·((1 − fR)·A_m·conj(A_n) + fR·h ⊛ (A_m·conj(A_n))) ],  A = F⁻¹u,
 * and its vector-jacobian product. Results live in buffers this object owns,
 * valid until its next call, unless a destination is given.
 */
export class NonlinearOperator {
  private readonly modesA: FftPlan;
  private readonly modesB: FftPlan;
  private readonly products: PairProducts;
  private readonly sum: CoupledSum;
  private readonly pairCotangent: PairCotangent;
  private readonly modeCotangent: ModeCotangent;
  private readonly prefactor: DiagonalMultiplyAdd;
  private readonly raman: RamanConvolution | null;
  private readonly n: number;
  private readonly transform: TransformConvention;

  private constructor(device: GpuDevice, tables: NonlinearTables, deviceTables: Record<keyof typeof TABLES, DeviceData>) {
    const { n, modes, couplings } = tables;
    const pairs = couplings.pairs.length;
    this.n = n;
    this.transform = tables.transform;
    this.modesA = new FftPlan(device, 'nl.fftModesA', n, modes, tables.twiddles);
    this.modesB = new FftPlan(device, 'nl.fftModesB', n, modes, tables.twiddles);
    this.products = new PairProducts(device, n, modes, deviceTables.pairTable, pairs);
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
    this.raman = tables.ramanFraction === 0 ? null : new RamanConvolution(device, tables, pairs);
  }

  static *create(device: GpuDevice, tables: NonlinearTables): Op<NonlinearOperator> {
    const c = tables.couplings;
    if (c.modes !== tables.modes) throw new Error(`couplings: tables for ${c.modes} modes, the field has ${tables.modes}`);
    if (!(tables.ramanFraction >= 0 && tables.ramanFraction <= 1)) {
      throw new Error(`ramanFraction: must lie in [0, 1], got ${tables.ramanFraction}`);
    }
    const deviceTables = {} as Record<keyof typeof TABLES, DeviceData>;
    for (const [key, pick] of Object.entries(TABLES) as [keyof typeof TABLES, (t: CouplingTables) => Float64Array][]) {
      deviceTables[key] = yield* uploadTable(device, `nl.${key}`, pick(c));
    }
    return new NonlinearOperator(device, tables, deviceTables);
  }

  /** A = F⁻¹u and Q, written to `keep` when given. */
  *at(u: DeviceField, keep?: PointDestinations): Op<NonlinearPoint> {
    const { sign, scale } = this.transform;
    const a = yield* this.modesA.transform(u, -sign as 1 | -1, 1 / (this.n * scale), keep?.a);
    if (!this.raman) return { a, q: yield* this.products.run(a, keep?.q) };
    const t = yield* this.products.run(a);
    return { a, q: yield* this.raman.mix(t, keep?.q) };
  }

  /** N(u) for frequency-domain u. */
  *apply(u: DeviceField, into?: Destination): Op<DeviceField> {
    return yield* this.applyAt(yield* this.at(u), into);
  }

  /** N at a point from at(). */
  *applyAt(point: NonlinearPoint, into?: Destination): Op<DeviceField> {
    const { a, q } = point;
    const nl = yield* this.sum.run(a, q);
    const spectrum = yield* this.modesA.transform(nl, this.transform.sign, this.transform.scale);
    return yield* this.prefactor.multiply(spectrum, false, into);
  }

  /**
   * scale·J(u)ᴴ·ȳ at the point of u: the cotangent of u given the cotangent ȳ
   * of N(u), cotangents being x̄ = ∂L/∂Re x + i·∂L/∂Im x for a real loss L.
   */
  *vjpAt(point: NonlinearPoint, yBar: DeviceField, scale = 1, into?: Destination): Op<DeviceField> {
    const { sign, scale: fScale } = this.transform;
    const { a, q } = point;
    // NL̄ = Fᴴ(conj(W)·ȳ), with Fᴴ = fScale·Σ exp(−sign·…)
    const weighted = yield* this.prefactor.multiply(yBar, true);
    const nlBar = yield* this.modesB.transform(weighted, -sign as 1 | -1, fScale);
    const qBar = yield* this.pairCotangent.run(a, nlBar);
    const tBar = this.raman ? yield* this.raman.mixAdjoint(qBar) : qBar;
    const aBar = yield* this.modeCotangent.run(a, nlBar, q, tBar);
    // (F⁻¹)ᴴ = Σ exp(+sign·…)/(n·fScale)
    return yield* this.modesB.transform(aBar, sign, scale / (this.n * fScale), into);
  }

  /** vjpAt at the point of u, recomputed. */
  *vjp(u: DeviceField, yBar: DeviceField, scale = 1, into?: Destination): Op<DeviceField> {
    return yield* this.vjpAt(yield* this.at(u), yBar, scale, into);
  }
}

/** The coupling tables the kernels read, uploaded once. */
const TABLES = {
  pairTable: (c: CouplingTables) => c.pairTable,
  byMode: (c: CouplingTables) => c.byMode.table,
  byPair: (c: CouplingTables) => c.byPair.table,
  byFactor: (c: CouplingTables) => c.byFactor.table,
  pairsByMode: (c: CouplingTables) => c.pairsByMode.table,
};

/** x ↦ (1 − fR)·x + fR·h ⊛ x on the pair products, by FFT, and its adjoint. */
class RamanConvolution {
  private readonly fft: FftPlan;
  private readonly spectrum: DiagonalMultiplyAdd;
  private readonly forwardMix: LinearCombination;
  private readonly adjointMix: LinearCombination;
  private readonly fR: number;
  private readonly n: number;
  private readonly sign: 1 | -1;

  constructor(device: GpuDevice, tables: NonlinearTables, pairs: number) {
    if (!tables.ramanSpectrum) throw new Error('ramanSpectrum: required when ramanFraction > 0');
    this.fR = tables.ramanFraction;
    this.n = tables.n;
    this.sign = tables.transform.sign;
    this.fft = new FftPlan(device, 'raman.fft', tables.n, pairs, tables.twiddles);
    this.spectrum = new DiagonalMultiplyAdd(device, 'raman.spectrum', tables.ramanSpectrum, pairs);
    this.forwardMix = new LinearCombination(device, 'raman.mix', tables.n, pairs);
    this.adjointMix = new LinearCombination(device, 'raman.mixAdjoint', tables.n, pairs);
  }

  /** h ⊛ x, or with `adjoint` its transpose, the correlation with h (conjugate spectrum). */
  private *convolve(x: DeviceField, adjoint: boolean): Op<DeviceField> {
    const spectrum = yield* this.fft.transform(x, this.sign);
    const weighted = yield* this.spectrum.multiply(spectrum, adjoint);
    return yield* this.fft.transform(weighted, -this.sign as 1 | -1, 1 / this.n);
  }

  *mix(t: DeviceField, into?: Destination): Op<DeviceField> {
    return yield* this.forwardMix.run(1 - this.fR, t, this.fR, yield* this.convolve(t, false), into);
  }

  *mixAdjoint(qBar: DeviceField): Op<DeviceField> {
    return yield* this.adjointMix.run(1 - this.fR, qBar, this.fR, yield* this.convolve(qBar, true));
  }
}
