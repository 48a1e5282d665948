/**
 * The gpu.js implementation of the fiber solver's StepBackend (../backend.ts):
 * the step and its adjoint (../rk4ip.ts, ../adjoint.ts) run on gpu.js kernels,
 * with every field resident on the device between operations; only upload()
 * and download() cross to the host. Synchronous gpu.js modes only (cpu, webasm,
 * headlessgl, webgl2, webgl), since the interface is synchronous.
 */
import type { StepBackend } from '../backend';
import type { FiberModel } from '../model';
import type { SparseOverlap } from '../overlap';
import { Destination, DeviceKernel, GpuDevice, KernelOptions } from './device';
import { runSync } from './drive';
import { DiagonalMultiplyAdd, LinearCombination } from './elementwise';
import {
  DeviceField,
  downloadInterleaved,
  FieldUpload,
  fieldShape,
  planesFromInterleaved,
  uploadConstantField,
} from './field';
import { FftPlan, uploadTwiddles } from './fft';
import { couplingTables } from './couplings';
import { GpuJsMode } from './modes';
import { NonlinearOperator, NonlinearPoint } from './nonlinear';
import { ramanSpectrum } from './operators';

const ZERO = `function () {
  return 0;
}`;

/**
 * A field of the backend. Operations write into kernels the field owns (one
 * per operation, a second one only for combine() into itself), so a field's
 * data is never overwritten by work on another field.
 */
export class GpuField implements Destination {
  current: DeviceField | null = null;
  /** Set while an operation reads this field's current data and writes this field. */
  inPlace = false;
  private readonly kernels = new Map<string, DeviceKernel[]>();

  constructor(
    private readonly device: GpuDevice,
    readonly label: string,
    /** False once the data were overwritten (an upload slot reused); reading it then throws. */
    readonly isLive: () => boolean = () => true,
  ) {}

  kernel(name: string, source: string, output: readonly number[], options?: KernelOptions): DeviceKernel {
    // one kernel per operation, not per source: a GL kernel fed tables of another shape would recompile
    const key = `${name}:${output.join('x')}:${source}`;
    let list = this.kernels.get(key);
    if (!list) this.kernels.set(key, (list = []));
    const usable = list.find((k) => !(this.inPlace && k === this.current?.owner));
    if (usable) return usable;
    const created = this.device.kernel(`${this.label}.${name}`, source, output, options);
    list.push(created);
    return created;
  }
}

/** One taped nonlinear evaluation: the point (A, Q) in kernels the tape owns. */
export class GpuTape {
  point: NonlinearPoint | null = null;
  readonly a: GpuField;
  readonly q: GpuField;

  constructor(device: GpuDevice, label: string) {
    this.a = new GpuField(device, `${label}.a`);
    this.q = new GpuField(device, `${label}.q`);
  }
}

export interface GpuJsBackendOptions {
  /** A synchronous gpu.js mode; default 'cpu'. */
  mode?: GpuJsMode;
}

/** A factory for the solver's `backend` option: (model) => a gpu.js StepBackend. */
export function gpuJsBackend(options: GpuJsBackendOptions = {}): (model: FiberModel) => GpuJsStepBackend {
  return (model) => new GpuJsStepBackend(model, options);
}

export class GpuJsStepBackend implements StepBackend<GpuField, GpuTape> {
  readonly modes: number;
  readonly points: number;
  readonly device: GpuDevice;
  private readonly uploads: { slot: FieldUpload; generation: number }[];
  private uploadCount = 0;
  private readonly fft: FftPlan;
  private readonly halfStepOp: DiagonalMultiplyAdd;
  private readonly nonlinearOp: NonlinearOperator | null;
  private readonly partialSums: [LinearCombination, LinearCombination];
  private fieldCount = 0;
  private disposed = false;

  constructor(model: FiberModel, options: GpuJsBackendOptions = {}) {
    const mode = options.mode ?? 'cpu';
    if (mode === 'webgpu') {
      throw new Error('mode: webgpu answers asynchronously and the StepBackend interface is synchronous; use GpuRk4ipStepper for webgpu');
    }
    this.device = GpuDevice.openSync(mode);
    this.modes = model.modes;
    this.points = model.grid.points;
    const n = this.points;
    const M = this.modes;
    const build = <T>(op: Generator<unknown, T, unknown>) => runSync(op, 'GpuJsStepBackend');
    try {
      this.uploads = [0, 1].map((i) => ({ slot: new FieldUpload(this.device, `upload${i}`, n, M), generation: 0 }));
      const twiddles = build(uploadTwiddles(this.device, n));
      this.fft = new FftPlan(this.device, 'fft', n, M, twiddles);
      const halfStep = build(uploadConstantField(this.device, 'halfStepTable', planesFromInterleaved(model.halfStep), n, M));
      this.halfStepOp = new DiagonalMultiplyAdd(this.device, 'halfStep', halfStep, M);
      this.partialSums = [new LinearCombination(this.device, 'partialSum0', n, M), new LinearCombination(this.device, 'partialSum1', n, M)];
      this.nonlinearOp = model.nonlinearFactor === null ? null : build(this.createNonlinear(model, twiddles));
    } catch (e) {
      void this.device.dispose().catch(() => undefined);
      throw e;
    }
  }

