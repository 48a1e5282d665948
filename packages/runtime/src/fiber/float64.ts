/**
 * The reference step backend: float64 typed arrays, fft.js transforms, and the
 * Kerr/Raman kernel of nonlinear.ts.
 */
import { ledger } from '../memory/ledger';
import type { StepBackend } from './backend';
import { ComplexFft, transformModes } from './fft';
import type { FiberModel } from './model';
import { KerrRamanKernel } from './nonlinear';
import { ramanResponse, ramanTransfer, type RamanModel } from './raman';

/** One taped nonlinear evaluation: its time-domain fields and couplings Q_pl. */
export interface Float64Tape {
  readonly fields: Float64Array;
  readonly couplings: Float64Array;
}

export class Float64Backend implements StepBackend<Float64Array, Float64Tape> {
  readonly modes: number;
  readonly points: number;
  private readonly model: FiberModel;
  private readonly fft: ComplexFft;
  private readonly kernel: KerrRamanKernel | null;
  private readonly timeFields: Float64Array;
  private readonly couplingScratch: Float64Array;
  private readonly response: Float64Array;
  private readonly scratch: Float64Array;
  private ramanTangentKernel: KerrRamanKernel | undefined;
  private readonly held: Record<'buffers' | 'tapes', number> = { buffers: 0, tapes: 0 };
  private disposed = false;

  constructor(model: FiberModel) {
    this.model = model;
    this.modes = model.modes;
    this.points = model.grid.points;
    this.fft = new ComplexFft(this.points);
    const transfer = model.ramanResponse === null ? null : ramanTransfer(model.ramanResponse, model.grid.dt, this.fft);
    this.kernel = model.nonlinearFactor === null ? null : new KerrRamanKernel(model.overlap, this.points, model.ramanFraction, transfer, this.fft);
    // Typed arrays only: the kernel's scratch, H, and the FFT's aliasing buffer.
    this.count('buffers', (this.kernel?.scratchBytes ?? 0) + 8 * (transfer?.length ?? 0) + 16 * this.points);
    this.timeFields = this.field();
    this.couplingScratch = this.allocate(model.overlap.couplings.length * this.points, 'buffers');
    this.response = this.field();
    this.scratch = this.field();
  }

  get bytesHeld(): number {
    return this.held.buffers + this.held.tapes;
  }

  field(): Float64Array {
    return this.allocate(2 * this.modes * this.points, 'buffers');
  }

  tape(): Float64Tape {
    return { fields: this.allocate(2 * this.modes * this.points, 'tapes'), couplings: this.allocate(this.model.overlap.couplings.length * this.points, 'tapes') };
  }

  uploadInto(dst: Float64Array, data: Float64Array): void {
    this.checkField(data, 'uploadInto');
    dst.set(data);
  }

  download(field: Float64Array): Float64Array {
    return field.slice();
  }

  toTime(src: Float64Array, dst: Float64Array): void {
    transformModes(this.fft, 'negative', src, dst);
  }

  toFrequency(src: Float64Array, dst: Float64Array): void {
    transformModes(this.fft, 'positive', src, dst);
  }

  halfStep(src: Float64Array, dst: Float64Array, adjoint: boolean): void {
    multiplyComplex(src, this.model.halfStep, dst, adjoint, this.model.halfStep.length);
  }

  nonlinear(src: Float64Array, dst: Float64Array, tape?: Float64Tape): void {
    const factor = this.model.nonlinearFactor;
    if (this.kernel === null || factor === null) {
      dst.fill(0);
      return;
    }
    const fields = tape?.fields ?? this.timeFields;
    this.toTime(src, fields);
    this.kernel.apply(fields, this.response, tape?.couplings ?? this.couplingScratch);
    this.toFrequency(this.response, dst);
    multiplyComplex(dst, factor, dst, false, factor.length);
  }

  /**
   * h·N = c ⊙ F∘NL∘F^{-1}, so its adjoint is (F^{-1})^H∘NL'^H∘F^H∘conj(c). With
   * F = fft.positive and F^{-1} = fft.negative, F^H = negative/N and
   * (F^{-1})^H = N·positive: the N's cancel, leaving negative → NL'^H → positive.
   */
  nonlinearVjp(tape: Float64Tape, adjoint: Float64Array, dst: Float64Array): void {
    const factor = this.model.nonlinearFactor;
    if (this.kernel === null || factor === null) {
      dst.fill(0);
      return;
    }
    multiplyComplex(adjoint, factor, this.scratch, true, factor.length);
    this.toTime(this.scratch, this.response);
    this.kernel.vjp(tape.fields, tape.couplings, this.response, this.scratch);
    this.toFrequency(this.scratch, dst);
  }

