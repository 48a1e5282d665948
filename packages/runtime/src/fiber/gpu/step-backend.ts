/**
 * The gpu.js implementation of the fiber solver's StepBackend (../backend.ts):
 * the step and its adjoint (../rk4ip.ts, ../adjoint.ts) run on gpu.js kernels,
 * with every field resident on the device between operations; only uploadInto()
 * and download() cross to the host. Every gpu.js mode: in webgpu mode each
 * operation answers with a Promise, so the step generators run under runAsync.
 */
import type { Answer, StepBackend } from '../backend';
import { runAsync, runSync, type Op } from '../../drive/index';
import type { FiberModel } from '../model';
import type { SparseOverlap } from '../overlap';
import { Destination, DeviceKernel, GpuDevice, KernelOptions } from './device';
import { ConjugateProductAdd, DiagonalMultiplyAdd, LinearCombination } from './elementwise';
import { DeviceField, downloadInterleaved, FieldUpload, fieldShape, planesFromInterleaved, uploadConstantField } from './field';
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

  private upload: FieldUpload | null = null;

  constructor(
    private readonly device: GpuDevice,
    readonly label: string,
  ) {}

  /** The field's own upload buffer, made on its first uploadInto(). */
  uploader(n: number, batch: number): FieldUpload {
    return (this.upload ??= new FieldUpload(this.device, `${this.label}.upload`, n, batch));
  }

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
  /** Default 'cpu'. webgpu answers asynchronously: open it with GpuJsStepBackend.open. */
  mode?: GpuJsMode;
  /** Dawn instance flags for webgpu (e.g. 'backend=null'). */
  webgpuFlags?: readonly string[];
}

/** A factory for the solvers' `backend` option: (model) => a gpu.js StepBackend of a synchronous mode. */
export function gpuJsBackend(options: GpuJsBackendOptions = {}): (model: FiberModel) => GpuJsStepBackend {
  return (model) => GpuJsStepBackend.openSync(model, options);
}

interface Operators {
  readonly fft: FftPlan;
  readonly halfStep: DiagonalMultiplyAdd;
  readonly nonlinear: NonlinearOperator | null;
}

export class GpuJsStepBackend implements StepBackend<GpuField, GpuTape> {
  readonly modes: number;
  readonly points: number;
  private readonly fft: FftPlan;
  private readonly halfStepOp: DiagonalMultiplyAdd;
  private readonly nonlinearOp: NonlinearOperator | null;
  private readonly partialSums: [LinearCombination, LinearCombination];
  private readonly productAdd: ConjugateProductAdd;
  private fieldCount = 0;
  private disposed = false;

  /** A backend on a synchronous gpu.js mode (default 'cpu'); its operations answer at once. */
  static openSync(model: FiberModel, options: GpuJsBackendOptions = {}): GpuJsStepBackend {
    if (options.mode === 'webgpu') {
      throw new Error('mode: webgpu answers asynchronously; open it with GpuJsStepBackend.open and drive the steps with runAsync');
    }
    const device = GpuDevice.openSync(options.mode ?? 'cpu');
    try {
      return new GpuJsStepBackend(device, model, runSync(GpuJsStepBackend.operators(device, model), 'GpuJsStepBackend'));
    } catch (e) {
      void device.dispose().catch(() => undefined);
      throw e;
    }
  }

  /** A backend on any gpu.js mode; in webgpu mode its operations answer with Promises. */
  static async open(model: FiberModel, options: GpuJsBackendOptions = {}): Promise<GpuJsStepBackend> {
    const device = await GpuDevice.open(options.mode ?? 'cpu', { webgpuFlags: options.webgpuFlags });
    try {
      return new GpuJsStepBackend(device, model, await runAsync(GpuJsStepBackend.operators(device, model)));
    } catch (e) {
      await device.dispose().catch(() => undefined);
      throw e;
    }
  }