  private *createNonlinear(model: FiberModel, twiddles: DeviceField) {
    const n = this.points;
    const fR = model.ramanFraction;
    const response = model.ramanResponse;
    const weights = response ? response.map((h) => h * model.grid.dt) : null;
    // the solver's spectra: toFrequency = (1/n)·Σ exp(+2πi·jk/n) (fft.ts `positive`)
    const sign = 1;
    return yield* NonlinearOperator.create(this.device, {
      n,
      modes: this.modes,
      couplings: couplingTables(denseOverlap(model.overlap), this.modes),
      ramanFraction: fR,
      // the model's factor already carries h: nonlinear() is h·N
      prefactor: yield* uploadConstantField(this.device, 'prefactorTable', planesFromInterleaved(model.nonlinearFactor!), n, 1),
      ramanSpectrum: fR > 0 && weights ? yield* uploadConstantField(this.device, 'ramanTable', ramanSpectrum(weights, sign), n, 1) : null,
      twiddles,
      transform: { sign, scale: 1 / n },
    });
  }

  get bytesHeld(): number {
    return this.device.heldBytes;
  }

  field(): GpuField {
    this.checkLive();
    return new GpuField(this.device, `field${this.fieldCount++}`);
  }

  tape(): GpuTape {
    this.checkLive();
    return new GpuTape(this.device, `tape${this.fieldCount++}`);
  }

  /** The data live in one of two upload buffers: valid until the second upload after this one. */
  upload(data: Float64Array): GpuField {
    this.checkLive();
    const entry = this.uploads[this.uploadCount++ % this.uploads.length];
    const generation = ++entry.generation;
    const field = new GpuField(this.device, 'uploaded', () => entry.generation === generation);
    field.current = runSync(entry.slot.uploadInterleaved(data, 'upload'), 'GpuJsStepBackend.upload');
    return field;
  }

  download(field: GpuField): Float64Array {
    return runSync(downloadInterleaved(this.read(field)), 'GpuJsStepBackend.download');
  }

  toTime(src: GpuField, dst: GpuField): void {
    this.write(dst, this.fft.transform(this.read(src), -1, 1, dst));
  }

  toFrequency(src: GpuField, dst: GpuField): void {
    this.write(dst, this.fft.transform(this.read(src), 1, 1 / this.points, dst));
  }

  halfStep(src: GpuField, dst: GpuField, adjoint: boolean): void {
    this.write(dst, this.halfStepOp.multiply(this.read(src), adjoint, dst));
  }

  nonlinear(src: GpuField, dst: GpuField, tape?: GpuTape): void {
    if (!this.nonlinearOp) return this.zero(dst);
    const input = this.read(src);
    if (!tape) return this.write(dst, this.nonlinearOp.apply(input, dst));
    tape.point = null;
    const point = runSync(this.nonlinearOp.at(input, tape), 'GpuJsStepBackend.nonlinear');
    this.write(dst, this.nonlinearOp.applyAt(point, dst));
    tape.point = point;
  }

  nonlinearVjp(tape: GpuTape, adjoint: GpuField, dst: GpuField): void {
    if (!this.nonlinearOp) return this.zero(dst);
    if (!tape.point) throw new Error('nonlinearVjp: the tape holds no evaluation; pass it to nonlinear() first');
    this.write(dst, this.nonlinearOp.vjpAt(tape.point, this.read(adjoint), 1, dst));
  }

  combine(dst: GpuField, terms: readonly (readonly [number, GpuField])[]): void {
    if (terms.length === 0) return this.zero(dst);
    const inputs = terms.map(([c, f]) => [c, this.read(f)] as const);
    const partialSums = this.partialSums;
    dst.inPlace = terms.some(([, f]) => f === dst);
    try {
      this.write(
        dst,
        (function* () {
          if (inputs.length === 1) return yield* partialSums[0].run(inputs[0][0], inputs[0][1], 0, inputs[0][1], dst);
          let [a, x] = inputs[0];
          for (let i = 1; i < inputs.length; i++) {
            const [b, y] = inputs[i];
            const last = i === inputs.length - 1;
            // partial sums ping-pong between two internal buffers; the last one lands in dst
            x = yield* partialSums[i % 2].run(a, x, b, y, last ? dst : undefined);
            a = 1;
          }
          return x;
        })(),
      );
    } finally {
      dst.inPlace = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // the ledger and every kernel are released now; gpu.js finishes its own teardown
    // on a timer, and a failure there leaves nothing for the caller to act on
    void this.device.dispose().catch(() => undefined);
  }

  private read(field: GpuField): DeviceField {
    this.checkLive();
    if (!field.isLive()) throw new Error(`${field.label}: this upload was overwritten by two later uploads`);
    if (!field.current) this.zero(field);
    return field.current!;
  }

  private write(dst: GpuField, op: Generator<unknown, DeviceField, unknown>): void {
    dst.current = runSync(op, 'GpuJsStepBackend');
  }

  private zero(dst: GpuField): void {
    const kernel = dst.kernel('zero', ZERO, fieldShape(this.points, this.modes));
    const data = runSync(kernel.run(), 'GpuJsStepBackend');
    dst.current = { data, n: this.points, batch: this.modes, owner: kernel };
  }

  private checkLive(): void {
    if (this.disposed) throw new Error('GpuJsStepBackend: used after dispose()');
  }
}

/** The full S[p][l][m][n] (row-major) from the solver's symmetric sparse form. */
export function denseOverlap(overlap: SparseOverlap): Float64Array {
  const M = overlap.modes;
  const byIndices = new Map<string, number>();
  for (const term of overlap.terms) byIndices.set(term.indices.join(','), term.value);
  const dense = new Float64Array(M ** 4);
  let i = 0;
  for (let p = 0; p < M; p++)
    for (let l = 0; l < M; l++)
      for (let m = 0; m < M; m++)
        for (let n = 0; n < M; n++, i++) {
          dense[i] = byIndices.get([p, l, m, n].sort((x, y) => x - y).join(',')) ?? 0;
        }
  return dense;
}