  accumulateProduct(acc: Float64Array, adjoint: Float64Array, primal: Float64Array): void {
    for (let i = 0; i < acc.length; i += 2) {
      const ar = adjoint[i];
      const ai = adjoint[i + 1];
      const pr = primal[i];
      const pi = primal[i + 1];
      acc[i] += ar * pr + ai * pi;
      acc[i + 1] += ar * pi - ai * pr;
    }
  }

  /**
   * N is affine in fR: NL = Σ S·A_l·((1-fR)·U + fR·h ⊛ U), so ∂NL/∂fR = Σ S·A_l·(h ⊛ U - U),
   * which is the kernel itself at fR = 1 with h replaced by h - δ (transfer H - 1),
   * evaluated at the taped time fields.
   */
  ramanFractionTangent(tape: Float64Tape, dst: Float64Array): void {
    const { nonlinearFactor: factor, ramanModel } = this.model;
    if (factor === null || ramanModel === null) {
      dst.fill(0); // no Raman term: fR has no effect
      return;
    }
    this.ramanTangentKernel ??= this.makeRamanTangentKernel(ramanModel);
    this.ramanTangentKernel.apply(tape.fields, this.response, this.couplingScratch);
    this.toFrequency(this.response, dst);
    multiplyComplex(dst, factor, dst, false, factor.length);
  }

  combine(dst: Float64Array, terms: readonly (readonly [number, Float64Array])[]): void {
    const n = dst.length;
    if (terms.length === 1) {
      const [[a, x]] = terms;
      for (let i = 0; i < n; i++) dst[i] = a * x[i];
    } else if (terms.length === 2) {
      const [[a, x], [b, y]] = terms;
      for (let i = 0; i < n; i++) dst[i] = a * x[i] + b * y[i];
    } else if (terms.length === 3) {
      const [[a, x], [b, y], [c, z]] = terms;
      for (let i = 0; i < n; i++) dst[i] = a * x[i] + b * y[i] + c * z[i];
    } else {
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (const [c, x] of terms) sum += c * x[i];
        dst[i] = sum;
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const category of ['buffers', 'tapes'] as const) {
      ledger.sub(category, this.held[category]);
      this.held[category] = 0;
    }
  }

  /** Made on first use (its scratch is counted then): only Raman-fraction gradients need it. */
  private makeRamanTangentKernel(ramanModel: Exclude<RamanModel, 'none'>): KerrRamanKernel {
    const { grid, overlap } = this.model;
    const transfer = ramanTransfer(ramanResponse(ramanModel, this.points, grid.dt), grid.dt, this.fft);
    for (let k = 0; k < transfer.length; k += 2) transfer[k] -= 1;
    const kernel = new KerrRamanKernel(overlap, this.points, 1, transfer, this.fft);
    this.count('buffers', kernel.scratchBytes + 8 * transfer.length);
    return kernel;
  }

  private allocate(length: number, category: 'buffers' | 'tapes'): Float64Array {
    if (this.disposed) throw new Error('Float64Backend: used after dispose()');
    this.count(category, 8 * length);
    return new Float64Array(length);
  }

  private count(category: 'buffers' | 'tapes', bytes: number): void {
    ledger.add(category, bytes);
    this.held[category] += bytes;
  }

  private checkField(data: Float64Array, operation: string): void {
    const expected = 2 * this.modes * this.points;
    if (data.length !== expected) {
      throw new Error(`Float64Backend.${operation}: a field of ${this.modes} modes × ${this.points} points holds ${expected} numbers, got ${data.length}`);
    }
  }
}

/**
 * dst = src ⊙ op (or src ⊙ conj(op)), all interleaved complex; op has `period`
 * numbers and repeats over src (a per-frequency factor applied to every mode).
 */
function multiplyComplex(src: Float64Array, op: Float64Array, dst: Float64Array, conjugate: boolean, period: number): void {
  const sign = conjugate ? -1 : 1;
  for (let offset = 0; offset < src.length; offset += period) {
    for (let i = 0; i < period; i += 2) {
      const re = src[offset + i];
      const im = src[offset + i + 1];
      const oRe = op[i];
      const oIm = sign * op[i + 1];
      dst[offset + i] = re * oRe - im * oIm;
      dst[offset + i + 1] = re * oIm + im * oRe;
    }
  }
}