  private constructor(
    readonly device: GpuDevice,
    model: FiberModel,
    operators: Operators,
  ) {
    this.modes = model.modes;
    this.points = model.grid.points;
    this.fft = operators.fft;
    this.halfStepOp = operators.halfStep;
    this.nonlinearOp = operators.nonlinear;
    const [n, M] = [this.points, this.modes];
    this.partialSums = [new LinearCombination(device, 'partialSum0', n, M), new LinearCombination(device, 'partialSum1', n, M)];
    this.productAdd = new ConjugateProductAdd('productAdd', n, M);
  }

  private static *operators(device: GpuDevice, model: FiberModel): Op<Operators> {
    const n = model.grid.points;
    const M = model.modes;
    const twiddles = yield* uploadTwiddles(device, n);
    const halfStep = yield* uploadConstantField(device, 'halfStepTable', planesFromInterleaved(model.halfStep), n, M);
    return {
      fft: new FftPlan(device, 'fft', n, M, twiddles),
      halfStep: new DiagonalMultiplyAdd(device, 'halfStep', halfStep, M),
      nonlinear: model.nonlinearFactor === null ? null : yield* GpuJsStepBackend.nonlinearOperator(device, model, twiddles),
    };
  }

  private static *nonlinearOperator(device: GpuDevice, model: FiberModel, twiddles: DeviceField): Op<NonlinearOperator> {
    const n = model.grid.points;
    const fR = model.ramanFraction;
    const response = model.ramanResponse;
    const weights = response ? response.map((h) => h * model.grid.dt) : null;
    // the solver's spectra: toFrequency = (1/n)·Σ exp(+2πi·jk/n) (fft.ts `positive`)
    const sign = 1;
    return yield* NonlinearOperator.create(device, {
      n,
      modes: model.modes,
      couplings: couplingTables(denseOverlap(model.overlap), model.modes),
      ramanFraction: fR,
      // the model's factor already carries h: nonlinear() is h·N
      prefactor: yield* uploadConstantField(device, 'prefactorTable', planesFromInterleaved(model.nonlinearFactor!), n, 1),
      ramanSpectrum: fR > 0 && weights ? yield* uploadConstantField(device, 'ramanTable', ramanSpectrum(weights, sign), n, 1) : null,
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

  uploadInto(dst: GpuField, data: Float64Array): Answer {
    this.checkLive();
    const upload = dst.uploader(this.points, this.modes);
    return this.answer(
      (function* () {
        dst.current = yield* upload.uploadInterleaved(data, 'uploadInto');
      })(),
    );
  }

  download(field: GpuField): Answer<Float64Array> {
    const read = this.read(field);
    return this.answer(
      (function* () {
        return yield* downloadInterleaved(yield* read);
      })(),
    );
  }

  toTime(src: GpuField, dst: GpuField): Answer {
    return this.into(dst, this.read(src), (x) => this.fft.transform(x, -1, 1, dst));
  }

  toFrequency(src: GpuField, dst: GpuField): Answer {
    return this.into(dst, this.read(src), (x) => this.fft.transform(x, 1, 1 / this.points, dst));
  }

  halfStep(src: GpuField, dst: GpuField, adjoint: boolean): Answer {
    return this.into(dst, this.read(src), (x) => this.halfStepOp.multiply(x, adjoint, dst));
  }

  nonlinear(src: GpuField, dst: GpuField, tape?: GpuTape): Answer {
    const op = this.nonlinearOp;
    if (!op) return this.zero(dst);
    if (!tape) return this.into(dst, this.read(src), (x) => op.apply(x, dst));
    tape.point = null;
    const input = this.read(src);
    return this.answer(
      (function* () {
        const point = yield* op.at(yield* input, tape);
        dst.current = yield* op.applyAt(point, dst);
        tape.point = point;
      })(),
    );
  }

  nonlinearVjp(tape: GpuTape, adjoint: GpuField, dst: GpuField): Answer {
    const op = this.nonlinearOp;
    if (!op) return this.zero(dst);
    const point = tape.point;
    if (!point) throw new Error('nonlinearVjp: the tape holds no evaluation; pass it to nonlinear() first');
    return this.into(dst, this.read(adjoint), (x) => op.vjpAt(point, x, 1, dst));
  }

  combine(dst: GpuField, terms: readonly (readonly [number, GpuField])[]): Answer {
    if (terms.length === 0) return this.zero(dst);
    const reads = terms.map(([c, f]) => [c, this.read(f)] as const);
    const partialSums = this.partialSums;
    const inPlace = terms.some(([, f]) => f === dst);
    return this.answer(
      (function* () {
        const inputs: (readonly [number, DeviceField])[] = [];
        for (const [c, read] of reads) inputs.push([c, yield* read]);
        dst.inPlace = inPlace;
        try {
          if (inputs.length === 1) {
            dst.current = yield* partialSums[0].run(inputs[0][0], inputs[0][1], 0, inputs[0][1], dst);
            return;
          }
          let [a, x] = inputs[0];
          for (let i = 1; i < inputs.length; i++) {
            const [b, y] = inputs[i];
            const last = i === inputs.length - 1;
            // partial sums ping-pong between two internal buffers; the last one lands in dst
            x = yield* partialSums[i % 2].run(a, x, b, y, last ? dst : undefined);
            a = 1;
          }
          dst.current = x;
        } finally {
          dst.inPlace = false;
        }
      })(),
    );
  }

  /**
   * acc += conj(adjoint) ⊙ primal. (This backend has no ramanFractionTangent, which would need
   * a tangent of the Raman convolution in the nonlinear kernels: FiberStepHooks refuses
   * fiber.raman.fR here before any step runs.)
   */
  accumulateProduct(acc: GpuField, adjoint: GpuField, primal: GpuField): Answer {
    const reads = [this.read(acc), this.read(adjoint), this.read(primal)] as const;
    const productAdd = this.productAdd;
    return this.answer(
      (function* () {
        const [sum, a, b] = [yield* reads[0], yield* reads[1], yield* reads[2]];
        acc.inPlace = true;
        try {
          acc.current = yield* productAdd.run(sum, a, b, acc);
        } finally {
          acc.inPlace = false;
        }
      })(),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // the ledger and every kernel are released now; gpu.js finishes its own teardown
    // on a timer, and a failure there leaves nothing for the caller to act on
    void this.device.dispose().catch(() => undefined);
  }

  get asynchronous(): boolean {
    return this.device.asynchronous;
  }

  /** Runs one operation's kernels: at once on a synchronous mode, else as a Promise. */
  private answer<R>(op: Op<R>): Answer<R> {
    return this.asynchronous ? runAsync(op) : runSync(op, 'GpuJsStepBackend');
  }

  /** dst = kernel(src's data). */
  private into(dst: GpuField, src: Op<DeviceField>, kernel: (x: DeviceField) => Op<DeviceField>): Answer {
    return this.answer(
      (function* () {
        dst.current = yield* kernel(yield* src);
      })(),
    );
  }

  /** The field's data; a field never written reads as zero. */
  private *read(field: GpuField): Op<DeviceField> {
    this.checkLive();
    if (!field.current) yield* this.zeroed(field);
    return field.current!;
  }

  private zero(dst: GpuField): Answer {
    return this.answer(this.zeroed(dst));
  }

  private *zeroed(dst: GpuField): Op<void> {
    const kernel = dst.kernel('zero', ZERO, fieldShape(this.points, this.modes));
    const data = yield* kernel.run();
    dst.current = { data, n: this.points, batch: this.modes, owner: kernel };
  }

  private checkLive(): void {
    if (this.disposed) throw new Error('GpuJsStepBackend: used after dispose()');
  }
}

/** The full S[p][l][m][n] (row-major) from the solver's symmetric sparse form. */
function denseOverlap(overlap: SparseOverlap): Float64Array {
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
